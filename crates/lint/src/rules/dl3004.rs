//! DL3004: do not use sudo.
//!
//! **What** — `sudo` used as a command in a RUN (or `ONBUILD RUN`).
//!
//! **Why** — RUN already runs as the current `USER`; sudo adds a TTY and PAM behaviour that
//! differ between images and may not be installed at all. Switch with `USER`, or use `gosu`
//! in entrypoints.
//!
//! **Bad** — `RUN sudo make install` · **Good** — `USER root` then `RUN make install`
//!
//! **Fix** — none: which user should run the rest is for you to decide.

use super::dl_shell::{commands, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3004;

static META: RuleMeta = RuleMeta {
    code: "DL3004",
    aliases: &[],
    level: Level::Error,
    category: Category::Security,
    summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
    bad: "FROM alpine:3.20\nRUN sudo touch /marker\n",
    good: "FROM alpine:3.20\nRUN touch /marker\n",
    fixable: false,
};

impl Rule for Dl3004 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if cmd.is(&["sudo"]) {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
