//! DL3037: specify versions with `zypper install`.
//!
//! **What** — a package of `zypper install` (or `in`) with none of `=`, `>=`, `>`, `<=`, `<`
//! that is not an `.rpm` file.
//!
//! **Why** — an unpinned package installs whatever the repository has on the day of the build.
//!
//! **Bad** — `RUN zypper -n install curl && zypper clean` ·
//! **Good** — `RUN zypper -n install curl=8.6.0 && zypper clean`
//!
//! **Fix** — none: the version to pin is for you to choose.

use super::dl_shell::{commands, package_args, report, ZYPPER};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3037;

static META: RuleMeta = RuleMeta {
    code: "DL3037",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Specify version with `zypper install -y <package>=<version>`.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n",
    fixable: false,
};

impl Rule for Dl3037 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["zypper"]) {
                continue;
            }
            let Some((_, packages)) = cmd.subcommand(&ZYPPER, &["install", "in"]) else {
                continue;
            };
            for (word, text) in package_args(packages) {
                if !text.contains(['=', '>', '<']) && !text.ends_with(".rpm") {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
