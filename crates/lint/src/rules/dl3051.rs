//! DL3051: label is empty (active with a `label-schema`).
//!
//! **What** — a label the schema lists, set to an empty value (`LABEL maintainer=""`). A value
//! that comes from a variable is not known here and is not checked.
//!
//! **Why** — an empty required label satisfies the letter of the schema and none of its
//! purpose.
//!
//! **Bad** — `LABEL maintainer=""` · **Good** — `LABEL maintainer=jane`
//!
//! **Fix** — none: the value is not known.

use super::dl_support::schema_labels;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3051;

static META: RuleMeta = RuleMeta {
    code: "DL3051",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Label is empty",
    bad: "FROM alpine:3.20\nLABEL maintainer=\"\"\n",
    good: "FROM alpine:3.20\nLABEL maintainer=jane\n",
    fixable: false,
};

impl Rule for Dl3051 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut kinds: Vec<&str> = cx
            .options
            .label_schema
            .iter()
            .map(|(_, kind)| kind.as_str())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut seen = Vec::new();
        for kind in kinds {
            for label in schema_labels(cx, kind) {
                if seen.contains(&label.key.span) {
                    continue;
                }
                seen.push(label.key.span);
                if label.literal.as_deref() == Some("") {
                    cx.report(
                        &META,
                        label.value_span(),
                        format!("Label `{}` is empty", label.name),
                    );
                }
            }
        }
    }
}
