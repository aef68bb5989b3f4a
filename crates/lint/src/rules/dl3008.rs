//! DL3008: pin versions in `apt-get install`.
//!
//! **What** — a package argument of `apt-get install` without `=<version>`. Paths and `.deb`
//! files are exempt, and the value of `-t`/`--target-release` is not a package.
//!
//! **Why** — an unpinned package installs whatever the mirror has on the day of the build:
//! two builds of the same Dockerfile differ, and a rebuild can break without any change.
//!
//! **Bad** — `RUN apt-get install -y curl` · **Good** — `RUN apt-get install -y curl=7.88.1-10+deb12u8`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, package_args, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3008;

static META: RuleMeta = RuleMeta {
    code: "DL3008",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
    bad: "FROM debian:12.7\nRUN apt-get install -y --no-install-recommends curl\n",
    good: "FROM debian:12.7\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    fixable: false,
};

/// `apt-get` options that take a value.
pub(crate) const APT_GET: ArgSpec<'static> =
    ArgSpec::new("otc", &["target-release", "option", "config-file"]);

impl Rule for Dl3008 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apt-get"]) {
                continue;
            }
            let Some((_, packages)) = cmd.subcommand(&APT_GET, &["install"]) else {
                continue;
            };
            for (word, text) in package_args(packages) {
                if !text.contains('=') && !text.contains('/') && !text.ends_with(".deb") {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
