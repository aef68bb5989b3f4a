//! DL3018: pin versions in `apk add`.
//!
//! **What** — a package argument of `apk add` with none of `=`, `~`, `>`, `<` that is not an
//! `.apk` file. The values of `-t`/`--virtual` and `-X`/`--repository` are not packages.
//!
//! **Why** — an unpinned package installs whatever the repository has on the day of the
//! build, so rebuilds are not reproducible.
//!
//! **Bad** — `RUN apk add --no-cache curl` · **Good** — `RUN apk add --no-cache curl=8.9.1-r2`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, package_args, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3018;

static META: RuleMeta = RuleMeta {
    code: "DL3018",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary:
        "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
    bad: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2\n",
    fixable: false,
};

/// `apk` options that take a value.
pub(crate) const APK: ArgSpec<'static> = ArgSpec::new(
    "tXp",
    &[
        "virtual",
        "repository",
        "root",
        "cache-dir",
        "keys-dir",
        "arch",
        "repositories-file",
    ],
);

impl Rule for Dl3018 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apk"]) {
                continue;
            }
            let Some((_, packages)) = cmd.subcommand(&APK, &["add"]) else {
                continue;
            };
            for (word, text) in package_args(packages) {
                if !text.contains(['=', '~', '>', '<']) && !text.ends_with(".apk") {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
