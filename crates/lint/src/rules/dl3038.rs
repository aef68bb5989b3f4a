//! DL3038: use the `-y` switch with `dnf install`.
//!
//! **What** — `dnf` or `microdnf` `install`, `groupinstall` or `localinstall` without
//! `-y`/`--assumeyes`.
//!
//! **Why** — without it dnf asks for confirmation, and a build has no one to answer.
//!
//! **Bad** — `RUN dnf install httpd-2.4.62 && dnf clean all` ·
//! **Good** — `RUN dnf install -y httpd-2.4.62 && dnf clean all`
//!
//! **Fix** — add `-y` after the subcommand (safe).

use super::dl_shell::{commands, insert_after, report, RPM_TOOL};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3038;

static META: RuleMeta = RuleMeta {
    code: "DL3038",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use the -y switch to avoid manual input `dnf install -y <package>`",
    bad: "FROM fedora:41\nRUN dnf install httpd-2.4.62 && dnf clean all\n",
    good: "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fixable: true,
};

impl Rule for Dl3038 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["dnf", "microdnf"]) {
                continue;
            }
            let Some((sub, _)) =
                cmd.subcommand(&RPM_TOOL, &["install", "groupinstall", "localinstall"])
            else {
                continue;
            };
            if !cmd.has_flag(Some('y'), Some("assumeyes")) {
                let fix = insert_after(&cmd, sub, "-y", "Add `-y`", true);
                report(cx, &META, cmd.name_span(), Some(fix));
            }
        }
    }
}
