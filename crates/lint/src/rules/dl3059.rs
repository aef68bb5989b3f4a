//! DL3059: multiple consecutive RUN instructions.
//!
//! **What** — a RUN directly after another RUN (only comments between them) with the same
//! flags (`--mount`, `--network`, …), when each runs a single command (commands in `$(…)`
//! count, `[ … ]` tests do not, as in hadolint). RUNs of several commands are taken to be
//! split on purpose.
//!
//! **Why** — each RUN is a layer; short consecutive RUNs make more layers than needed.
//!
//! **Bad** — `RUN mkdir /app` then `RUN touch /app/marker` ·
//! **Good** — `RUN mkdir /app && touch /app/marker`
//!
//! **Fix** — none: joining RUNs changes how the build cache splits them.

use layerlab_syntax::{Instruction, Keyword};

use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3059;

static META: RuleMeta = RuleMeta {
    code: "DL3059",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "Multiple consecutive `RUN` instructions. Consider consolidation.",
    bad: "FROM alpine:3.20\nRUN mkdir /app\nRUN touch /app/marker\n",
    good: "FROM alpine:3.20\nRUN mkdir /app && touch /app/marker\n",
    fixable: false,
};

/// How many commands the RUN runs, counted like hadolint: simple commands (also inside
/// `$(…)`), not `[ … ]` tests; a shell-form RUN for a non-POSIX shell (PowerShell, cmd) is
/// split on the same operators. Exec form counts as one.
fn command_count(cx: &Context<'_>, run: &Instruction) -> usize {
    let counted = |commands: &[layerlab_shell::CommandInfo<'_>]| {
        commands
            .iter()
            .filter(|c| c.name().as_deref() != Some("["))
            .count()
    };
    let scripts: Vec<usize> = cx
        .scripts()
        .iter()
        .filter(|s| std::ptr::eq(s.instruction, run))
        .map(|s| counted(cx.commands_of(s)))
        .collect();
    if !scripts.is_empty() {
        return scripts.iter().sum();
    }
    match run.args.first() {
        Some(command) if !run.json => {
            let parsed = layerlab_shell::parse(&command.value);
            if parsed.errors.is_empty() {
                counted(&parsed.commands())
            } else {
                1
            }
        }
        _ => 1,
    }
}

fn flags(run: &Instruction) -> Vec<&str> {
    let mut flags: Vec<&str> = run.flags.iter().map(|f| f.text.as_str()).collect();
    flags.sort_unstable();
    flags
}

impl Rule for Dl3059 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for pair in cx.instructions.windows(2) {
            let [previous, current] = pair else {
                continue;
            };
            if previous.kind != Keyword::Run || current.kind != Keyword::Run {
                continue;
            }
            if flags(previous) != flags(current) {
                continue;
            }
            if command_count(cx, previous) > 1 || command_count(cx, current) > 1 {
                continue;
            }
            cx.report(&META, current.keyword.span, META.summary);
        }
    }
}
