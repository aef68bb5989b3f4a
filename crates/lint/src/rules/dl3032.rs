//! DL3032: `yum clean all` missing after `yum install`.
//!
//! **What** — `yum install` not followed, later in the same RUN, by `yum clean all` or
//! `rm -rf /var/cache/yum/*`.
//!
//! **Why** — yum's metadata and package cache stay in the layer.
//!
//! **Bad** — `RUN yum install -y httpd-2.4.6` ·
//! **Good** — `RUN yum install -y httpd-2.4.6 && yum clean all`
//!
//! **Fix** — none offered: where the cleanup belongs depends on the rest of the RUN.

use super::dl_shell::{commands, later_in_run, removes, report, RPM_TOOL};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3032;

static META: RuleMeta = RuleMeta {
    code: "DL3032",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "`yum clean all` missing after yum command.",
    bad: "FROM centos:7.9.2009\nRUN yum install -y httpd-2.4.6\n",
    good: "FROM centos:7.9.2009\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
    fixable: false,
};

impl Rule for Dl3032 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        for cmd in &all {
            if !cmd.is(&["yum"]) || cmd.subcommand(&RPM_TOOL, &["install"]).is_none() {
                continue;
            }
            let cleaned = later_in_run(&all, cmd).any(|c| {
                (c.is(&["yum"])
                    && c.positionals(&RPM_TOOL)
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .eq(["clean", "all"]))
                    || removes(c, &["/var/cache/yum"])
            });
            if !cleaned {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
