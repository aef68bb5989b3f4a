//! BuildKit `SecretsUsedInArgOrEnv`: no secrets in ARG or ENV.
//!
//! **What** — an `ARG` or `ENV` in a stage whose name has, as one of its `_`-separated words
//! (any case), `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`,
//! `secret` or `token` — and none of `public`, `file` or `version` (BuildKit's two regular
//! expressions, `(?i)(?:_|^)(…)(?:_|$)`). So `DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN` are
//! reported, `PUBLIC_KEY`, `TOKEN_FILE` and `KEYCLOAK_URL` are not. Global ARGs (before the first
//! FROM) are not checked, as in BuildKit: they reach a stage only when redeclared there, and the
//! redeclaration is reported. hadolint's DL3064 uses a different list.
//!
//! **Why** — build arguments and environment variables are stored in the image's configuration
//! and history, where anyone who pulls the image can read them.
//!
//! **Bad** — `ARG DB_PASSWD` · **Good** — `RUN --mount=type=secret,id=db_passwd …`
//!
//! **Fix** — none: moving to a secret mount changes how the build is invoked.

use layerlab_syntax::{Keyword, Span};

use crate::buildkit::go_quote;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct SecretsUsedInArgOrEnv;

static META: RuleMeta = RuleMeta {
    code: "SecretsUsedInArgOrEnv",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "Sensitive data should not be used in the ARG or ENV commands",
    bad: "FROM alpine:3.20\nARG DB_PASSWD\n",
    good: "FROM alpine:3.20\nARG DB_HOST\n",
    fixable: false,
};

const SECRET_WORDS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

const ALLOWED_WORDS: [&str; 3] = ["public", "file", "version"];

/// Whether a variable name looks like it holds a secret, by BuildKit's rules.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let has = |words: &[&str]| {
        name.split('_')
            .any(|part| words.iter().any(|w| part.to_lowercase() == *w))
    };
    has(&SECRET_WORDS) && !has(&ALLOWED_WORDS)
}

impl Rule for SecretsUsedInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            for instruction in cx.stage_instructions(stage) {
                let keys: Vec<(&str, Span)> = match instruction.kind {
                    Keyword::Arg => instruction
                        .args
                        .iter()
                        .map(|w| {
                            let name = w.value.split_once('=').map_or(&*w.value, |(n, _)| n);
                            let span = if cx.slice(w.span).starts_with(name) {
                                Span::new(w.span.start, w.span.start + name.len())
                            } else {
                                w.span
                            };
                            (name, span)
                        })
                        .collect(),
                    Keyword::Env => instruction
                        .args
                        .chunks(3)
                        .filter_map(|t| t.first())
                        .map(|k| (k.value.as_str(), k.span))
                        .collect(),
                    _ => continue,
                };
                let kind = if instruction.kind == Keyword::Arg {
                    "ARG"
                } else {
                    "ENV"
                };
                for (key, span) in keys {
                    if is_secret_name(key) {
                        cx.report(
                            &META,
                            span,
                            format!(
                                "Do not use ARG or ENV instructions for sensitive data ({kind} {})",
                                go_quote(key)
                            ),
                        );
                    }
                }
            }
        }
    }
}
