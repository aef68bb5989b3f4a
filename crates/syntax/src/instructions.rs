//! The instruction layer: the errors BuildKit (Dockerfile frontend 1.26) raises after the
//! syntax layer has accepted a file — `instructions.Parse` (`instructions/parse.go`,
//! `bflag.go`, `commands_run*.go`) and the frontend checks of `dockerfile2llb` that can be
//! decided from the file alone.
//!
//! [`check`] returns every such error with BuildKit's exact message (without the
//! `dockerfile parse error on line N:` wrapper) and the narrowest span that explains it: the
//! flag, the CSV field inside a `--mount`, the argument word, or the keyword. BuildKit stops at
//! the first error of a file; we report at most one error per instruction (the first BuildKit
//! would raise for it) and keep going. An instruction the syntax layer could not parse (an
//! invalid JSON array, `ENV A`) is skipped: BuildKit never gets this far with it.
//!
//! # Diagnostic codes
//!
//! | code | errors |
//! |---|---|
//! | `instruction/unknown` | `unknown instruction: FOO (did you mean FROM?)` |
//! | `instruction/arguments` | argument counts, blank ENV/LABEL/ARG names, SHELL not JSON, empty VOLUME, heredoc as COPY/ADD destination |
//! | `instruction/flag` | `BFlags` errors (unknown, duplicate, missing value, non-boolean), `RUN --network/--security/--device` values, `--chmod`, `--checksum`, `--from` with a variable |
//! | `instruction/mount` | every `RUN --mount` error (CSV, keys, type, sharing, secret rules, `from`, targets) |
//! | `instruction/onbuild` | chained ONBUILD, FROM or MAINTAINER as a trigger |
//! | `instruction/healthcheck` | HEALTHCHECK types, missing command, durations, retries |
//! | `instruction/stage` | stage names, instructions before the first FROM, no stages, stage references (`cannot copy from stage`, `invalid stage index`, circular dependencies) |
//! | `instruction/value` | values checked at dispatch: EXPOSE ports, STOPSIGNAL signals, URL or git sources for COPY |
//!
//! # When the checks apply
//!
//! Parse-time checks apply to every instruction. Dispatch-time checks (those BuildKit makes
//! in `dockerfile2llb` while converting a stage) are applied to every stage, as BuildKit's
//! own lint pass does (`AllStages`): a plain `docker build` raises them only for stages
//! reachable from its target, `--target` picks which. ONBUILD triggers are validated when a
//! later stage of the file builds `FROM` the stage that declares them (where BuildKit runs
//! them); their spans point at the trigger rather than at the child's FROM.
//!
//! # Not covered
//!
//! - Anything that needs variable expansion at dispatch time: a value that expansion could
//!   change (`$X`, quotes, the escape token) is treated as unknown and not validated — mount
//!   options, `--chmod`, `--checksum`, sources, EXPOSE ports, STOPSIGNAL, and base names
//!   (`FROM $BASE` never resolves to a stage here). Expansion errors themselves
//!   (`bad substitution`) are the shell layer's.
//! - Checks that need the outside world or the base image: image references and platforms
//!   (`failed to parse platform`, `base name (..) should not be blank`), relative mount
//!   targets (they depend on the image's WORKDIR), git URL query options
//!   (`inconsistent keep-git-dir configuration`, `checksum mismatch`).
//! - Windows-only errors, and the `--chmod` inputs on which BuildKit's mode parser panics
//!   (`u`, `u+x,`).
//! - `# syntax=` naming another frontend version: the rules are 1.26's, except that `RUN
//!   --device` is accepted when the directive names a `labs` frontend.
//! - Suggestions between equally close options: BuildKit draws them from a Go map (random
//!   order); we take the first in sorted order.
//! - `unknown flag` suggestions print the bare flag name (`did you mean chown?`), as
//!   BuildKit's `suggest.WrapError` does.

mod bflag;
mod dispatch;
mod duration;
mod golang;
mod mount;
mod parse;
mod stages;

