//! DL3033: specify versions with `yum install`.
//!
//! **What** — a package of `yum install` without a version (`name-<version>`, also
//! `name-$VERSION`) and is not an `.rpm` file; a `yum module install` spec without
//! `:<stream>`. A bare `$PACKAGE` is reported: its version cannot be seen.
//!
//! **Why** — an unpinned package installs whatever the repository has on the day of the build.
//!
//! **Bad** — `RUN yum install -y httpd && yum clean all` ·
//! **Good** — `RUN yum install -y httpd-2.4.6 && yum clean all`
//!
//! **Fix** — none: the version to pin is for you to choose.

use super::dl_shell::{commands, package_args, report, rpm_pinned, RPM_TOOL};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3033;

static META: RuleMeta = RuleMeta {
    code: "DL3033",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Specify version with `yum install -y <package>-<version>`.",
    bad: "FROM centos:7.9.2009\nRUN yum install -y httpd && yum clean all\n",
    good: "FROM centos:7.9.2009\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
    fixable: false,
};

/// Reports the unpinned packages of a yum/dnf `install` or `module install`.
pub(crate) fn check_rpm_packages(cx: &Context<'_>, meta: &'static RuleMeta, tools: &[&str]) {
    for cmd in commands(cx, true) {
        if !cmd.is(tools) {
            continue;
        }
        if let Some((_, packages)) = cmd.subcommand(&RPM_TOOL, &["install"]) {
            for (word, text) in package_args(packages) {
                if !rpm_pinned(&text) {
                    report(cx, meta, cmd.span(word), None);
                }
            }
        } else if let Some((_, rest)) = cmd.subcommand(&RPM_TOOL, &["module"]) {
            let mut rest = rest.into_iter();
            if rest.next().is_some_and(|(_, t)| t == "install") {
                for (word, text) in package_args(rest.collect()) {
                    if !text.contains(':') {
                        report(cx, meta, cmd.span(word), None);
                    }
                }
            }
        }
    }
}

impl Rule for Dl3033 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_rpm_packages(cx, &META, &["yum"]);
    }
}
