//! BuildKit `StageNameCasing`: stage names should be lowercase.
//!
//! **What** — `FROM image AS Build`: a stage name with upper-case letters.
//!
//! **Why** — stage names are case-insensitive (BuildKit lower-cases them), so `Build` and
//! `build` are the same stage; mixed case suggests a difference that does not exist.
//!
//! **Bad** — `FROM golang:1.23 AS Build` · **Good** — `FROM golang:1.23 AS build`
//!
//! **Fix** — safe: lower-case the name (references are case-insensitive already).

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct StageNameCasing;

static META: RuleMeta = RuleMeta {
    code: "StageNameCasing",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary: "Stage names should be lowercase",
    bad: "FROM golang:1.23 AS Build\n",
    good: "FROM golang:1.23 AS build\n",
    fixable: true,
};

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            let Some(name) = cx.instructions[stage.from].args.get(2) else {
                continue;
            };
            if name.value == name.value.to_lowercase() {
                continue;
            }
            let fix = Fix {
                title: "Lower-case the stage name".to_owned(),
                safe: true,
                edits: vec![Edit {
                    span: name.span,
                    replacement: name.value.to_lowercase(),
                }],
            };
            cx.report_with_fix(
                &META,
                name.span,
                format!("Stage name '{}' should be lowercase", name.value),
                Some(fix),
            );
        }
    }
}
