//! BuildKit `LegacyKeyValueFormat`: `ENV key value` and `LABEL key value` are legacy forms.
//!
//! **What** — an ENV or LABEL written without `=`.
//!
//! **Why** — the legacy form takes the whole rest of the line as one value, so
//! `ENV A 1 B 2` sets `A` to `1 B 2`, which is rarely what was meant; it is also deprecated.
//!
//! **Bad** — `ENV PORT 8080` · **Good** — `ENV PORT=8080`
//!
//! **Fix** — safe when the value has no quotes or escapes: `ENV PORT=8080`, quoting values
//! that contain spaces.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct LegacyKeyValueFormat;

static META: RuleMeta = RuleMeta {
    code: "LegacyKeyValueFormat",
    aliases: &[],
    level: Level::Warning,
    category: Category::Style,
    summary: "\"key=value\" should be used instead of legacy \"key value\" format",
    bad: "FROM alpine:3.20\nENV PORT 8080\n",
    good: "FROM alpine:3.20\nENV PORT=8080\n",
    fixable: true,
};

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().map(|i| i.effective()) {
            let name = match instruction.kind {
                Keyword::Env => "ENV",
                Keyword::Label => "LABEL",
                _ => continue,
            };
            let [key, value, separator] = instruction.args.as_slice() else {
                continue;
            };
            if !separator.value.is_empty() {
                continue;
            }
            let plain = !value.value.contains(['"', '\'', '\\', '`']);
            let fix = plain.then(|| {
                let value_text = if value.value.contains(char::is_whitespace) {
                    format!("\"{}\"", value.value)
                } else {
                    value.value.clone()
                };
                Fix {
                    title: format!("Use {name} {}=…", key.value),
                    safe: true,
                    edits: vec![Edit {
                        span: key.span.cover(value.span),
                        replacement: format!("{}={value_text}", key.value),
                    }],
                }
            });
            cx.report_with_fix(
                &META,
                key.span.cover(value.span),
                format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"),
                fix,
            );
        }
    }
}
