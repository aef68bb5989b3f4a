//! BuildKit `ConsistentInstructionCasing`: all instructions in one case, upper or lower.
//!
//! **What** — an instruction keyword in mixed case (`Run`), or in the case used by fewer
//! instructions of the file (`run` among `FROM`, `COPY`, `CMD`). The majority is counted over
//! the instructions of the stages (from the first `FROM` on, as BuildKit does); a tie counts as
//! upper case.
//!
//! **Why** — keywords are case-insensitive, so mixed casing carries no meaning and only makes
//! the file harder to read.
//!
//! **Bad** — `FROM alpine:3.20` / `Run echo hello` · **Good** — `FROM alpine:3.20` /
//! `RUN echo hello`
//!
//! **Fix** — safe: rewrite the keyword in the majority case.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct ConsistentInstructionCasing;

static META: RuleMeta = RuleMeta {
    code: "ConsistentInstructionCasing",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary:
        "All commands within the Dockerfile should use the same casing (either upper or lower)",
    bad: "FROM alpine:3.20\nRun echo hello\n",
    good: "FROM alpine:3.20\nRUN echo hello\n",
    fixable: true,
};

impl Rule for ConsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let Some(first) = cx.stages.first() else {
            return;
        };
        let instructions: Vec<_> = cx
            .instructions
            .get(first.from..)
            .unwrap_or_default()
            .iter()
            .filter(|i| i.kind != Keyword::Unknown)
            .collect();
        let (mut lower, mut upper) = (0usize, 0usize);
        for instruction in &instructions {
            let name = &instruction.keyword.value;
            if *name == name.to_lowercase() {
                lower += 1;
            } else if *name == name.to_uppercase() {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for instruction in instructions {
            let keyword = &instruction.keyword;
            let (expected, casing) = if majority_lower {
                (keyword.value.to_lowercase(), "lowercase")
            } else {
                (keyword.value.to_uppercase(), "uppercase")
            };
            if keyword.value == expected {
                continue;
            }
            let fix = (cx.slice(keyword.span) == keyword.value).then(|| Fix {
                title: format!("Write `{expected}`"),
                safe: true,
                edits: vec![Edit {
                    span: keyword.span,
                    replacement: expected.clone(),
                }],
            });
            cx.report_with_fix(
                &META,
                keyword.span,
                format!(
                    "Command '{}' should match the case of the command majority ({casing})",
                    keyword.value
                ),
                fix,
            );
        }
    }
}
