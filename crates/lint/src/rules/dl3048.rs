//! DL3048: invalid label key.
//!
//! **What** — a `LABEL` key (quotes removed) that does not follow Docker's key format: it must
//! start with a lower-case letter, end with a lower-case letter or digit, use only `a-z`, `0-9`,
//! `.`, `-`, `_` and `/`, contain no `..` or `--`, and not use the reserved `com.docker.`,
//! `io.docker.` or `org.dockerproject.` namespaces.
//!
//! **Why** — tools that read labels (registries, orchestrators, SBOM scanners) expect the
//! reverse-DNS convention; the reserved namespaces belong to Docker.
//!
//! **Bad** — `LABEL Maintainer=jane` · **Good** — `LABEL maintainer=jane`
//!
//! **Fix** — unsafe (the image's label changes name): lower-case the key when that is all it
//! takes.

use layerlab_syntax::Keyword;

use super::dl_support::{literal, pairs};
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3048;

static META: RuleMeta = RuleMeta {
    code: "DL3048",
    aliases: &[],
    level: Level::Style,
    category: Category::Style,
    summary: "Invalid label key",
    bad: "FROM alpine:3.20\nLABEL Maintainer=jane\n",
    good: "FROM alpine:3.20\nLABEL maintainer=jane org.opencontainers.image.title=app\n",
    fixable: true,
};

fn is_valid_key(key: &str) -> bool {
    let starts = key.starts_with(|c: char| c.is_ascii_lowercase());
    let ends = key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let charset = key.bytes().all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_' | b'/')
    });
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|prefix| key.starts_with(prefix));
    starts && ends && charset && !key.contains("..") && !key.contains("--") && !reserved
}

impl Rule for Dl3048 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::Label) {
            for pair in pairs(instruction) {
                let key = literal(cx, &pair.key.value).unwrap_or_else(|| pair.key.value.clone());
                if is_valid_key(&key) {
                    continue;
                }
                let lower = key.to_lowercase();
                let fix = (is_valid_key(&lower) && cx.slice(pair.key.span) == key).then(|| Fix {
                    title: format!("Rename the label to `{lower}`"),
                    safe: false,
                    edits: vec![Edit {
                        span: pair.key.span,
                        replacement: lower.clone(),
                    }],
                });
                cx.report_with_fix(
                    &META,
                    pair.key.span,
                    format!("Invalid label key `{key}`"),
                    fix,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_key;

    #[test]
    fn follows_dockers_key_format() {
        for ok in [
            "maintainer",
            "a_b",
            "a/b",
            "a.-b",
            "com.docker",
            "org.opencontainers.image.url",
            "a1",
        ] {
            assert!(is_valid_key(ok), "{ok}");
        }
        for bad in [
            "Maintainer",
            "a..b",
            "a--b",
            "a-",
            "1a",
            "a_",
            "com.docker.x",
            "io.docker.y",
            "org.dockerproject.z",
            "$K",
            "a b",
            "",
            "é",
        ] {
            assert!(!is_valid_key(bad), "{bad}");
        }
    }
}