use std::ops::Range;

use crate::{Diagnostic, Dockerfile, Flag, Instruction, Keyword, Span};

pub(crate) const CODE_UNKNOWN: &str = "instruction/unknown";
pub(crate) const CODE_ARGUMENTS: &str = "instruction/arguments";
pub(crate) const CODE_FLAG: &str = "instruction/flag";
pub(crate) const CODE_MOUNT: &str = "instruction/mount";
pub(crate) const CODE_ONBUILD: &str = "instruction/onbuild";
pub(crate) const CODE_HEALTHCHECK: &str = "instruction/healthcheck";
pub(crate) const CODE_STAGE: &str = "instruction/stage";
pub(crate) const CODE_VALUE: &str = "instruction/value";

/// The errors BuildKit's instruction layer raises for this file, sorted by position.
pub fn check(dockerfile: &Dockerfile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut stages: Vec<stages::Stage<'_>> = Vec::new();
    for ins in &dockerfile.instructions {
        if parse::parser_failed(ins) {
            continue;
        }
        match parse::instruction(ins) {
            Err(diagnostic) => {
                out.push(diagnostic);
                if ins.kind == Keyword::From {
                    // Keep the stage so what follows is not reported as stage-less.
                    stages.push(stages::Stage::new(None, None));
                }
            }
            Ok(parse::Parsed::Stage { name, base }) => {
                stages.push(stages::Stage::new(name, Some(base)));
            }
            Ok(parse::Parsed::Command(command)) => match stages.last_mut() {
                Some(stage) => stage.commands.push((ins, command)),
                // ARGs before the first FROM are the global (meta) ARGs.
                None if matches!(command, parse::Command::Arg) => {}
                None => out.push(Diagnostic::error(
                    CODE_STAGE,
                    "no build stage in current context",
                    ins.keyword.span,
                )),
            },
        }
    }
    if stages.is_empty() {
        let only_args = dockerfile
            .instructions
            .iter()
            .all(|ins| ins.kind == Keyword::Arg);
        if let Some(first) = dockerfile.instructions.first().filter(|_| only_args) {
            out.push(Diagnostic::error(
                CODE_STAGE,
                "dockerfile contains no stages to build",
                first.keyword.span,
            ));
        }
    } else {
        let context = stages::Context {
            escape: dockerfile.escape,
            labs: labs_frontend(dockerfile),
        };
        stages::check(&stages, &context, &mut out);
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// Whether `# syntax=` names a labs build of the Dockerfile frontend
/// (`docker/dockerfile:1-labs`, `docker/dockerfile-upstream:master-labs`, ...).
fn labs_frontend(dockerfile: &Dockerfile) -> bool {
    dockerfile
        .directives
        .iter()
        .filter(|d| d.name == "syntax")
        .any(|d| {
            let reference = d.value.split_whitespace().next().unwrap_or_default();
            reference.contains("labs")
        })
}

/// The instruction's arguments from first to last, or its keyword when it has none.
pub(crate) fn args_cover(ins: &Instruction) -> Span {
    match (ins.args.first(), ins.args.last()) {
        (Some(first), Some(last)) if !first.span.cover(last.span).is_empty() => {
            first.span.cover(last.span)
        }
        _ => ins.keyword.span,
    }
}

/// The span of `range` (bytes of the flag's value, after its `=`) when the flag's source text
/// is exactly its value (no quotes or escapes were removed); otherwise the whole flag.
pub(crate) fn value_span(flag: &Flag, range: Option<Range<usize>>) -> Span {
    let Some(range) = range else {
        return flag.span;
    };
    let text = flag.text.as_str();
    if !text.is_ascii() || flag.span.len() != text.len() || range.is_empty() {
        return flag.span;
    }
    match text.find('=') {
        Some(eq) => {
            let base = flag.span.start + eq + 1;
            Span::new(base + range.start, base + range.end)
        }
        None => flag.span,
    }
}
