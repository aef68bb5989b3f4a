//! DL3014: use the `-y` switch with `apt-get install`.
//!
//! **What** — `apt-get install` with none of `-y`, `--yes`, `--assume-yes`, `-qq`, `-q -q` or
//! `-q=2`.
//!
//! **Why** — without it apt-get asks for confirmation, and a build has no one to answer: the
//! install aborts.
//!
//! **Bad** — `RUN apt-get install curl` · **Good** — `RUN apt-get install -y curl`
//!
//! **Fix** — add `-y` after `install` (safe).

use super::dl3008::APT_GET;
use super::dl_shell::{commands, insert_after, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3014;

static META: RuleMeta = RuleMeta {
    code: "DL3014",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
    bad: "FROM debian:12.7\nRUN apt-get install --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good:
        "FROM debian:12.7\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    fixable: true,
};

impl Rule for Dl3014 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["apt-get"]) {
                continue;
            }
            let Some((install, _)) = cmd.subcommand(&APT_GET, &["install"]) else {
                continue;
            };
            let args = cmd.view().parse_args(&APT_GET);
            let yes = args.has(Some('y'), Some("yes"))
                || args.has(None, Some("assume-yes"))
                || args.count(Some('q'), None) >= 2
                || cmd.has_arg(&["-q=2", "--quiet=2"]);
            if !yes {
                let fix = insert_after(&cmd, install, "-y", "Add `-y`", true);
                report(cx, &META, cmd.name_span(), Some(fix));
            }
        }
    }
}
