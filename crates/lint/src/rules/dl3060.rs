//! DL3060: `yarn cache clean` missing after `yarn install`.
//!
//! **What** — `yarn install` not followed, later in the same RUN, by `yarn cache clean`.
//! Only stages that ship are checked: the final stage, stages a later stage builds `FROM`,
//! and `ONBUILD` triggers. A cache mount on `…/.cache/yarn` is exempt.
//!
//! **Why** — yarn's download cache stays in the layer.
//!
//! **Bad** — `RUN yarn install --frozen-lockfile` ·
//! **Good** — `RUN yarn install --frozen-lockfile && yarn cache clean`
//!
//! **Fix** — none offered: where the cleanup belongs depends on the rest of the RUN.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, has_cache_mount, later_in_run, report, ships};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3060;

static META: RuleMeta = RuleMeta {
    code: "DL3060",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "`yarn cache clean` missing after `yarn install` was run.",
    bad: "FROM node:22.11-alpine\nWORKDIR /app\nRUN yarn install --frozen-lockfile\n",
    good: "FROM node:22.11-alpine\nWORKDIR /app\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
    fixable: false,
};

impl Rule for Dl3060 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        for cmd in &all {
            if !cmd.is(&["yarn"]) || cmd.subcommand(&ArgSpec::NONE, &["install"]).is_none() {
                continue;
            }
            if !ships(cx, cmd.script) || has_cache_mount(cmd.script.run, &[".cache/yarn"]) {
                continue;
            }
            let cleaned = later_in_run(&all, cmd).any(|c| {
                c.is(&["yarn"])
                    && c.positionals(&ArgSpec::NONE)
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .take(2)
                        .eq(["cache", "clean"])
            });
            if !cleaned {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
