//! DL3028: pin versions in `gem install`.
//!
//! **What** — a gem argument of `gem install` (or `gem i`) without `:<version>`, unless the
//! command gives `-v`/`--version`.
//!
//! **Why** — an unpinned gem installs whatever rubygems.org has on the day of the build.
//!
//! **Bad** — `RUN gem install bundler` · **Good** — `RUN gem install bundler:2.5.22`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, package_args, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3028;

static META: RuleMeta = RuleMeta {
    code: "DL3028",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`",
    bad: "FROM ruby:3.3-slim\nRUN gem install bundler\n",
    good: "FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n",
    fixable: false,
};

const GEM: ArgSpec<'static> = ArgSpec::new(
    "vinsP",
    &[
        "version",
        "install-dir",
        "bindir",
        "source",
        "platform",
        "trust-policy",
    ],
);

impl Rule for Dl3028 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["gem"]) {
                continue;
            }
            let Some((_, gems)) = cmd.subcommand(&GEM, &["install", "i"]) else {
                continue;
            };
            if cmd.view().parse_args(&GEM).has(Some('v'), Some("version")) {
                continue;
            }
            for (word, text) in package_args(gems) {
                if !text.contains(':') {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
