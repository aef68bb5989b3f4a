//! DL3044: do not refer to an environment variable within the same ENV statement where it is
//! defined.
//!
//! **What** — in `ENV A=1 B=$A`, the value of one pair refers to a variable that another pair
//! of the same ENV defines, and no earlier ENV or ARG of the file defines it. Unlike hadolint,
//! references are found the way BuildKit expands them: `${A:-x}` counts, `'$A'` (single
//! quotes) and `\$A` (escaped) do not.
//!
//! **Why** — every value of one ENV is expanded with the variables as they were *before* the
//! instruction, so `B` gets the old (usually empty) `A`, not `1`.
//!
//! **Bad** — `ENV APP_HOME=/app APP_BIN=$APP_HOME/bin` ·
//! **Good** — `ENV APP_HOME=/app` then `ENV APP_BIN=$APP_HOME/bin`
//!
//! **Fix** — unsafe (the value changes to what was presumably meant): split the ENV before the
//! pair that makes the reference, when the variable is defined by an earlier pair.

use std::collections::BTreeSet;

use layerlab_syntax::{Instruction, Keyword, Span};

use super::dl_support::{arg_name, pairs, sub_span, var_refs};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3044;

static META: RuleMeta = RuleMeta {
    code: "DL3044",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Do not refer to an environment variable within the same `ENV` statement where it is defined",
    bad: "FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin\n",
    good: "FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_BIN=$APP_HOME/bin\n",
    fixable: true,
};

fn check_env(cx: &Context<'_>, instruction: &Instruction, defined: &BTreeSet<String>) {
    let pairs = pairs(instruction);
    let escape = cx.parse.dockerfile.escape;
    for (j, pair) in pairs.iter().enumerate() {
        let mut fixed = false;
        for reference in var_refs(&pair.value.value, escape) {
            if defined.contains(&reference.name) {
                continue;
            }
            let Some(k) = pairs
                .iter()
                .enumerate()
                .position(|(k, p)| k != j && p.key.value == reference.name)
            else {
                continue;
            };
            let span = sub_span(cx, pair.value, reference.range.clone());
            // Split before this pair when the definition comes first.
            let fix = (k < j && !fixed)
                .then(|| j.checked_sub(1).and_then(|p| pairs.get(p)))
                .flatten()
                .and_then(|previous| {
                    let gap = Span::new(previous.value.span.end, pair.key.span.start);
                    let between = cx.slice(gap);
                    let clean = !between.is_empty()
                        && between.chars().all(|c| c.is_whitespace() || c == escape);
                    clean.then(|| Fix {
                        title: format!("Define `{}` in an ENV of its own first", reference.name),
                        safe: false,
                        edits: vec![Edit {
                            span: gap,
                            replacement: format!("\n{} ", instruction.keyword.value),
                        }],
                    })
                });
            fixed |= fix.is_some();
            cx.report_with_fix(
                &META,
                span,
                format!(
                    "Do not refer to `{}` within the same `ENV` statement where it is defined",
                    reference.name
                ),
                fix,
            );
        }
    }
}

impl Rule for Dl3044 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut defined: BTreeSet<String> = BTreeSet::new();
        for instruction in cx.instructions {
            match instruction.kind {
                Keyword::Env => {
                    check_env(cx, instruction, &defined);
                    defined.extend(pairs(instruction).iter().map(|p| p.key.value.clone()));
                }
                Keyword::Arg => {
                    defined.extend(
                        instruction
                            .args
                            .iter()
                            .map(|w| arg_name(cx, w).0.to_owned()),
                    );
                }
                _ => {}
            }
        }
    }
}
