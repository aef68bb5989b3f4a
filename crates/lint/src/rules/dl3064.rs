//! DL3064: potentially sensitive data in ARG or ENV.
//!
//! **What** — an `ARG` or `ENV` (also under ONBUILD, and global ARGs) whose name contains, in
//! any case, `password`, `secret`, `token`, `private`, `api_key`, `client_key` or `username`,
//! or is `AWS_ACCESS_KEY_ID`. These are hadolint's heuristics, which differ from BuildKit's
//! `SecretsUsedInArgOrEnv`.
//!
//! **Why** — ARG and ENV values are stored in the image: `docker history` and
//! `docker inspect` show them to anyone who can pull it.
//!
//! **Bad** — `ARG ADMINPASSWORD` · **Good** — `RUN --mount=type=secret,id=admin_password …`
//!
//! **Fix** — none: moving a secret to a secret mount changes how the build is invoked.

use layerlab_syntax::{Instruction, Keyword};

use super::dl_support::{arg_name, pairs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3064;

static META: RuleMeta = RuleMeta {
    code: "DL3064",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
    bad: "FROM alpine:3.20\nARG ADMINPASSWORD\n",
    good: "FROM alpine:3.20\nARG VERSION=1.0\n",
    fixable: false,
};

const PARTS: &[&str] = &[
    "api_key",
    "client_key",
    "password",
    "private",
    "secret",
    "token",
    "username",
];

fn is_sensitive(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower == "aws_access_key_id" || PARTS.iter().any(|part| lower.contains(part))
}

fn check(cx: &Context<'_>, instruction: &Instruction) {
    let kind = match instruction.kind {
        Keyword::Arg => "ARG",
        Keyword::Env => "ENV",
        _ => return,
    };
    let names: Vec<_> = if instruction.kind == Keyword::Arg {
        instruction.args.iter().map(|w| arg_name(cx, w)).collect()
    } else {
        pairs(instruction)
            .iter()
            .map(|p| (p.key.value.as_str(), p.key.span))
            .collect()
    };
    for (name, span) in names {
        let name = name.trim_matches(['"', '\'']);
        if is_sensitive(name) {
            cx.report(
                &META,
                span,
                format!("Potentially sensitive data should not be used in `{kind}`: `{name}`"),
            );
        }
    }
}

impl Rule for Dl3064 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            check(cx, instruction.effective());
        }
    }
}
