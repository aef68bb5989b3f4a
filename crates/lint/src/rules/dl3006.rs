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

use crate::image_ref::{expand_image, ImageRef};
use crate::{Category, Context, Level, Rule, RuleMeta, StageBase};

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
        for stage in &cx.stages {
            let StageBase::Image(image) = &stage.base else {
                continue;
            };
            let Some(word) = cx.instructions[stage.from].args.first() else {
                continue;
            };
            let Some(expanded) = expand_image(cx, image) else {
                continue;
            };
            let reference = ImageRef::parse(&expanded);
            let is_stage = cx.stages[..stage.index]
                .iter()
                .any(|s| s.name.as_deref() == Some(&expanded.to_lowercase()));
            if reference.tag.is_none()
                && reference.digest.is_none()
                && !is_stage
                && expanded != "scratch"
            {
                cx.report(
                    &META,
                    word.span,
                    "Always tag the version of an image explicitly",
                );
            }
        }
    }
}
