//! SC2155: declare and assign separately to avoid masking return values.
//!
//! **What** — `export`, `local`, `declare`, `readonly` or `typeset` with an assignment whose
//! value holds a command substitution: `export HOST=$(hostname)`.
//!
//! **Why** — the command's exit status is that of `export`, which succeeds: a failing
//! substitution goes unnoticed, even under `set -e` or `&&`.
//!
//! **Bad** — `RUN export V="$(cat /VERSION)" && echo "$V"` · **Good** —
//! `RUN V=$(cat /VERSION) && export V && echo "$V"`
//!
//! **Fix** — assign first, then export (`V=$(cmd) && export V`).

use super::sc_support::{command_name, mapped, DECLARATIONS};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc2155;

static META: RuleMeta = RuleMeta {
    code: "SC2155",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Declare and assign separately to avoid masking return values",
    bad: "FROM alpine:3.20\nRUN export V=\"$(cat /VERSION)\" && echo \"$V\"\n",
    good: "FROM alpine:3.20\nRUN V=$(cat /VERSION) && export V && echo \"$V\"\n",
    fixable: false,
};

impl Rule for Sc2155 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            for info in cx.commands_of(script) {
                let is_declaration =
                    command_name(info.command).is_some_and(|n| DECLARATIONS.contains(&n.as_str()));
                if !is_declaration {
                    continue;
                }
                for word in info.command.args() {
                    let Some(assignment) = word.as_assignment() else {
                        continue;
                    };
                    if assignment.value.has_command_substitution() {
                        let (span, _) = mapped(cx, script, word.span);
                        cx.report(&META, span, META.summary);
                    }
                }
            }
        }
    }
}
