//! DL3040: `dnf clean all` missing after a dnf install.
//!
//! **What** — `dnf`/`microdnf` `install`, `upgrade` or `reinstall` (also `in`, `up`, `update`,
//! `rei`) not followed, later in the same RUN, by `dnf clean all` (`microdnf clean all`) or
//! `rm -rf /var/cache/dnf*`/`/var/cache/libdnf5*`. A cache mount on the dnf cache is exempt.
//!
//! **Why** — dnf's metadata and package cache stay in the layer.
//!
//! **Bad** — `RUN dnf install -y httpd-2.4.62` ·
//! **Good** — `RUN dnf install -y httpd-2.4.62 && dnf clean all`
//!
//! **Fix** — none offered: where the cleanup belongs depends on the rest of the RUN.

use super::dl_shell::{commands, has_cache_mount, later_in_run, removes, report, RPM_TOOL};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3040;

static META: RuleMeta = RuleMeta {
    code: "DL3040",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "`dnf clean all` missing after dnf command.",
    bad: "FROM fedora:41\nRUN dnf install -y httpd-2.4.62\n",
    good: "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fixable: false,
};

const SUBCOMMANDS: &[&str] = &[
    "install",
    "in",
    "upgrade",
    "up",
    "update",
    "reinstall",
    "rei",
    "groupinstall",
    "localinstall",
];

impl Rule for Dl3040 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        for cmd in &all {
            if !cmd.is(&["dnf", "microdnf"]) || cmd.subcommand(&RPM_TOOL, SUBCOMMANDS).is_none() {
                continue;
            }
            if has_cache_mount(cmd.script.run, &["/var/cache/dnf", "/var/cache/libdnf5"]) {
                continue;
            }
            let cleaned = later_in_run(&all, cmd).any(|c| {
                (c.is(&["dnf", "microdnf"])
                    && c.positionals(&RPM_TOOL)
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .eq(["clean", "all"]))
                    || removes(
                        c,
                        &["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"],
                    )
            });
            if !cleaned {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
