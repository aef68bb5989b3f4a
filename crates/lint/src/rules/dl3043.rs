//! DL3043: `ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD`.
//!
//! **What** — `ONBUILD ONBUILD …`, `ONBUILD FROM …` or `ONBUILD MAINTAINER …`.
//!
//! **Why** — Docker does not allow these triggers: BuildKit rejects the instruction and the
//! build fails. (The syntax error is reported once, under this code.)
//!
//! **Bad** — `ONBUILD FROM alpine:3.20` · **Good** — `ONBUILD COPY . /app/`
//!
//! **Fix** — none: what the trigger was meant to do is a guess.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3043;

static META: RuleMeta = RuleMeta {
    code: "DL3043",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction",
    bad: "FROM alpine:3.20\nONBUILD FROM alpine:3.20\n",
    good: "FROM alpine:3.20\nONBUILD COPY . /app/\n",
    fixable: false,
};

impl Rule for Dl3043 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            let Some(trigger) = instruction.trigger.as_deref() else {
                continue;
            };
            if matches!(
                trigger.kind,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                cx.report(
                    &META,
                    trigger.keyword.span,
                    format!(
                        "`{}` is not allowed as an `ONBUILD` trigger",
                        trigger.keyword.value.to_uppercase()
                    ),
                );
            }
        }
    }
}
