//! DL3046: `useradd` without `-l` and a high UID.
//!
//! **What** — `useradd -u <uid>` with a UID of more than 5 digits and without
//! `-l`/`--no-log-init`.
//!
//! **Why** — useradd reserves a record for every UID up to the new one in
//! `/var/log/lastlog` and `faillog`: a sparse file that a layer stores in full, gigabytes for
//! a large UID.
//!
//! **Bad** — `RUN useradd -u 1000000 app` · **Good** — `RUN useradd -l -u 1000000 app`
//!
//! **Fix** — add `-l` after `useradd` (safe: only the login records are skipped).

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, insert_after, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3046;

static META: RuleMeta = RuleMeta {
    code: "DL3046",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "`useradd` without flag `-l` and high UID will result in excessively large Image.",
    bad: "FROM alpine:3.20\nRUN useradd -u 1000000 app\n",
    good: "FROM alpine:3.20\nRUN useradd -l -u 1000000 app\n",
    fixable: true,
};

const USERADD: ArgSpec<'static> = ArgSpec::new(
    "bcdefgGkKpsuR",
    &[
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "shell",
        "uid",
        "root",
        "selinux-user",
    ],
);

impl Rule for Dl3046 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["useradd"]) {
                continue;
            }
            let args = cmd.view().parse_args(&USERADD);
            if args.has(Some('l'), Some("no-log-init")) {
                continue;
            }
            let Some(uid) = args.value(Some('u'), Some("uid")) else {
                continue;
            };
            let uid = match uid.static_value() {
                Some(uid) => uid,
                None => continue,
            };
            if uid.len() > 5 {
                let fix = cmd
                    .info
                    .name_word()
                    .map(|name| insert_after(&cmd, name, "-l", "Add `-l`", true));
                report(cx, &META, cmd.name_span(), fix);
            }
        }
    }
}
