//! DL3067: do not copy an entire filesystem from another stage.
//!
//! **What** — `COPY --from=<stage or image> / /`: a source that is the root, copied to the
//! root.
//!
//! **Why** — it drags the other stage's whole filesystem (package caches, compilers, secrets
//! left in layers) into this one, defeating the point of a multi-stage build; `FROM <stage>`
//! says the same thing honestly.
//!
//! **Bad** — `COPY --from=rootfs / /` · **Good** — copy only what the image needs, or
//! `FROM rootfs`
//!
//! **Fix** — none: which paths are needed is not known.

use layerlab_syntax::Keyword;

use super::dl_support::literal;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3067;

static META: RuleMeta = RuleMeta {
    code: "DL3067",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "Do not copy an entire filesystem from another stage",
    bad: "FROM alpine:3.20 AS rootfs\nFROM scratch\nCOPY --from=rootfs / /\n",
    good:
        "FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build /etc/ssl/certs /etc/ssl/certs\n",
    fixable: false,
};

impl Rule for Dl3067 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::Copy) {
            if instruction.flag("from").is_none() {
                continue;
            }
            let Some((destination, sources)) = instruction.args.split_last() else {
                continue;
            };
            let is_root = |raw: &str| literal(cx, raw).is_some_and(|v| v == "/");
            if !is_root(&destination.value) {
                continue;
            }
            if let Some(source) = sources.iter().find(|w| is_root(&w.value)) {
                cx.report(&META, source.span.cover(destination.span), META.summary);
            }
        }
    }
}
