//! DL3065 / BuildKit `RedundantTargetPlatform`: `FROM --platform=$TARGETPLATFORM` is the
//! default.
//!
//! **What** — a FROM whose `--platform` value expands to exactly the predefined
//! `TARGETPLATFORM` and uses no other variable: `$TARGETPLATFORM`, `${TARGETPLATFORM}`.
//!
//! **Why** — a stage is built for the target platform unless told otherwise, so the flag says
//! nothing and suggests that something special happens.
//!
//! **Bad** — `FROM --platform=$TARGETPLATFORM alpine:3.20` · **Good** — `FROM alpine:3.20`
//!
//! **Fix** — safe: drop the flag (unsafe when a global `ARG TARGETPLATFORM=…` gives the variable
//! a default of its own, since the flag then pins that platform).

use layerlab_syntax::shell::Lex;
use layerlab_syntax::{Keyword, Span};

use crate::buildkit::{platform_flag, GlobalArgs};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3065;

static META: RuleMeta = RuleMeta {
    code: "DL3065",
    aliases: &["RedundantTargetPlatform"],
    level: Level::Warning,
    category: Category::Style,
    summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    bad: "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
    good: "FROM alpine:3.20\n",
    fixable: true,
};

impl Rule for Dl3065 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let globals = GlobalArgs::new(cx);
        let lex = Lex::new(cx.parse.dockerfile.escape);
        let target = globals
            .env
            .iter()
            .rev()
            .find(|(k, _)| k == "TARGETPLATFORM")
            .map(|(_, v)| v.as_str());
        // A global `ARG TARGETPLATFORM=…` default makes the flag pin a platform after all.
        let overridden = globals
            .declared
            .iter()
            .any(|(name, value)| name == "TARGETPLATFORM" && value.is_some());
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::From) {
            let Some((value, span)) = platform_flag(instruction) else {
                continue;
            };
            let Ok(expansion) = lex.process_word_with_matches(value, &globals.env) else {
                continue;
            };
            let redundant = expansion.unmatched.is_empty()
                && expansion.matched.len() == 1
                && expansion.matched.contains("TARGETPLATFORM")
                && Some(expansion.result.as_str()) == target;
            if !redundant {
                continue;
            }
            // The flag and the blanks after it.
            let rest = cx.text.get(span.end..).unwrap_or_default();
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let fix = Fix {
                title: "Remove the --platform flag".to_owned(),
                safe: !overridden,
                edits: vec![Edit {
                    span: Span::new(span.start, span.end + blanks),
                    replacement: String::new(),
                }],
            };
            cx.report_with_fix(
                &META,
                span,
                format!(
                    "Setting platform to predefined {value} in FROM is redundant as this is the default behavior"
                ),
                Some(fix),
            );
        }
    }
}
