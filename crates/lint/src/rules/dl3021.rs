//! DL3021: COPY with more than 2 arguments requires the last argument to end with `/`.
//!
//! **What** — a `COPY` with several sources (here-documents included) whose destination does
//! not end in `/`. A destination built from variables is checked after expanding the values
//! the file gives them, and as written when they are unknown. Unlike hadolint, `.` is accepted:
//! BuildKit treats it as the working directory, like `./`.
//!
//! **Why** — several files can only go into a directory; Docker's documentation requires the
//! trailing `/` to say so, and without it the intent is ambiguous.
//!
//! **Bad** — `COPY package.json package-lock.json /app` ·
//! **Good** — `COPY package.json package-lock.json /app/`
//!
//! **Fix** — safe: append the `/`.

use layerlab_syntax::{Instruction, Keyword, Span};

use super::dl_support::expand_known;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3021;

static META: RuleMeta = RuleMeta {
    code: "DL3021",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "COPY with more than 2 arguments requires the last argument to end with /",
    bad: "FROM node:22.11\nCOPY package.json package-lock.json /app\n",
    good: "FROM node:22.11\nCOPY package.json package-lock.json /app/\n",
    fixable: true,
};

fn check_copy(cx: &Context<'_>, index: usize, instruction: &Instruction) {
    let [_, _, .., destination] = instruction.args.as_slice() else {
        return;
    };
    let value = expand_known(cx, index, &destination.value)
        .unwrap_or_else(|| destination.value.trim_matches(['"', '\'']).to_owned());
    if value.ends_with('/') || value.ends_with('\\') || value == "." {
        return;
    }
    let source = cx.slice(destination.span);
    let quoted = source.len() >= 2
        && ((source.starts_with('"') && source.ends_with('"'))
            || (source.starts_with('\'') && source.ends_with('\'')));
    let insert_at = if quoted && !source.contains('\n') {
        Some(destination.span.end.saturating_sub(1))
    } else if source == destination.value {
        Some(destination.span.end)
    } else {
        None
    };
    let fix = insert_at.map(|at| Fix {
        title: "Append `/` to the destination".to_owned(),
        safe: true,
        edits: vec![Edit {
            span: Span::empty(at),
            replacement: "/".to_owned(),
        }],
    });
    cx.report_with_fix(&META, destination.span, META.summary, fix);
}

impl Rule for Dl3021 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (index, instruction) in cx.instructions.iter().enumerate() {
            if instruction.kind == Keyword::Copy {
                check_copy(cx, index, instruction);
            }
        }
    }
}
