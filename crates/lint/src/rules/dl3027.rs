//! DL3027: do not use `apt`; use `apt-get` or `apt-cache`.
//!
//! **What** — `apt` used as a command in a RUN.
//!
//! **Why** — `apt` is meant for people at a terminal: its command-line interface is not stable
//! and it warns so when used in scripts.
//!
//! **Bad** — `RUN apt install -y curl` · **Good** — `RUN apt-get install -y curl`
//!
//! **Fix** — replace `apt` with `apt-get` for the subcommands both have (`install`, `update`,
//! `upgrade`, `remove`, `purge`, `autoremove`, `dist-upgrade`, …). Unsafe: apt's defaults
//! differ slightly from apt-get's.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, report};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3027;

static META: RuleMeta = RuleMeta {
    code: "DL3027",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary:
        "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
    bad: "FROM debian:12.7\nRUN apt install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good:
        "FROM debian:12.7\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    fixable: true,
};

const APT_GET_SUBCOMMANDS: &[&str] = &[
    "install",
    "update",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "dist-upgrade",
    "clean",
    "autoclean",
    "build-dep",
    "source",
    "download",
];

impl Rule for Dl3027 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apt"]) {
                continue;
            }
            let span = cmd.name_span();
            let plain =
                cmd.info.name_word().is_some_and(|w| w.is("apt")) && cx.slice(span) == "apt";
            let fix = (plain
                && cmd
                    .subcommand(&ArgSpec::new("otc", &[]), APT_GET_SUBCOMMANDS)
                    .is_some())
            .then(|| Fix {
                title: "Use `apt-get`".to_owned(),
                safe: false,
                edits: vec![Edit {
                    span,
                    replacement: "apt-get".to_owned(),
                }],
            });
            report(cx, &META, span, fix);
        }
    }
}
