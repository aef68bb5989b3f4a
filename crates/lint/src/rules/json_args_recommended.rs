//! BuildKit `JSONArgsRecommended`: JSON arguments for `CMD` and `ENTRYPOINT`.
//!
//! **What** — `CMD` or `ENTRYPOINT` in shell form while no `SHELL` instruction is in effect (in
//! the stage, or in an earlier stage it is built FROM). Unlike hadolint's DL3025, an explicit
//! `SHELL` exempts the stage — the author chose the shell that wraps the command — and
//! `HEALTHCHECK` is not covered. A `SHELL` set by the base image's configuration would exempt it
//! too in BuildKit; that configuration is not available here, so such images are treated as
//! having none.
//!
//! **Why** — in shell form the process runs as a child of `/bin/sh -c`, which does not pass on
//! signals: `docker stop` waits out its timeout and then kills the container.
//!
//! **Bad** — `CMD node server.js` · **Good** — `CMD ["node", "server.js"]`
//!
//! **Fix** — the exec form: safe when the command is plain words, otherwise unsafe and keeping
//! the shell explicitly (`["/bin/sh", "-c", "…"]`).

use layerlab_syntax::Keyword;

use crate::buildkit::walk_stages_for;
use crate::rules::dl3025::exec_form;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct JsonArgsRecommended;

static META: RuleMeta = RuleMeta {
    code: "JSONArgsRecommended",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    bad: "FROM node:22.11\n# hadolint ignore=DL3025\nCMD node server.js\n",
    good: "FROM node:22.11\nCMD [\"node\", \"server.js\"]\n",
    fixable: true,
};

impl Rule for JsonArgsRecommended {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        walk_stages_for(
            cx,
            &[Keyword::Cmd, Keyword::Entrypoint],
            |_, _, instruction, state| {
                if !matches!(instruction.kind, Keyword::Cmd | Keyword::Entrypoint)
                    || instruction.json
                    || state.shell
                {
                    return;
                }
                let Some(command) = instruction.args.first() else {
                    return;
                };
                let (replacement, safe) = exec_form(&command.value);
                let fix = (cx.slice(command.span) == command.value).then(|| Fix {
                    title: "Use the JSON (exec) form".to_owned(),
                    safe,
                    edits: vec![Edit {
                        span: command.span,
                        replacement,
                    }],
                });
                cx.report_with_fix(
                &META,
                command.span,
                format!(
                    "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                    instruction.keyword.value
                ),
                fix,
            );
            },
        );
    }
}
