//! LL1004: a secret-looking file is copied into the image.
//!
//! **What** — a COPY or ADD source whose name looks like a secret: `.env` (and `.env.*`
//! except examples and templates), SSH private keys (`id_rsa`, `id_ed25519`, …), `*.pem`,
//! `*.key`, `*.p12`, `*.pfx`, `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`,
//! `credentials`, or anything under `.aws/` or `.ssh/`. Reported at the source.
//!
//! **Why** — whatever is copied stays in the image layers, even when a later RUN deletes it:
//! anyone who can pull the image can read the secret.
//!
//! **Bad** — `COPY .env /app/.env` · **Good** — `RUN --mount=type=secret,id=env …`
//!
//! **Fix** — pass secrets at build time with `RUN --mount=type=secret`, at run time with
//! environment variables or mounted files, and list the files in `.dockerignore`.

use layerlab_syntax::Keyword;

use super::ll_support::sources;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Ll1004;

static META: RuleMeta = RuleMeta {
    code: "LL1004",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "A file that looks like a secret is copied into the image",
    bad: "FROM alpine:3.20\nCOPY .env /app/.env\n",
    good: "FROM alpine:3.20\nCOPY config.yaml /app/\n",
    fixable: false,
};

const SECRET_NAMES: &[&str] = &[
    ".env",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    "credentials",
];

const SECRET_EXTENSIONS: &[&str] = &[".pem", ".key", ".p12", ".pfx"];

const SECRET_DIRECTORIES: &[&str] = &[".aws", ".ssh"];

const TEMPLATE_SUFFIXES: &[&str] = &["example", "sample", "template", "dist", "defaults", "tpl"];

/// What makes `source` look like a secret, if anything.
pub(crate) fn secret_kind(source: &str) -> Option<&'static str> {
    if source.contains("://") || source.starts_with("<<") {
        return None;
    }
    let path = source.trim_end_matches('/');
    let lower = path.to_ascii_lowercase();
    let components: Vec<&str> = lower.split('/').collect();
    let base = components.last().copied().unwrap_or_default();
    if components.iter().any(|c| SECRET_DIRECTORIES.contains(c)) {
        return Some("a credentials directory");
    }
    if SECRET_NAMES.contains(&base) {
        return Some(if base == ".env" {
            "an environment file"
        } else {
            "a credentials file"
        });
    }
    if let Some(suffix) = base.strip_prefix(".env.") {
        if !TEMPLATE_SUFFIXES.contains(&suffix) {
            return Some("an environment file");
        }
    }
    SECRET_EXTENSIONS
        .iter()
        .any(|ext| base.len() > ext.len() && base.ends_with(ext))
        .then_some("a key or certificate file")
}

impl Rule for Ll1004 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            let copy = instruction.effective();
            if !matches!(copy.kind, Keyword::Copy | Keyword::Add) {
                continue;
            }
            for source in sources(copy) {
                if let Some(kind) = secret_kind(&source.value) {
                    cx.report(
                        &META,
                        source.span,
                        format!(
                            "`{}` looks like {kind}: copied files stay in the image layers; \
                             use a build secret (`RUN --mount=type=secret`) instead",
                            source.value
                        ),
                    );
                }
            }
        }
    }
}
