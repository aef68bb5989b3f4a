//! DL4005: use SHELL to change the default shell.
//!
//! **What** — `ln` in a RUN with `/bin/sh` among its arguments: re-linking the shell.
//!
//! **Why** — replacing `/bin/sh` changes the shell for everything in the image, including
//! scripts of packages that expect the original; `SHELL` changes it for the build only.
//!
//! **Bad** — `RUN ln -sf /bin/bash /bin/sh` · **Good** — `SHELL ["/bin/bash", "-c"]`
//!
//! **Fix** — none: whether the image needs the link is for you to decide.

use super::dl_shell::{commands, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl4005;

static META: RuleMeta = RuleMeta {
    code: "DL4005",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use SHELL to change the default shell",
    bad: "FROM debian:12.7\nRUN ln -sf /bin/bash /bin/sh\n",
    good: "FROM debian:12.7\nSHELL [\"/bin/bash\", \"-c\"]\n",
    fixable: false,
};

impl Rule for Dl4005 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["ln"]) {
                continue;
            }
            for word in cmd.view().args() {
                if cmd.text(word) == "/bin/sh" {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
