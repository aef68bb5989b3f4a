//! DL3034: non-interactive switch missing from `zypper`.
//!
//! **What** — `zypper install`/`in`, `remove`/`rm`, `source-install`/`si` or `patch` without
//! `-n`/`--non-interactive`, `-y` or `--no-confirm`.
//!
//! **Why** — zypper asks for confirmation, and a build has no one to answer.
//!
//! **Bad** — `RUN zypper install curl=8.6.0 && zypper clean` ·
//! **Good** — `RUN zypper -n install curl=8.6.0 && zypper clean`
//!
//! **Fix** — add `-n` after `zypper` (safe).

use super::dl_shell::{commands, insert_after, report, ZYPPER};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3034;

static META: RuleMeta = RuleMeta {
    code: "DL3034",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Non-interactive switch missing from `zypper` command: `zypper install -y`",
    bad: "FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean\n",
    fixable: true,
};

const SUBCOMMANDS: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
];

impl Rule for Dl3034 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["zypper"]) || cmd.subcommand(&ZYPPER, SUBCOMMANDS).is_none() {
                continue;
            }
            let args = cmd.view().parse_args(&ZYPPER);
            let quiet = args.has(Some('n'), Some("non-interactive"))
                || args.has(Some('y'), Some("no-confirm"));
            if quiet {
                continue;
            }
            let fix = cmd
                .info
                .name_word()
                .map(|name| insert_after(&cmd, name, "-n", "Add `-n`", true));
            report(cx, &META, cmd.name_span(), fix);
        }
    }
}
