//! DL3035: do not use `zypper dist-upgrade`.
//!
//! **What** — `zypper dist-upgrade` (or `dup`) in a RUN.
//!
//! **Why** — a distribution upgrade inside an image build makes the result depend on the day
//! of the build; use a newer base image instead.
//!
//! **Bad** — `RUN zypper -n dup` · **Good** — `FROM` a newer base image
//!
//! **Fix** — none: the base image to use is for you to choose.

use super::dl_shell::{commands, report, ZYPPER};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3035;

static META: RuleMeta = RuleMeta {
    code: "DL3035",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Do not use `zypper dist-upgrade`.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper -n dist-upgrade && zypper clean\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n",
    fixable: false,
};

impl Rule for Dl3035 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["zypper"]) {
                continue;
            }
            if let Some((sub, _)) = cmd.subcommand(&ZYPPER, &["dist-upgrade", "dup"]) {
                let span = cmd.name_span().cover(cmd.span(sub));
                report(cx, &META, span, None);
            }
        }
    }
}
