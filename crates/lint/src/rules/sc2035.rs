//! SC2035: use `./*glob*` or `-- *glob*` so names with dashes won't become options.
//!
//! **What** — a command argument that starts with an unquoted `*` glob (`*.sh`, `*`), when
//! no `--` comes before it. `echo` and `printf`, which take no file options, are not
//! reported.
//!
//! **Why** — a file named `-rf` or `--help` expands into an option of the command.
//!
//! **Bad** — `RUN chmod +x *.sh` · **Good** — `RUN chmod +x ./*.sh`
//!
//! **Fix** — prefix the glob with `./` (unsafe: the names the command receives change, which
//! matters to commands such as `tar` that record them).

use layerlab_shell::WordPart;
use layerlab_syntax::Span;

use super::sc_support::{command_name, mapped};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Sc2035;

static META: RuleMeta = RuleMeta {
    code: "SC2035",
    aliases: &[],
    level: Level::Info,
    category: Category::Correctness,
    summary: "Use ./*glob* or -- *glob* so names with dashes won't become options",
    bad: "FROM alpine:3.20\nRUN chmod +x *.sh\n",
    good: "FROM alpine:3.20\nRUN chmod +x ./*.sh\n",
    fixable: true,
};

impl Rule for Sc2035 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            for info in cx.commands_of(script) {
                let name = command_name(info.command).unwrap_or_default();
                if matches!(name.as_str(), "echo" | "printf" | "") {
                    continue;
                }
                for word in info.command.args() {
                    if word.is("--") {
                        break;
                    }
                    let starts_with_star = matches!(
                        word.parts.first(),
                        Some(WordPart::Glob { text, .. }) if text.starts_with('*')
                    );
                    if !starts_with_star {
                        continue;
                    }
                    let (span, exact) = mapped(cx, script, word.span);
                    let fix = exact.then(|| Fix {
                        title: "Prefix the glob with `./`".to_owned(),
                        safe: false,
                        edits: vec![Edit {
                            span: Span::new(span.start, span.start),
                            replacement: "./".to_owned(),
                        }],
                    });
                    cx.report_with_fix(&META, span, META.summary, fix);
                }
            }
        }
    }
}
