//! DL3045: COPY to a relative destination without WORKDIR set.
//!
//! **What** — a `COPY` whose destination (quotes removed) starts with none of `/`, `$` or a
//! Windows drive (`C:`), before any `WORKDIR` of its stage or of the in-file stages it is built
//! on. A WORKDIR set by an external base image is not known here (hadolint#930), so such
//! stages are reported too.
//!
//! **Why** — a relative destination lands under whatever the working directory is, which
//! without a WORKDIR is the base image's choice (often `/`) and can change with it.
//!
//! **Bad** — `COPY app.conf etc/app.conf` with no WORKDIR ·
//! **Good** — `WORKDIR /srv` first, or `COPY app.conf /srv/etc/app.conf`
//!
//! **Fix** — none: the intended directory is a guess.

use layerlab_syntax::Keyword;

use super::dl_support::ancestors;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3045;

static META: RuleMeta = RuleMeta {
    code: "DL3045",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "`COPY` to a relative destination without `WORKDIR` set",
    bad: "FROM alpine:3.20\nCOPY app.conf etc/app.conf\n",
    good: "FROM alpine:3.20\nWORKDIR /srv\nCOPY app.conf etc/app.conf\n",
    fixable: false,
};

fn is_absolute(destination: &str) -> bool {
    let bytes = destination.as_bytes();
    let drive = matches!(bytes, [letter, b':', ..] if letter.is_ascii_alphabetic());
    destination.starts_with('/') || destination.starts_with('$') || drive
}

impl Rule for Dl3045 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let sets_workdir = |stage: usize| {
            cx.stages.get(stage).is_some_and(|s| {
                cx.stage_instructions(s)
                    .iter()
                    .any(|i| i.kind == Keyword::Workdir)
            })
        };
        for stage in &cx.stages {
            let mut workdir = ancestors(cx, stage.index).into_iter().any(sets_workdir);
            for instruction in cx.stage_instructions(stage) {
                match instruction.kind {
                    Keyword::Workdir => workdir = true,
                    Keyword::Copy if !workdir => {
                        let [_, .., destination] = instruction.args.as_slice() else {
                            continue;
                        };
                        let value = destination.value.trim_matches(['"', '\'']);
                        if !is_absolute(value) {
                            cx.report(&META, destination.span, META.summary);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
