//! DL3066: non-numeric user id may not be resolvable by the host system.
//!
//! **What** — a `USER` whose user part (before `:`, quotes removed) is not a number and does
//! not use a variable declared by an earlier ARG of the file. `USER root` is reported too, as
//! by hadolint. Unlike hadolint, `USER "1000"` is numeric and `${UID:-1000}` is a use of `UID`.
//!
//! **Why** — a name is resolved through the image's `/etc/passwd`; Kubernetes'
//! `runAsNonRoot` and host-side tooling can only verify a numeric id.
//!
//! **Bad** — `USER app` · **Good** — `USER 10001:10001`
//!
//! **Fix** — none: the numeric id is not known.

use std::collections::BTreeSet;

use layerlab_syntax::{Instruction, Keyword};

use super::dl_support::{arg_name, literal, sub_span, var_refs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3066;

static META: RuleMeta = RuleMeta {
    code: "DL3066",
    aliases: &[],
    level: Level::Info,
    category: Category::Security,
    summary: "Non-numeric user-id may not be resolvable by host system",
    bad: "FROM alpine:3.20\nUSER app\n",
    good: "FROM alpine:3.20\nUSER 10001:10001\n",
    fixable: false,
};

fn check_user(cx: &Context<'_>, instruction: &Instruction, args: &BTreeSet<String>) {
    let Some(word) = instruction.args.first() else {
        return;
    };
    let escape = cx.parse.dockerfile.escape;
    let raw_user = word
        .value
        .split_once(':')
        .map_or(word.value.as_str(), |(user, _)| user);
    if var_refs(raw_user, escape)
        .iter()
        .any(|r| args.contains(&r.name))
    {
        return;
    }
    let user = literal(cx, &word.value).map_or_else(
        || raw_user.to_owned(),
        |whole| {
            whole
                .split_once(':')
                .map_or(whole.clone(), |(user, _)| user.to_owned())
        },
    );
    if !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    cx.report(
        &META,
        sub_span(cx, word, 0..raw_user.len()),
        format!("Non-numeric user-id `{user}` may not be resolvable by host system"),
    );
}

impl Rule for Dl3066 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut args = BTreeSet::new();
        for instruction in cx.instructions {
            match instruction.kind {
                Keyword::Arg => {
                    args.extend(
                        instruction
                            .args
                            .iter()
                            .map(|w| arg_name(cx, w).0.to_owned()),
                    );
                }
                Keyword::User => check_user(cx, instruction, &args),
                _ => {}
            }
        }
    }
}
