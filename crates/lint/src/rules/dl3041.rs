//! DL3041: specify versions with `dnf install`.
//!
//! **What** — a package of `dnf`/`microdnf install` without a version
//! (`name-<version>`, also `name-$VERSION`) and is not an `.rpm` file; a `dnf module install`
//! spec without `:<stream>`. A bare `$PACKAGE` is reported: its version cannot be seen.
//!
//! **Why** — an unpinned package installs whatever the repository has on the day of the build.
//!
//! **Bad** — `RUN dnf install -y httpd && dnf clean all` ·
//! **Good** — `RUN dnf install -y httpd-2.4.62 && dnf clean all`
//!
//! **Fix** — none: the version to pin is for you to choose.

use super::dl3033::check_rpm_packages;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3041;

static META: RuleMeta = RuleMeta {
    code: "DL3041",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Specify version with `dnf install -y <package>-<version>`.",
    bad: "FROM fedora:41\nRUN dnf install -y httpd && dnf clean all\n",
    good: "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fixable: false,
};

impl Rule for Dl3041 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_rpm_packages(cx, &META, &["dnf", "microdnf"]);
    }
}
