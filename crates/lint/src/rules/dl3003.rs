//! DL3003: use WORKDIR to switch to a directory.
//!
//! **What** — `cd` used as a command in a RUN.
//!
//! **Why** — `cd` lasts for one RUN only; later instructions are back in the old directory,
//! which surprises readers. `WORKDIR` states the directory once, for every later instruction.
//!
//! **Bad** — `RUN cd /app && make` · **Good** — `WORKDIR /app` then `RUN make`
//!
//! **Fix** — none: where the WORKDIR goes depends on the instructions around it.

use super::dl_shell::{commands, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3003;

static META: RuleMeta = RuleMeta {
    code: "DL3003",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary: "Use WORKDIR to switch to a directory",
    bad: "FROM alpine:3.20\nRUN cd /tmp && touch marker\n",
    good: "FROM alpine:3.20\nWORKDIR /tmp\nRUN touch marker\n",
    fixable: false,
};

impl Rule for Dl3003 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, false) {
            if cmd.view().is("cd") {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
