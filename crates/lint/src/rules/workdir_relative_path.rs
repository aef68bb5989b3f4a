//! BuildKit `WorkdirRelativePath`: the first WORKDIR of a build should be absolute.
//!
//! **What** — a relative path in the first `WORKDIR` of a stage, counting the stages it is built
//! FROM (a `WORKDIR` in a parent stage makes later relative ones fine). The path is checked
//! after variable expansion, like BuildKit; when it uses a variable whose value the Dockerfile
//! does not fix (a build argument, the base image's environment) it is not judged. Windows
//! absolute forms (`C:\…`, `\…`) count as absolute. Unlike hadolint's DL3000, later relative
//! WORKDIRs are fine: they are relative to a directory this file chose.
//!
//! **Why** — a relative WORKDIR is resolved against the base image's working directory, which
//! can change when the base image does.
//!
//! **Bad** — `WORKDIR app` (first in the stage) · **Good** — `WORKDIR /app`
//!
//! **Fix** — unsafe: make the path absolute from the root (`/app`). That is what it means on a
//! base image without a WORKDIR, not necessarily on yours.

use layerlab_syntax::shell::Lex;
use layerlab_syntax::{Keyword, Span};

use crate::buildkit::{go_quote, walk_stages_for};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct WorkdirRelativePath;

static META: RuleMeta = RuleMeta {
    code: "WorkdirRelativePath",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    bad: "FROM alpine:3.20\n# hadolint ignore=DL3000\nWORKDIR app\n",
    good: "FROM alpine:3.20\nWORKDIR /app\n",
    fixable: true,
};

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.starts_with('/') || path.starts_with('\\') || drive
}

impl Rule for WorkdirRelativePath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let lex = Lex::new(cx.parse.dockerfile.escape);
        walk_stages_for(cx, &[Keyword::Workdir], |_, _, instruction, state| {
            if instruction.kind != Keyword::Workdir || state.workdir_set {
                return;
            }
            let Some(path) = instruction.args.first() else {
                return;
            };
            let Some(expanded) = state.expand(&lex, &path.value) else {
                return;
            };
            if expanded.unknown || is_absolute(&expanded.result) {
                return;
            }
            let literal = cx.slice(path.span) == path.value
                && !path.value.contains(['$', '"', '\'', '\\', '`']);
            let fix = literal.then(|| Fix {
                title: format!("Use /{}", path.value),
                safe: false,
                edits: vec![Edit {
                    span: Span::empty(path.span.start),
                    replacement: "/".to_owned(),
                }],
            });
            cx.report_with_fix(
                &META,
                path.span,
                format!(
                    "Relative workdir {} can have unexpected results if the base image changes",
                    go_quote(&expanded.result)
                ),
                fix,
            );
        });
    }
}
