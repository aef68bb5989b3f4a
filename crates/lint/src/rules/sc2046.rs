//! SC2046: quote this to prevent word splitting.
//!
//! **What** — an unquoted command substitution (`$(…)` or backquotes) in a command name,
//! argument or redirection target. The `NAME=value` arguments of declaration builtins
//! (`export x=$(…)`) are not split by bash-like shells and are not reported there; POSIX `sh`
//! splits them.
//!
//! **Why** — the output is split on whitespace and globbed: a file name with a space becomes
//! two arguments, one with `*` expands to files.
//!
//! **Bad** — `RUN rm -f $(ls /tmp)` · **Good** — `RUN rm -f "$(ls /tmp)"`
//!
//! **Fix** — double-quote the substitution (unsafe: when a list of words was intended, use a
//! loop or `xargs` instead).

use layerlab_shell::WordPart;

use super::sc_support::{command_name, is_posix_sh, mapped, quote_fix, DECLARATIONS};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc2046;

static META: RuleMeta = RuleMeta {
    code: "SC2046",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Quote this to prevent word splitting",
    bad: "FROM alpine:3.20\nRUN mkdir -p $(cat /etc/hostname)\n",
    good: "FROM alpine:3.20\nRUN mkdir -p \"$(cat /etc/hostname)\"\n",
    fixable: true,
};

impl Rule for Sc2046 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            let splits_declarations = is_posix_sh(script);
            for info in cx.commands_of(script) {
                let command = info.command;
                let declaration = !splits_declarations
                    && command_name(command).is_some_and(|n| DECLARATIONS.contains(&n.as_str()));
                let targets = command
                    .redirects
                    .iter()
                    .filter_map(|r| r.heredoc.is_none().then_some(&r.target));
                for word in command.words.iter().chain(targets) {
                    if declaration && word.as_assignment().is_some() {
                        continue;
                    }
                    for part in &word.parts {
                        if let WordPart::CommandSubst { span, .. } = part {
                            let (file, _) = mapped(cx, script, *span);
                            let fix = quote_fix(cx, script, *span);
                            cx.report_with_fix(&META, file, META.summary, fix);
                        }
                    }
                }
            }
        }
    }
}
