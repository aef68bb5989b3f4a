//! BuildKit `InvalidDefaultArgInFrom`: the global ARG defaults must give a valid image name.
//!
//! **What** — a FROM whose image uses global ARGs and, expanded with their defaults (as a build
//! without `--build-arg` does), is empty or not a valid image reference: `ARG TAG` /
//! `FROM alpine:${TAG}` gives `alpine:`. A FROM without variables is left to the parser's own
//! checks (BuildKit reports those too, with this message). If a global default fails to expand,
//! nothing is reported, as in BuildKit.
//!
//! **Why** — the Dockerfile cannot be built without passing build arguments; defaults make it
//! buildable as it stands and document a known-good value.
//!
//! **Bad** — `ARG TAG` / `FROM alpine:${TAG}` · **Good** — `ARG TAG=3.20` / `FROM alpine:${TAG}`
//!
//! **Fix** — none: the default value is yours to choose.

use layerlab_syntax::shell::Lex;
use layerlab_syntax::Keyword;

use crate::buildkit::{is_valid_image_reference, GlobalArgs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct InvalidDefaultArgInFrom;

static META: RuleMeta = RuleMeta {
    code: "InvalidDefaultArgInFrom",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Default value for global ARG results in an empty or invalid base image name",
    bad: "ARG TAG\nFROM alpine:${TAG}\n",
    good: "ARG TAG=3.20\nFROM alpine:${TAG}\n",
    fixable: false,
};

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let globals = GlobalArgs::new(cx);
        if globals.failed {
            return;
        }
        let lex = Lex::new(cx.parse.dockerfile.escape);
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::From) {
            let Some(image) = instruction.args.first() else {
                continue;
            };
            // BuildKit gives up on the first FROM that fails to expand.
            let Ok(expanded) = lex.process_word(&image.value, &globals.env) else {
                return;
            };
            if image.value.contains('$') && !is_valid_image_reference(&expanded) {
                cx.report(
                    &META,
                    image.span,
                    format!(
                        "Default value for ARG {} results in empty or invalid base image name",
                        image.value
                    ),
                );
            }
        }
    }
}
