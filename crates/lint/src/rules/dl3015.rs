//! DL3015: avoid additional packages by specifying `--no-install-recommends`.
//!
//! **What** — `apt-get install` without `--no-install-recommends` (or
//! `-o APT::Install-Recommends=false`).
//!
//! **Why** — recommended packages are not needed to run what you install, and they often
//! double the size of the layer.
//!
//! **Bad** — `RUN apt-get install -y curl` ·
//! **Good** — `RUN apt-get install -y --no-install-recommends curl`
//!
//! **Fix** — add `--no-install-recommends` after `install` (unsafe: something may rely on a
//! recommended package).

use super::dl3008::APT_GET;
use super::dl_shell::{commands, insert_after, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3015;

static META: RuleMeta = RuleMeta {
    code: "DL3015",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "Avoid additional packages by specifying `--no-install-recommends`",
    bad: "FROM debian:12.7\nRUN apt-get install -y curl=7.88.1-10+deb12u8\n",
    good:
        "FROM debian:12.7\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    fixable: true,
};

impl Rule for Dl3015 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apt-get"]) {
                continue;
            }
            let Some((install, _)) = cmd.subcommand(&APT_GET, &["install"]) else {
                continue;
            };
            let ok = cmd.has_flag(None, Some("no-install-recommends"))
                || cmd
                    .view()
                    .args()
                    .iter()
                    .any(|w| cmd.text(w).contains("APT::Install-Recommends=false"));
            if !ok {
                let fix = insert_after(
                    &cmd,
                    install,
                    "--no-install-recommends",
                    "Add `--no-install-recommends`",
                    false,
                );
                report(cx, &META, cmd.name_span(), Some(fix));
            }
        }
    }
}
