//! DL3057: HEALTHCHECK instruction missing (off by default).
//!
//! **What** — a stage with no `HEALTHCHECK` (`HEALTHCHECK NONE` counts as a decision), itself
//! or in the in-file stages it is built on. Reported at the stage's FROM. Every stage is
//! checked, as hadolint does; unlike hadolint, stages are told apart by position, not by the
//! name they are built from (hadolint treats two `FROM node:22` stages as one).
//!
//! **Why** — without a health check an orchestrator only knows the process is alive, not that
//! it serves; a hung server keeps receiving traffic.
//!
//! **Bad** — a service image without HEALTHCHECK ·
//! **Good** — `HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]`, or `HEALTHCHECK NONE`
//!
//! **Fix** — none: how to probe the service is not known.

use layerlab_syntax::Keyword;

use super::dl_support::ancestors;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3057;

static META: RuleMeta = RuleMeta {
    code: "DL3057",
    aliases: &[],
    level: Level::Ignore,
    category: Category::Correctness,
    summary: "`HEALTHCHECK` instruction missing",
    bad: "FROM nginx:1.27\n",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n",
    fixable: false,
};

impl Rule for Dl3057 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let has_healthcheck = |stage: usize| {
            cx.stages.get(stage).is_some_and(|s| {
                cx.stage_instructions(s)
                    .iter()
                    .any(|i| i.kind == Keyword::Healthcheck)
            })
        };
        for stage in &cx.stages {
            if has_healthcheck(stage.index)
                || ancestors(cx, stage.index).into_iter().any(has_healthcheck)
            {
                continue;
            }
            let Some(from) = cx.instructions.get(stage.from) else {
                continue;
            };
            let span = from.args.first().map_or(from.keyword.span, |w| w.span);
            cx.report(&META, span, META.summary);
        }
    }
}
