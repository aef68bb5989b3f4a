//! DL3011: valid UNIX ports range from 0 to 65535.
//!
//! **What** — an `EXPOSE` port, or a bound of a port range (`8000-9000`), above 65535. A port
//! given by a variable whose value is unknown is not checked.
//!
//! **Why** — no such port exists; BuildKit refuses the instruction, so the build fails.
//!
//! **Bad** — `EXPOSE 80800` · **Good** — `EXPOSE 8080`
//!
//! **Fix** — none: the intended port is a guess.

use layerlab_syntax::Keyword;

use super::dl_support::literal;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3011;

static META: RuleMeta = RuleMeta {
    code: "DL3011",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Valid UNIX ports range from 0 to 65535",
    bad: "FROM nginx:1.27\nEXPOSE 80800\n",
    good: "FROM nginx:1.27\nEXPOSE 8080\n",
    fixable: false,
};

/// Whether a decimal port number is above 65535 (any length).
fn above_max(port: &str) -> bool {
    let digits = port.trim_start_matches('0');
    digits.len() > 5 || (digits.len() == 5 && digits > "65535")
}

/// Whether a port spec (`[ip:][host:]port[-end][/proto]`) has a numeric bound above 65535.
fn out_of_range(spec: &str) -> bool {
    let spec = spec.split_once('/').map_or(spec, |(ports, _proto)| ports);
    let parts: Vec<&str> = spec.split(':').collect();
    let ports = parts
        .get(parts.len().saturating_sub(2)..)
        .unwrap_or_default();
    ports.iter().any(|range| {
        range.split('-').any(|bound| {
            !bound.is_empty() && bound.bytes().all(|b| b.is_ascii_digit()) && above_max(bound)
        })
    })
}

impl Rule for Dl3011 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::Expose) {
            for word in &instruction.args {
                let Some(spec) = literal(cx, &word.value) else {
                    continue;
                };
                if out_of_range(&spec) {
                    cx.report(&META, word.span, META.summary);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::out_of_range;

    #[test]
    fn checks_every_bound() {
        assert!(out_of_range("70000"));
        assert!(out_of_range("80-70000/tcp"));
        assert!(out_of_range("070000"));
        assert!(out_of_range("99999999999999999999999"));
        assert!(out_of_range("70000:80"));
        assert!(!out_of_range("65535"));
        assert!(!out_of_range("0"));
        assert!(!out_of_range("1000-2000/udp"));
        assert!(!out_of_range("127.0.0.1:8080:80"));
    }
}
