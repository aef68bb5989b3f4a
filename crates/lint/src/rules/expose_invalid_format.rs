//! BuildKit `ExposeInvalidFormat`: EXPOSE takes container ports, not addresses or mappings.
//!
//! **What** — an `EXPOSE` port with an IP address or a host port: `127.0.0.1:80:80`,
//! `8080:80`. Ports are checked after variable expansion; a port whose value the Dockerfile does
//! not fix is skipped. BuildKit has announced this will become an error.
//!
//! **Why** — EXPOSE only documents which ports the container listens on; the address and host
//! port are ignored (publishing is decided by `docker run -p`), so writing them suggests an
//! effect that does not exist.
//!
//! **Bad** — `EXPOSE 8080:80` · **Good** — `EXPOSE 80`
//!
//! **Fix** — safe: keep only the container port (and protocol), which is all the image records.

use layerlab_syntax::shell::Lex;
use layerlab_syntax::Keyword;

use crate::buildkit::walk_stages_for;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct ExposeInvalidFormat;

static META: RuleMeta = RuleMeta {
    code: "ExposeInvalidFormat",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    bad: "FROM nginx:1.27\nEXPOSE 8080:80\n",
    good: "FROM nginx:1.27\nEXPOSE 80\n",
    fixable: true,
};

/// BuildKit's `splitParts`: `[ip:]host:container` → (ip, host port, container part).
pub(crate) fn split_parts(port: &str) -> (&str, &str, &str) {
    let parts: Vec<&str> = port.split(':').collect();
    match parts.as_slice() {
        [container] => ("", "", container),
        [host, container] => ("", host, container),
        [ip, host, container] => (ip, host, container),
        [.., host, container] => (
            &port[..port.len() - container.len() - host.len() - 2],
            host,
            container,
        ),
        [] => ("", "", ""),
    }
}

/// BuildKit's `splitProtoPort`: `port[/proto]` → (protocol as written, port); `None` when
/// BuildKit rejects it (no port, unknown protocol).
pub(crate) fn split_proto_port(part: &str) -> Option<(&str, &str)> {
    let (port, proto) = part.split_once('/').unwrap_or((part, ""));
    if port.is_empty() {
        return None;
    }
    match proto.to_lowercase().as_str() {
        "" | "tcp" | "udp" | "sctp" => Some((proto, port)),
        _ => None,
    }
}

impl Rule for ExposeInvalidFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let lex = Lex::new(cx.parse.dockerfile.escape);
        walk_stages_for(cx, &[Keyword::Expose], |_, _, instruction, state| {
            if instruction.kind != Keyword::Expose {
                return;
            }
            for word in &instruction.args {
                let Some(ports) = state.expand_words(&lex, &word.value) else {
                    continue;
                };
                let literal =
                    ports.len() == 1 && ports[0] == word.value && cx.slice(word.span) == word.value;
                for port in &ports {
                    let (ip, host, container) = split_parts(port);
                    if split_proto_port(container).is_none() || (ip.is_empty() && host.is_empty()) {
                        continue;
                    }
                    let fix = literal.then(|| Fix {
                        title: format!("Expose {container}"),
                        safe: true,
                        edits: vec![Edit {
                            span: word.span,
                            replacement: container.to_owned(),
                        }],
                    });
                    cx.report_with_fix(
                        &META,
                        word.span,
                        format!(
                            "EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'"
                        ),
                        fix,
                    );
                }
            }
        });
    }
}
