//! DL4000 / BuildKit `MaintainerDeprecated`: MAINTAINER is deprecated.
//!
//! **What** — any `MAINTAINER` instruction.
//!
//! **Why** — it sets the legacy `author` field, which nothing reads; a label is the standard
//! place (`org.opencontainers.image.authors`, or `maintainer`).
//!
//! **Bad** — `MAINTAINER Jane <jane@example.com>` ·
//! **Good** — `LABEL maintainer="Jane <jane@example.com>"`
//!
//! **Fix** — unsafe (the image's `author` field goes away): replace it with
//! `LABEL maintainer="…"`.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl4000;

static META: RuleMeta = RuleMeta {
    code: "DL4000",
    aliases: &["MaintainerDeprecated"],
    level: Level::Error,
    category: Category::Style,
    summary: "MAINTAINER is deprecated",
    bad: "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n",
    good: "FROM alpine:3.20\nLABEL maintainer=\"Jane <jane@example.com>\"\n",
    fixable: true,
};

impl Rule for Dl4000 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx
            .instructions
            .iter()
            .filter(|i| i.kind == Keyword::Maintainer)
        {
            let who = instruction.args.first().map_or("", |w| w.value.as_str());
            let escaped = who.replace('\\', "\\\\").replace('"', "\\\"");
            let fix = Fix {
                title: "Replace with LABEL maintainer=…".to_owned(),
                safe: false,
                edits: vec![Edit {
                    span: instruction.span,
                    replacement: format!("LABEL maintainer=\"{escaped}\""),
                }],
            };
            cx.report_with_fix(&META, instruction.keyword.span, META.summary, Some(fix));
        }
    }
}
