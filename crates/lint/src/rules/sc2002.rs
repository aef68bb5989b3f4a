//! SC2002: useless cat.
//!
//! **What** — `cat FILE | cmd`: `cat` with one file and no options, at the head of a pipeline.
//!
//! Off by default, as in ShellCheck 0.11 (which hadolint 2.15 links), where this check is
//! optional; enable it (or give it a level with `override`) to use it.
//!
//! **Why** — an extra process and pipe just to read a file the next command can read itself,
//! either as its argument or with `< FILE`.
//!
//! **Bad** — `RUN cat /etc/os-release | grep ID` · **Good** — `RUN grep ID /etc/os-release`
//!
//! **Fix** — `cmd < FILE` (unsafe: a few programs behave differently when stdin is a file).

use layerlab_shell::{Command, RedirectOp};
use layerlab_syntax::Span;

use super::sc_support::{command_name, mapped};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Sc2002;

static META: RuleMeta = RuleMeta {
    code: "SC2002",
    aliases: &[],
    level: Level::Ignore,
    category: Category::Style,
    summary: "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead",
    bad: "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN cat /etc/os-release | grep ID\n",
    good: "FROM alpine:3.20\nRUN grep ID /etc/os-release\n",
    fixable: true,
};

impl Rule for Sc2002 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            for info in cx.commands_of(script) {
                if info.index_in_pipeline != 0 || !info.pipes_output() {
                    continue;
                }
                let command = info.command;
                if command_name(command).as_deref() != Some("cat")
                    || !command.assignments.is_empty()
                    || !command.redirects.is_empty()
                {
                    continue;
                }
                let [file] = command.args() else {
                    continue;
                };
                let Some(path) = file.static_value() else {
                    continue;
                };
                if path.starts_with('-') || file.has_glob() {
                    continue;
                }
                let (span, exact) = mapped(cx, script, command.span);
                let fix = match info.pipeline.commands.get(1) {
                    Some(Command::Simple(next))
                        if exact
                            && !next.redirects.iter().any(|r| {
                                r.op == RedirectOp::Read && r.fd.is_none_or(|fd| fd == 0)
                            }) =>
                    {
                        let (next_span, next_exact) = mapped(cx, script, next.span);
                        next_exact.then(|| Fix {
                            title: "Read the file with `<` instead of `cat |`".to_owned(),
                            safe: false,
                            edits: vec![
                                Edit {
                                    span: Span::new(span.start, next_span.start),
                                    replacement: String::new(),
                                },
                                Edit {
                                    span: Span::new(next_span.end, next_span.end),
                                    replacement: format!(
                                        " < {}",
                                        cx.slice(mapped(cx, script, file.span).0)
                                    ),
                                },
                            ],
                        })
                    }
                    _ => None,
                };
                cx.report_with_fix(&META, span, META.summary, fix);
            }
        }
    }
}
