//! DL3006: always tag the version of an image explicitly.
//!
//! **What** — `FROM image` with neither a tag nor a digest. `scratch`, earlier stage names and
//! images whose name comes from an ARG without a default are exempt. Unlike hadolint (#979),
//! an image built from global ARGs is checked after expanding their defaults, so
//! `ARG TAG=3.20` + `FROM alpine:${TAG}` is fine and `FROM img${SUFFIX}` is not flagged when
//! the suffix is only known at build time.
//!
//! **Why** — an untagged image means `latest`, which moves: the same Dockerfile builds
//! something different tomorrow.
//!
//! **Bad** — `FROM debian` · **Good** — `FROM debian:12.6`
//!
//! **Fix** — pin a tag (and ideally a digest).

use crate::image_ref::external_bases;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3006;

static META: RuleMeta = RuleMeta {
    code: "DL3006",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Always tag the version of an image explicitly",
    bad: "FROM debian\n",
    good: "FROM debian:12.6\n",
    fixable: false,
};

impl Rule for Dl3006 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (word, _, reference) in external_bases(cx) {
            if reference.tag.is_none() && reference.digest.is_none() {
                cx.report(&META, word.span, META.summary);
            }
        }
    }
}
