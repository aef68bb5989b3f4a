//! DL3024 / BuildKit `DuplicateStageName`: stage names must be unique.
//!
//! **What** — two `FROM … AS name` with the same name. Names are compared the way BuildKit
//! resolves them: case-insensitively (`AS Build` and `AS build` collide). Reported at the later
//! one.
//!
//! **Why** — `COPY --from=name`, `FROM name` and `--target name` can only mean one stage;
//! BuildKit silently picks one of them.
//!
//! **Bad** — `FROM debian:12 AS builder` / `FROM golang:1.23 AS builder` ·
//! **Good** — `FROM debian:12 AS deb-builder` / `FROM golang:1.23 AS go-builder`
//!
//! **Fix** — none: renaming a stage means updating every reference to it.

use crate::buildkit::go_quote;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3024;

static META: RuleMeta = RuleMeta {
    code: "DL3024",
    aliases: &["DuplicateStageName"],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Stage names should be unique",
    bad: "FROM debian:12.6 AS builder\nFROM golang:1.23 AS builder\n",
    good: "FROM debian:12.6 AS deb-builder\nFROM golang:1.23 AS go-builder\n",
    fixable: false,
};

impl Rule for Dl3024 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut seen: Vec<&str> = Vec::new();
        for stage in &cx.stages {
            let Some(name) = stage.name.as_deref() else {
                continue;
            };
            if seen.contains(&name) {
                let span = cx.instructions[stage.from]
                    .args
                    .get(2)
                    .map_or(cx.instructions[stage.from].span, |w| w.span);
                cx.report(
                    &META,
                    span,
                    format!(
                        "Duplicate stage name {}, stage names should be unique",
                        go_quote(name)
                    ),
                );
            } else {
                seen.push(name);
            }
        }
    }
}
