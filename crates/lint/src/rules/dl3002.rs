//! DL3002: the last USER of a stage should not be root.
//!
//! **What** — in each stage, the last `USER` is `root`, `0`, `root:<group>` or `0:<group>`
//! (quotes removed). Reported at that USER, once per stage; a stage with no USER is not
//! reported (what the base image runs as is unknown).
//!
//! **Why** — a container that runs as root turns any escape from the application into root on
//! the container, and a step closer to the host.
//!
//! **Bad** — `USER 0` as the last USER · **Good** — `USER 1000` after the steps that need root
//!
//! **Fix** — none: which user to run as is a decision (create one with `useradd` first).

use layerlab_syntax::Keyword;

use super::dl_support::literal;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3002;

static META: RuleMeta = RuleMeta {
    code: "DL3002",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "Last USER should not be root",
    bad: "FROM alpine:3.20\nUSER 0\n",
    good: "FROM alpine:3.20\nUSER 1000\n",
    fixable: false,
};

fn is_root(user: &str) -> bool {
    let name = user.split_once(':').map_or(user, |(name, _group)| name);
    name == "root" || name == "0"
}

impl Rule for Dl3002 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            let last_user = cx
                .stage_instructions(stage)
                .iter()
                .rev()
                .find(|i| i.kind == Keyword::User);
            let Some(word) = last_user.and_then(|i| i.args.first()) else {
                continue;
            };
            let user = literal(cx, &word.value).unwrap_or_else(|| word.value.clone());
            if is_root(user.trim()) {
                cx.report(&META, word.span, META.summary);
            }
        }
    }
}
