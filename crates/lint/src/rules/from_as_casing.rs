//! BuildKit `FromAsCasing`: the `AS` keyword should match the case of the `FROM` keyword.
//!
//! **What** — `FROM image as name` or `from image AS name`: an all-upper-case `FROM` with a
//! lower-case `as`, or the other way round. (A mixed-case `From` is left to
//! `ConsistentInstructionCasing`.)
//!
//! **Why** — keywords in one consistent case make the file easier to scan; the two halves of one
//! instruction in different cases looks like a mistake.
//!
//! **Bad** — `FROM golang:1.23 as build` · **Good** — `FROM golang:1.23 AS build`
//!
//! **Fix** — safe: write `AS` in the case of `FROM`.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct FromAsCasing;

static META: RuleMeta = RuleMeta {
    code: "FromAsCasing",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary: "The 'as' keyword should match the case of the 'from' keyword",
    bad: "FROM golang:1.23 as build\n",
    good: "FROM golang:1.23 AS build\n",
    fixable: true,
};

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::From) {
            let [_, as_word, _] = instruction.args.as_slice() else {
                continue;
            };
            if !as_word.value.eq_ignore_ascii_case("as") {
                continue;
            }
            let from = &instruction.keyword.value;
            let expected = if *from == from.to_lowercase() {
                as_word.value.to_lowercase()
            } else if *from == from.to_uppercase() {
                as_word.value.to_uppercase()
            } else {
                continue;
            };
            if as_word.value == expected {
                continue;
            }
            let fix = (cx.slice(as_word.span) == as_word.value).then(|| Fix {
                title: format!("Write `{expected}`"),
                safe: true,
                edits: vec![Edit {
                    span: as_word.span,
                    replacement: expected.clone(),
                }],
            });
            cx.report_with_fix(
                &META,
                as_word.span,
                format!(
                    "'{}' and '{}' keywords' casing do not match",
                    as_word.value, from
                ),
                fix,
            );
        }
    }
}
