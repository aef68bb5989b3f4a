//! DL3019: use the `--no-cache` switch with `apk add`.
//!
//! **What** — `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs on
//! `/var/cache/apk`.
//!
//! **Why** — the package index and downloaded packages stay in the layer.
//!
//! **Bad** — `RUN apk add curl=8.9.1-r2` · **Good** — `RUN apk add --no-cache curl=8.9.1-r2`
//!
//! **Fix** — add `--no-cache` after `add` (safe).

use super::dl3018::APK;
use super::dl_shell::{commands, has_cache_mount, insert_after, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3019;

static META: RuleMeta = RuleMeta {
    code: "DL3019",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
    bad: "FROM alpine:3.20\nRUN apk add curl=8.9.1-r2\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n",
    fixable: true,
};

impl Rule for Dl3019 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apk"]) {
                continue;
            }
            let Some((add, _)) = cmd.subcommand(&APK, &["add"]) else {
                continue;
            };
            if cmd.has_flag(None, Some("no-cache"))
                || has_cache_mount(cmd.script.run, &["/var/cache/apk"])
            {
                continue;
            }
            let fix = insert_after(&cmd, add, "--no-cache", "Add `--no-cache`", true);
            report(cx, &META, cmd.name_span(), Some(fix));
        }
    }
}
