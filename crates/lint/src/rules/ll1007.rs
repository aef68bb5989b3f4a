//! LL1007: the final stage's base image is not pinned by digest.
//!
//! **What** — the FROM of the last stage names an external image without `@sha256:…`.
//! `scratch`, earlier stages, and image names built from ARGs (unknown until the build) are
//! not reported. Off by default (enable it, or give it a level with `override`); reported at
//! info level. Reported at the image reference.
//!
//! **Why** — a tag moves: the same Dockerfile builds a different image tomorrow, and a
//! compromised or re-pushed tag changes what ships. A digest names exactly one image.
//!
//! **Bad** — `FROM alpine:3.20` · **Good** — `FROM alpine:3.20@sha256:<digest>`
//!
//! **Fix** — append the digest of the image you tested (`docker buildx imagetools inspect`),
//! and let a bot such as Renovate or Dependabot update it.

use crate::{Category, Context, Level, Rule, RuleMeta, StageBase};

pub struct Ll1007;

static META: RuleMeta = RuleMeta {
    code: "LL1007",
    aliases: &[],
    level: Level::Ignore,
    category: Category::Security,
    summary: "Pin the final stage's base image by digest",
    bad: "FROM alpine:3.20\n",
    good:
        "FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n",
    fixable: false,
};

impl Rule for Ll1007 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let Some(stage) = cx.stages.last() else {
            return;
        };
        let StageBase::Image(image) = &stage.base else {
            return;
        };
        if image.contains('@') || image.contains('$') {
            return;
        }
        let Some(word) = cx
            .instructions
            .get(stage.from)
            .and_then(|from| from.args.first())
        else {
            return;
        };
        cx.report(
            &META,
            word.span,
            format!("Pin the final stage's base image by digest: `{image}@sha256:…`"),
        );
    }
}
