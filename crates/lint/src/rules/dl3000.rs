//! DL3000: use an absolute WORKDIR.
//!
//! **What** — a `WORKDIR` whose path, quotes removed, starts with neither `/`, `$` nor a
//! Windows drive (`C:`).
//!
//! **Why** — a relative WORKDIR is resolved against whatever the previous WORKDIR was, which
//! may come from a base image you do not control; the result silently changes with it.
//!
//! **Bad** — `WORKDIR app` · **Good** — `WORKDIR /app`
//!
//! **Fix** — spell out the absolute path.

use crate::{Category, Context, Level, Rule, RuleMeta};
use layerlab_syntax::Keyword;

pub struct Dl3000;

static META: RuleMeta = RuleMeta {
    code: "DL3000",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Use absolute WORKDIR",
    bad: "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR app\n",
    good: "FROM alpine:3.20\nWORKDIR /app\n",
    fixable: false,
};

impl Rule for Dl3000 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            if instruction.kind != Keyword::Workdir {
                continue;
            }
            let Some(path) = instruction.args.first() else {
                continue;
            };
            let unquoted = path.value.trim_matches(|c| c == '"' || c == '\'');
            let bytes = unquoted.as_bytes();
            let windows_drive =
                bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
            if !(unquoted.starts_with('/') || unquoted.starts_with('$') || windows_drive) {
                cx.report(&META, path.span, "Use absolute WORKDIR");
            }
        }
    }
}
