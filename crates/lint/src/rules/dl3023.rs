//! DL3023: `COPY --from` cannot reference its own FROM alias.
//!
//! **What** — `COPY --from=X` inside the stage named X (compared case-insensitively, as
//! BuildKit does).
//!
//! **Why** — a stage cannot copy from itself: BuildKit reports a circular dependency and the
//! build fails.
//!
//! **Bad** — `FROM golang:1.23 AS build` then `COPY --from=build …` in the same stage ·
//! **Good** — copy from the stage in a later stage
//!
//! **Fix** — none: the intended source is a guess.

use layerlab_syntax::Keyword;

use super::dl_support::flag_value_span;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3023;

static META: RuleMeta = RuleMeta {
    code: "DL3023",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "`COPY --from` cannot reference its own `FROM` alias",
    bad: "FROM golang:1.23 AS build\nCOPY --from=build /out/app /usr/local/bin/app\n",
    good: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n",
    fixable: false,
};

impl Rule for Dl3023 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (index, instruction) in cx.instructions.iter().enumerate() {
            if instruction.kind != Keyword::Copy {
                continue;
            }
            let Some(stage) = cx
                .stage_of
                .get(index)
                .copied()
                .flatten()
                .and_then(|s| cx.stages.get(s))
            else {
                continue;
            };
            let (Some(flag), Some(name)) = (instruction.flag("from"), stage.name.as_deref()) else {
                continue;
            };
            if flag.value().is_some_and(|v| v.to_lowercase() == name) {
                cx.report(&META, flag_value_span(cx, flag), META.summary);
            }
        }
    }
}
