//! DL3055: label is not a valid git hash (active with a `label-schema`).
//!
//! **What** — a label the schema types `hash` whose value is not a git commit id: 7 (short) or
//! 40 (full SHA-1) lower-case hexadecimal characters. A value that comes from a variable is
//! not checked.
//!
//! **Why** — `org.opencontainers.image.revision` ties an image to its source; a branch name or
//! a mistyped id ties it to nothing.
//!
//! **Bad** — `LABEL org.opencontainers.image.revision=main` ·
//! **Good** — `LABEL org.opencontainers.image.revision=4f3c2a1`
//!
//! **Fix** — none: the commit is not known.

use super::dl_support::check_typed_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3055;

static META: RuleMeta = RuleMeta {
    code: "DL3055",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label is not a valid git hash",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=4f3c2a1\n",
    fixable: false,
};

/// Whether `text` is a short (7) or full (40) lower-case hex commit id.
pub(crate) fn is_git_hash(text: &str) -> bool {
    matches!(text.len(), 7 | 40)
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Rule for Dl3055 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_typed_labels(cx, &META, "hash", is_git_hash, |name| {
            format!("Label `{name}` is not a valid git hash")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_git_hash;

    #[test]
    fn accepts_short_and_full_ids() {
        assert!(is_git_hash("abcdef0"));
        assert!(is_git_hash("0123456789abcdef0123456789abcdef01234567"));
        assert!(!is_git_hash("abcdef01"));
        assert!(!is_git_hash("ABCDEF0"));
        assert!(!is_git_hash("ghijklm"));
        assert!(!is_git_hash(&"a".repeat(64)));
    }
}
