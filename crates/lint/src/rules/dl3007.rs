//! DL3007: using `latest` is prone to errors if the image ever updates.
//!
//! **What** — `FROM image:latest` without a digest (global ARG defaults are expanded first).
//!
//! **Why** — `latest` is just the tag that moved last; builds stop being reproducible.
//!
//! **Bad** — `FROM node:latest` · **Good** — `FROM node:22.11-bookworm`
//!
//! **Fix** — pin a specific version tag.

use crate::image_ref::external_bases;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3007;

static META: RuleMeta = RuleMeta {
    code: "DL3007",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
    bad: "FROM node:latest\n",
    good: "FROM node:22.11-bookworm\n",
    fixable: false,
};

impl Rule for Dl3007 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (word, _, reference) in external_bases(cx) {
            if reference.tag.as_deref() == Some("latest") && reference.digest.is_none() {
                cx.report(&META, word.span, META.summary);
            }
        }
    }
}
