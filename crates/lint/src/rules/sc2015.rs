//! SC2015: `A && B || C` is not if-then-else.
//!
//! **What** — an and-or list that ends in `A && B || C`: `[ -f x ] && cp x y || touch y`.
//! Not reported when `C` cannot be the surprise — `true`, `:`, `echo`, `printf`, `exit`,
//! `return` or a variable assignment — nor inside an `if`/`while` condition.
//!
//! **Why** — `C` runs when `A` fails, but also when `A` succeeds and `B` fails: it is not an
//! `if A; then B; else C; fi`.
//!
//! **Bad** — `RUN [ -f /x ] && cp /x /y || touch /y` · **Good** —
//! `RUN if [ -f /x ]; then cp /x /y; else touch /y; fi`
//!
//! **Fix** — write an `if`/`then`/`else`, or ignore the finding when `C` should run whenever
//! either `A` or `B` fails.

use layerlab_shell::{AndOrOp, Command, Enclosing, Pipeline};

use super::sc_support::mapped;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc2015;

static META: RuleMeta = RuleMeta {
    code: "SC2015",
    aliases: &[],
    level: Level::Info,
    category: Category::Correctness,
    summary: "Note that A && B || C is not if-then-else. C may run when A is true",
    bad: "FROM alpine:3.20\nRUN [ -f /x ] && cp /x /y || touch /y\n",
    good: "FROM alpine:3.20\nRUN if [ -f /x ]; then cp /x /y; else touch /y; fi\n",
    fixable: false,
};

/// `C` of `A && B || C` is a fallback that is fine to run after `B` failed too.
fn harmless(pipeline: &Pipeline) -> bool {
    let [Command::Simple(command)] = pipeline.commands.as_slice() else {
        return false;
    };
    match command.name() {
        None => !command.assignments.is_empty(),
        Some(name) => name.static_value().is_some_and(|n| {
            matches!(
                n.as_str(),
                "true" | ":" | "echo" | "printf" | "exit" | "return"
            )
        }),
    }
}

impl Rule for Sc2015 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            let pipelines = script
                .parsed
                .script
                .pipelines_with(script.initial_options());
            for info in pipelines.iter().filter(|p| p.pipeline_index == 0) {
                if info.enclosing.contains(&Enclosing::Condition) {
                    continue;
                }
                let and_or = info.and_or;
                // The list ends in `&& B || C` (what runs last decides the outcome).
                let ops: Vec<AndOrOp> = and_or.ops.iter().map(|(op, _)| *op).collect();
                let [.., AndOrOp::And, AndOrOp::Or] = ops.as_slice() else {
                    continue;
                };
                let (Some(first), Some(last)) = (and_or.pipelines.first(), and_or.pipelines.last())
                else {
                    continue;
                };
                if harmless(last) {
                    continue;
                }
                let (span, _) = mapped(cx, script, first.span.cover(last.span));
                cx.report(&META, span, META.summary);
            }
        }
    }
}
