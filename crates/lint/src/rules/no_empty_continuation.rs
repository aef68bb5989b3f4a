//! BuildKit `NoEmptyContinuation`: empty continuation lines will become errors.
//!
//! **What** — a blank line inside a `\`-continued instruction.
//!
//! **Why** — BuildKit skips it today with a warning and has announced it will become an error;
//! it also hides where an instruction really ends.
//!
//! **Bad** — `RUN apk add \` / *(blank)* / `    curl` · **Good** — no blank line, or a comment
//!
//! **Fix** — safe: delete the blank line.

use layerlab_syntax::Span;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct NoEmptyContinuation;

static META: RuleMeta = RuleMeta {
    code: "NoEmptyContinuation",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Empty continuation lines will become errors in a future release",
    bad: "FROM alpine:3.20\nRUN apk add --no-cache \\\n\n    curl=8.9.1-r2\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache \\\n    curl=8.9.1-r2\n",
    fixable: true,
};

impl Rule for NoEmptyContinuation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for warning in cx
            .parse
            .warnings
            .iter()
            .filter(|w| w.code == "NoEmptyContinuation")
        {
            // The whole line, its line ending included.
            let end = cx.text[warning.span.end..]
                .find('\n')
                .map_or(cx.text.len(), |i| warning.span.end + i + 1);
            let fix = Fix {
                title: "Delete the empty line".to_owned(),
                safe: true,
                edits: vec![Edit {
                    span: Span::new(warning.span.start, end),
                    replacement: String::new(),
                }],
            };
            cx.report_with_fix(&META, warning.span, "Empty continuation line", Some(fix));
        }
    }
}
