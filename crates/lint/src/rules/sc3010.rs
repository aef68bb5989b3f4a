//! SC3010: in POSIX sh, `[[ ]]` is undefined.
//!
//! **What** — a `[[ … ]]` test in a script run by `sh`, `dash` or `ash` (the default shell of
//! a RUN is `/bin/sh`).
//!
//! **Why** — `[[` is a bash/ksh keyword: `sh` reports `[[: not found` and the test is false,
//! so the `if` silently takes the other branch.
//!
//! **Bad** — `RUN if [[ -f /etc/alpine-release ]]; then echo alpine; fi` · **Good** —
//! `RUN if [ -f /etc/alpine-release ]; then echo alpine; fi`
//!
//! **Fix** — use `[ … ]` (with quoted expansions), or run the RUN with bash.

use layerlab_shell::CompoundKind;

use super::sc_support::{each_compound, is_posix_sh, mapped};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc3010;

static META: RuleMeta = RuleMeta {
    code: "SC3010",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "In POSIX sh, [[ ]] is undefined",
    bad: "FROM alpine:3.20\nRUN if [[ -f /etc/alpine-release ]]; then echo alpine; fi\n",
    good: "FROM alpine:3.20\nRUN if [ -f /etc/alpine-release ]; then echo alpine; fi\n",
    fixable: false,
};

impl Rule for Sc3010 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts().iter().filter(|s| is_posix_sh(s)) {
            let mut spans = Vec::new();
            each_compound(&script.parsed.script, &mut |compound| {
                if let CompoundKind::Test(_) = compound.kind {
                    spans.push(compound.span);
                }
            });
            for span in spans {
                let (file, _) = mapped(cx, script, span);
                cx.report(&META, file, META.summary);
            }
        }
    }
}
