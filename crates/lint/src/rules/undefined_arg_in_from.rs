//! BuildKit `UndefinedArgInFrom`: FROM may only use ARGs declared before the first FROM.
//!
//! **What** — a variable in a FROM's image or `--platform` value that is neither a global ARG
//! (declared before the first FROM, with or without a default) nor one of BuildKit's built-in
//! platform ARGs (`TARGETPLATFORM`, `BUILDPLATFORM`, `TARGETOS`, `TARGETARCH`, …). The message
//! suggests a declared name within two edits. Reported at the reference itself.
//!
//! **Why** — FROM is expanded with the global scope only: an ARG declared inside a stage, or a
//! misspelt one, expands to an empty string and yields a broken or unintended image name.
//!
//! **Bad** — `ARG TAG=3.20` / `FROM alpine:${TAGG:-3.20}` · **Good** — `ARG TAG=3.20` /
//! `FROM alpine:${TAG}`
//!
//! **Fix** — none offered: the intended name is a guess (the suggestion says which).

use layerlab_syntax::shell::Lex;
use layerlab_syntax::{Keyword, Span};

use crate::buildkit::{locate, platform_flag, reference_span, suggest, GlobalArgs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct UndefinedArgInFrom;

static META: RuleMeta = RuleMeta {
    code: "UndefinedArgInFrom",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "FROM command must use declared ARGs",
    bad: "ARG TAG=3.20\nFROM alpine:${TAGG:-3.20}\n",
    good: "ARG TAG=3.20\nFROM alpine:${TAG}\n",
    fixable: false,
};

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let globals = GlobalArgs::new(cx);
        let options = globals.names();
        let escape = cx.parse.dockerfile.escape;
        let lex = Lex::new(escape);
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::From) {
            let mut pieces: Vec<(&str, Span)> = Vec::new();
            if let Some(image) = instruction.args.first() {
                pieces.push((&image.value, image.span));
            }
            if let Some(platform) = platform_flag(instruction) {
                pieces.push(platform);
            }
            for (text, span) in pieces {
                if !text.contains('$') {
                    continue;
                }
                let Ok(expansion) = lex.process_word_with_matches(text, &globals.env) else {
                    continue;
                };
                let at = locate(cx, text, span);
                for name in expansion.unmatched.iter().filter(|n| !globals.knows(n)) {
                    let mut message = format!("FROM argument '{name}' is not declared");
                    if let Some(suggestion) = suggest(name, options.iter().map(String::as_str)) {
                        message.push_str(&format!(" (did you mean {suggestion}?)"));
                    }
                    let place = reference_span(text, at, name, escape, true, span);
                    cx.report(&META, place, message);
                }
            }
        }
    }
}
