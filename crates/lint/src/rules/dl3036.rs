//! DL3036: `zypper clean` missing after `zypper install`.
//!
//! **What** — `zypper install` (or `in`) not followed, later in the same RUN, by
//! `zypper clean` (or `cc`). A cache mount on `/var/cache/zypp` is exempt.
//!
//! **Why** — zypper's package cache stays in the layer.
//!
//! **Bad** — `RUN zypper -n install curl=8.6.0` ·
//! **Good** — `RUN zypper -n install curl=8.6.0 && zypper clean`
//!
//! **Fix** — none offered: where the cleanup belongs depends on the rest of the RUN.

use super::dl_shell::{commands, has_cache_mount, later_in_run, report, ZYPPER};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3036;

static META: RuleMeta = RuleMeta {
    code: "DL3036",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "`zypper clean` missing after zypper use.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n",
    fixable: false,
};

impl Rule for Dl3036 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        for cmd in &all {
            if !cmd.is(&["zypper"]) || cmd.subcommand(&ZYPPER, &["install", "in"]).is_none() {
                continue;
            }
            if has_cache_mount(cmd.script.run, &["/var/cache/zypp"]) {
                continue;
            }
            let cleaned = later_in_run(&all, cmd)
                .any(|c| c.is(&["zypper"]) && c.subcommand(&ZYPPER, &["clean", "cc"]).is_some());
            if !cleaned {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
