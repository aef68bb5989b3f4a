//! DL3063 / BuildKit `ReservedStageName`: `scratch` and `context` are not stage names.
//!
//! **What** — `FROM … AS scratch` or `FROM … AS context` (in any case: BuildKit lower-cases
//! stage names).
//!
//! **Why** — both words already mean something: `scratch` is the empty image and `context` the
//! build context (`COPY --from=context`, named contexts). A stage with either name shadows that
//! meaning or is shadowed by it.
//!
//! **Bad** — `FROM alpine:3.20 AS scratch` · **Good** — `FROM alpine:3.20 AS base`
//!
//! **Fix** — none: the stage needs a name of your choosing.

use crate::buildkit::go_quote;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3063;

static META: RuleMeta = RuleMeta {
    code: "DL3063",
    aliases: &["ReservedStageName"],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Reserved words should not be used as stage names",
    bad: "FROM alpine:3.20 AS scratch\n",
    good: "FROM alpine:3.20 AS base\n",
    fixable: false,
};

impl Rule for Dl3063 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            let Some(name) = stage.name.as_deref() else {
                continue;
            };
            if name != "scratch" && name != "context" {
                continue;
            }
            let from = &cx.instructions[stage.from];
            let span = from.args.get(2).map_or(from.span, |w| w.span);
            cx.report(
                &META,
                span,
                format!(
                    "Stage name should not use the same name as reserved stage {}",
                    go_quote(name)
                ),
            );
        }
    }
}
