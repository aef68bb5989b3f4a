//! DL3030: use the `-y` switch with `yum install`.
//!
//! **What** — `yum install`, `groupinstall` or `localinstall` without `-y`/`--assumeyes`.
//!
//! **Why** — without it yum asks for confirmation, and a build has no one to answer.
//!
//! **Bad** — `RUN yum install httpd-2.4.6 && yum clean all` ·
//! **Good** — `RUN yum install -y httpd-2.4.6 && yum clean all`
//!
//! **Fix** — add `-y` after the subcommand (safe).

use super::dl_shell::{commands, insert_after, report, RPM_TOOL};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3030;

static META: RuleMeta = RuleMeta {
    code: "DL3030",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use the -y switch to avoid manual input `yum install -y <package>`",
    bad: "FROM centos:7.9.2009\nRUN yum install httpd-2.4.6 && yum clean all\n",
    good: "FROM centos:7.9.2009\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
    fixable: true,
};

impl Rule for Dl3030 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["yum"]) {
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
