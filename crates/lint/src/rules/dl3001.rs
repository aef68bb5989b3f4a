//! DL3001: commands that make no sense in a container.
//!
//! **What** — a RUN (or `ONBUILD RUN`) invokes `free`, `kill`, `mount`, `ps`, `service`,
//! `shutdown`, `ssh`, `top` or `vim`.
//!
//! **Why** — a build step has no running services, no interactive terminal and no other
//! processes to inspect: these commands either do nothing useful or hang the build.
//!
//! **Bad** — `RUN service nginx start` · **Good** — start the service in `CMD`/`ENTRYPOINT`
//!
//! **Fix** — none: what was meant depends on the command.

use super::dl_shell::{commands, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3001;

static META: RuleMeta = RuleMeta {
    code: "DL3001",
    aliases: &[],
    level: Level::Info,
    category: Category::Correctness,
    summary: "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
    bad: "FROM alpine:3.20\nRUN top -b -n 1\n",
    good: "FROM alpine:3.20\nRUN uname -a\n",
    fixable: false,
};

const COMMANDS: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl Rule for Dl3001 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if cmd.is(COMMANDS) {
                report(cx, &META, cmd.name_span(), None);
            }
        }
    }
}
