//! DL3049: label is missing (active with a `label-schema`).
//!
//! **What** — a stage that does not set a label the schema requires, itself or through the
//! in-file stages it is built on. Reported at the stage's FROM, once per missing label. As in
//! hadolint, a stage that a later `COPY --from` copies from is a builder and is not checked
//! (here also when it is named by its index). Unlike hadolint, a stage's labels come only from
//! its own ancestors (hadolint credits a stage with the labels of a later unnamed
//! `FROM <that stage>`).
//!
//! **Why** — required metadata (owner, source, version) is what inventory, provenance and
//! vulnerability tooling rely on; a stage that ships without it is invisible to them.
//!
//! **Bad** — a stage without `LABEL maintainer=…` when the schema requires `maintainer` ·
//! **Good** — `LABEL maintainer=jane`
//!
//! **Fix** — none: the value is not known.

use std::collections::BTreeSet;

use layerlab_syntax::Keyword;

use super::dl_support::{ancestors, literal, pairs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3049;

static META: RuleMeta = RuleMeta {
    code: "DL3049",
    aliases: &[],
    level: Level::Info,
    category: Category::Style,
    summary: "Label is missing",
    bad: "FROM alpine:3.20\n",
    good: "FROM alpine:3.20\nLABEL maintainer=jane\n",
    fixable: false,
};

/// Whether a `COPY --from` in a later stage names the stage (by name or index).
fn copied_from_later(cx: &Context<'_>, stage: usize) -> bool {
    let Some(s) = cx.stages.get(stage) else {
        return false;
    };
    cx.instructions
        .iter()
        .skip(s.body.end)
        .filter(|i| i.kind == Keyword::Copy)
        .filter_map(|i| i.flag("from").and_then(|f| f.value()))
        .any(|from| {
            let lower = from.to_lowercase();
            s.name.as_deref() == Some(lower.as_str()) || from.parse::<usize>() == Ok(stage)
        })
}

impl Rule for Dl3049 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut required: Vec<&str> = Vec::new();
        for (name, _) in &cx.options.label_schema {
            if !required.contains(&name.as_str()) {
                required.push(name);
            }
        }
        if required.is_empty() {
            return;
        }
        let labels_of = |stage: usize| -> BTreeSet<String> {
            let Some(s) = cx.stages.get(stage) else {
                return BTreeSet::new();
            };
            cx.stage_instructions(s)
                .iter()
                .filter(|i| i.kind == Keyword::Label)
                .flat_map(|i| {
                    pairs(i)
                        .into_iter()
                        .map(|p| literal(cx, &p.key.value).unwrap_or_else(|| p.key.value.clone()))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        for stage in &cx.stages {
            if copied_from_later(cx, stage.index) {
                continue;
            }
            let mut present = labels_of(stage.index);
            for parent in ancestors(cx, stage.index) {
                present.extend(labels_of(parent));
            }
            let Some(from) = cx.instructions.get(stage.from) else {
                continue;
            };
            let span = from.args.first().map_or(from.keyword.span, |w| w.span);
            for name in &required {
                if !present.contains(*name) {
                    cx.report(&META, span, format!("Label `{name}` is missing"));
                }
            }
        }
    }
}
