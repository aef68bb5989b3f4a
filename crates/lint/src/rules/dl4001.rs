//! DL4001: either use wget or curl, but not both.
//!
//! **What** — a stage runs both `curl` and `wget`. Every RUN that uses one of them once both
//! have appeared in the stage is reported, at the tool's name.
//!
//! **Why** — two tools for the same job means two packages to install, update and audit.
//!
//! **Bad** — `RUN curl -fsSO https://example.com/a` then `RUN wget -q https://example.com/b` ·
//! **Good** — the same tool for both
//!
//! **Fix** — none: which tool to keep is for you to choose.

use layerlab_syntax::Instruction;

use super::dl_shell::commands;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl4001;

static META: RuleMeta = RuleMeta {
    code: "DL4001",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "Either use Wget or Curl but not both",
    bad: "FROM alpine:3.20\nRUN curl -fsSO https://example.com/a && wget -q https://example.com/b\n",
    good: "FROM alpine:3.20\nRUN curl -fsSO https://example.com/a && curl -fsSO https://example.com/b\n",
    fixable: false,
};

impl Rule for Dl4001 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        // Per stage: curl seen, wget seen.
        let mut seen: Vec<(Option<usize>, bool, bool)> = Vec::new();
        let mut reported: Vec<*const Instruction> = Vec::new();
        for (i, cmd) in all.iter().enumerate() {
            let (curl, wget) = (cmd.is(&["curl"]), cmd.is(&["wget"]));
            if !curl && !wget {
                continue;
            }
            let instruction: *const Instruction = cmd.script.instruction;
            // Mark everything this RUN uses first.
            let stage = cmd.script.stage;
            let entry = match seen.iter_mut().find(|e| e.0 == stage) {
                Some(e) => e,
                None => {
                    seen.push((stage, false, false));
                    let Some(last) = seen.last_mut() else {
                        continue;
                    };
                    last
                }
            };
            for other in all.iter().skip(i) {
                if std::ptr::eq(other.script.instruction, instruction) {
                    entry.1 |= other.is(&["curl"]);
                    entry.2 |= other.is(&["wget"]);
                }
            }
            if entry.1 && entry.2 && !reported.contains(&instruction) {
                reported.push(instruction);
                cx.report(&META, cmd.name_span(), META.summary);
            }
        }
    }
}
