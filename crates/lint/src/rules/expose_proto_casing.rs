//! BuildKit `ExposeProtoCasing`: the protocol in EXPOSE should be lowercase.
//!
//! **What** — an `EXPOSE` port whose protocol is `TCP`, `Udp`, `SCTP`…: anything but lower
//! case. Ports are checked after variable expansion, like BuildKit; a port whose value the
//! Dockerfile does not fix is skipped.
//!
//! **Why** — the protocol is case-insensitive, and the image records it in lower case anyway;
//! one spelling keeps the file consistent.
//!
//! **Bad** — `EXPOSE 80/TCP` · **Good** — `EXPOSE 80/tcp`
//!
//! **Fix** — safe: lower-case the protocol (when it is written literally).

use layerlab_syntax::shell::Lex;
use layerlab_syntax::{Keyword, Span};

use crate::buildkit::walk_stages_for;
use crate::rules::expose_invalid_format::{split_parts, split_proto_port};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct ExposeProtoCasing;

static META: RuleMeta = RuleMeta {
    code: "ExposeProtoCasing",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary: "Protocol in EXPOSE instruction should be lowercase",
    bad: "FROM nginx:1.27\nEXPOSE 80/TCP\n",
    good: "FROM nginx:1.27\nEXPOSE 80/tcp\n",
    fixable: true,
};

impl Rule for ExposeProtoCasing {
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
                    let (_, _, container) = split_parts(port);
                    let Some((proto, _)) = split_proto_port(container) else {
                        continue;
                    };
                    if proto == proto.to_lowercase() {
                        continue;
                    }
                    let proto_span = literal.then(|| {
                        let end = word.span.start + port.len();
                        Span::new(end - proto.len(), end)
                    });
                    let fix = proto_span.map(|span| Fix {
                        title: format!("Write {}", proto.to_lowercase()),
                        safe: true,
                        edits: vec![Edit {
                            span,
                            replacement: proto.to_lowercase(),
                        }],
                    });
                    cx.report_with_fix(
                        &META,
                        proto_span.unwrap_or(word.span),
                        format!(
                            "Defined protocol '{port}' in EXPOSE instruction should be lowercase"
                        ),
                        fix,
                    );
                }
            }
        });
    }
}
