//! DL3056: label does not conform to semantic versioning (active with a `label-schema`).
//!
//! **What** — a label the schema types `semver` whose value is not `MAJOR.MINOR.PATCH` with an
//! optional `-pre.release` and `+build` of dot-separated, non-empty `[0-9A-Za-z-]` identifiers.
//! Like hadolint, leading zeros are tolerated. A value that comes from a variable
//! (`version=$VERSION`, the usual way to stamp a build) is not known here and is not checked;
//! hadolint reports it.
//!
//! **Why** — version labels are compared and sorted by tools; `1.0` or `v1.0.0` sort wrongly or
//! not at all.
//!
//! **Bad** — `LABEL org.opencontainers.image.version=v1.2` ·
//! **Good** — `LABEL org.opencontainers.image.version=1.2.0`
//!
//! **Fix** — none: the missing component is a guess.

use super::dl_support::check_typed_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3056;

static META: RuleMeta = RuleMeta {
    code: "DL3056",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label does not conform to semantic versioning",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.2\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0\n",
    fixable: false,
};

fn identifiers(text: &str) -> bool {
    text.split('.')
        .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// Whether `text` is a semantic version (leading zeros tolerated).
pub(crate) fn is_semver(text: &str) -> bool {
    let (rest, build) = match text.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (text, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && pre.is_none_or(identifiers)
        && build.is_none_or(identifiers)
}

impl Rule for Dl3056 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        check_typed_labels(cx, &META, "semver", is_semver, |name| {
            format!("Label `{name}` does not conform to semantic versioning")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::is_semver;

    #[test]
    fn accepts_semantic_versions() {
        for ok in [
            "1.0.0",
            "1.0.0-rc.1",
            "1.0.0+build.1",
            "1.0.0-alpha+001",
            "01.0.0",
            "1.0.0-01",
            "1.0.0-x-y-z.--",
            "999999999999999999999.0.0",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "1.0",
            "v1.0.0",
            "1",
            "1.2.3.4",
            "1.0.0-a..b",
            "1.2.3-rc_1",
            "",
            "1.0.0-",
            "1.0.0+",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
