//! DL3061: invalid instruction order; a Dockerfile must begin with FROM, ARG or a comment.
//!
//! **What** — an instruction other than `ARG` before the first `FROM` (parser directives and
//! comments are not instructions).
//!
//! **Why** — outside a stage there is nothing for the instruction to act on: BuildKit fails
//! with "no build stage in current context". (The build error is reported once, under this
//! code.)
//!
//! **Bad** — `LABEL maintainer=jane` above `FROM` · **Good** — `ARG` above `FROM`, the rest below
//!
//! **Fix** — none: which stage the instruction belongs to is a decision.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3061;

static META: RuleMeta = RuleMeta {
    code: "DL3061",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment",
    bad: "LABEL maintainer=jane\nFROM alpine:3.20\n",
    good: "ARG ALPINE=3.20\nFROM alpine:${ALPINE}\nLABEL maintainer=jane\n",
    fixable: false,
};

impl Rule for Dl3061 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (instruction, stage) in cx.instructions.iter().zip(&cx.stage_of) {
            if stage.is_none() && !matches!(instruction.kind, Keyword::Arg | Keyword::Unknown) {
                cx.report(&META, instruction.keyword.span, META.summary);
            }
        }
    }
}
