//! SC2164: use `cd … || exit` in case `cd` fails.
//!
//! **What** — `cd`, `pushd` or `popd` whose failure nobody checks: it is not the condition of
//! an `if`/`while`, not negated and not on the left of `&&`/`||`. A bare `cd` (to `$HOME`) is
//! not reported, and nothing is reported in a script that turns on `set -e` (`errexit`)
//! anywhere, which stops the script when `cd` fails.
//!
//! **Why** — when the directory does not exist the shell carries on in the wrong directory, and
//! the commands that follow (`rm -rf *`, `make install`) run somewhere else.
//!
//! **Bad** — `RUN pushd /src; make` · **Good** — `RUN pushd /src || exit; make`
//!
//! **Fix** — append `|| exit` to the command (safe: it only changes what happens when the
//! command fails).

use layerlab_syntax::Span;

use super::sc_support::{command_name, mapped};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Sc2164;

static META: RuleMeta = RuleMeta {
    code: "SC2164",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use 'cd ... || exit' or 'cd ... || return' in case cd fails",
    bad: "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-c\"]\nRUN pushd /src; make\n",
    good: "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-c\"]\nRUN pushd /src || exit; make\n",
    fixable: true,
};

impl Rule for Sc2164 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            let commands = cx.commands_of(script);
            let errexit = script.initial_options().errexit
                || commands.iter().any(|c| {
                    c.options.errexit
                        || (command_name(c.command).as_deref() == Some("set") && {
                            let mut options = c.options;
                            options.apply_set(c.command.args());
                            options.errexit
                        })
                });
            if errexit {
                continue;
            }
            for info in commands {
                let Some(name) = command_name(info.command) else {
                    continue;
                };
                let bare_cd = name == "cd" && info.command.args().is_empty();
                if !matches!(name.as_str(), "cd" | "pushd" | "popd") || bare_cd {
                    continue;
                }
                if info.is_tested() {
                    continue;
                }
                let (span, exact) = mapped(cx, script, info.command.span);
                let fix = (exact && !info.in_pipeline()).then(|| Fix {
                    title: format!("Append `|| exit` to `{name}`"),
                    safe: true,
                    edits: vec![Edit {
                        span: Span::new(span.end, span.end),
                        replacement: " || exit".to_owned(),
                    }],
                });
                let message = format!(
                    "Use '{name} ... || exit' or '{name} ... || return' in case {name} fails"
                );
                cx.report_with_fix(&META, span, message, fix);
            }
        }
    }
}
