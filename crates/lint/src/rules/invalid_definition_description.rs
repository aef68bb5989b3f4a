//! BuildKit `InvalidDefinitionDescription` (experimental, off by default): a comment right
//! above a stage or an ARG should describe it as `# <name> <description>`.
//!
//! **What** — the comment line directly above `FROM … AS name` or `ARG NAME` whose first word is
//! not the stage's or one of the ARG's names. BuildKit uses such comments as the descriptions
//! `docker buildx build --call=targets` and `--call=outline` print. Unlike BuildKit, suppression
//! comments (`# hadolint …`, `# check=…`) are not taken for descriptions. Experimental in
//! BuildKit, so off by default: `# check=experimental=InvalidDefinitionDescription` (or `=all`)
//! turns it on for the file, the same in a `# check=` comment above an instruction for that
//! instruction, and so do `LintOptions::enable` and a severity override. As in BuildKit,
//! `# check=skip=…` does not skip it once enabled.
//!
//! **Why** — a comment in that position becomes the definition's description in build tools;
//! one that does not follow the format shows up as a garbled description.
//!
//! **Bad** — `# Build the binaries` / `FROM golang:1.23 AS build` ·
//! **Good** — `# build Build the binaries` / `FROM golang:1.23 AS build`
//!
//! **Fix** — none: either the comment is a description (then it should start with the name), or
//! it is not (then a blank comment line should separate it).

use layerlab_syntax::{Instruction, Keyword, Span};

use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct InvalidDefinitionDescription;

static META: RuleMeta = RuleMeta {
    code: "InvalidDefinitionDescription",
    aliases: &[],
    level: Level::Ignore,
    category: Category::Style,
    summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
    bad: "# Build the binaries\nFROM golang:1.23 AS build\n",
    good: "# build Build the binaries\nFROM golang:1.23 AS build\n",
    fixable: false,
};

/// A suppression comment, which BuildKit would also read as a description.
fn is_pragma(comment: &str) -> bool {
    comment.starts_with("hadolint ") || comment.starts_with("check=")
}

fn check_definition(
    cx: &Context<'_>,
    instruction: &Instruction,
    what: &str,
    keys: &[&str],
    span: Span,
) {
    let Some(comment) = instruction.comments.last() else {
        return;
    };
    if keys.is_empty() || is_pragma(comment) {
        return;
    }
    let first = comment.split(' ').next().unwrap_or_default();
    if keys.contains(&first) {
        return;
    }
    let example = if keys.len() > 1 { "<arg_key>" } else { keys[0] };
    cx.report(
        &META,
        span,
        format!("Comment for {what} should follow the format: `# {example} <description>`"),
    );
}

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (index, instruction) in cx.instructions.iter().enumerate() {
            match instruction.kind {
                Keyword::From => {
                    let Some(stage) = cx
                        .stage_of
                        .get(index)
                        .copied()
                        .flatten()
                        .and_then(|s| cx.stages.get(s))
                    else {
                        continue;
                    };
                    let (Some(name), Some(word)) = (stage.name.as_deref(), instruction.args.get(2))
                    else {
                        continue;
                    };
                    check_definition(cx, instruction, "FROM", &[name], word.span);
                }
                Keyword::Arg => {
                    let keys: Vec<&str> = instruction
                        .args
                        .iter()
                        .map(|w| w.value.split_once('=').map_or(&*w.value, |(n, _)| n))
                        .collect();
                    check_definition(cx, instruction, "ARG", &keys, instruction.args_span);
                }
                _ => {}
            }
        }
    }
}
