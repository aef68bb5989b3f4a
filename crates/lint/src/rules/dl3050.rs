//! DL3050: superfluous label present (active with `strict-labels`).
//!
//! **What** — with strict labels on, a `LABEL` key (quotes removed) that the label schema does
//! not list; with no schema at all, every label. Reported at each such key (hadolint reports
//! the instruction once).
//!
//! **Why** — a strict schema keeps image metadata uniform across a fleet: a label outside it
//! is a typo or an undocumented convention.
//!
//! **Bad** — `LABEL maintainer=jane build=42` when the schema lists only `maintainer` ·
//! **Good** — `LABEL maintainer=jane`
//!
//! **Fix** — none: the label may be a typo of a schema label or belong in the schema.

use layerlab_syntax::Keyword;

use super::dl_support::{literal, pairs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3050;

static META: RuleMeta = RuleMeta {
    code: "DL3050",
    aliases: &[],
    level: Level::Info,
    category: Category::Style,
    summary: "Superfluous label(s) present",
    bad: "FROM alpine:3.20\nLABEL maintainer=jane build=42\n",
    good: "FROM alpine:3.20\nLABEL maintainer=jane\n",
    fixable: false,
};

impl Rule for Dl3050 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        if !cx.options.strict_labels {
            return;
        }
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::Label) {
            for pair in pairs(instruction) {
                let key = literal(cx, &pair.key.value).unwrap_or_else(|| pair.key.value.clone());
                if !cx.options.label_schema.iter().any(|(name, _)| *name == key) {
                    cx.report(
                        &META,
                        pair.key.span,
                        format!("Superfluous label `{key}` present (not in the label schema)"),
                    );
                }
            }
        }
    }
}
