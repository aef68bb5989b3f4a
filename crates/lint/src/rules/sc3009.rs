//! SC3009: in POSIX sh, brace expansion is undefined.
//!
//! **What** — an unquoted `{a,b}` or `{1..3}` in a word of a script run by `sh`, `dash` or
//! `ash`.
//!
//! **Why** — POSIX shells keep the braces literally: `mkdir -p /app/{logs,data}` creates one
//! directory named `{logs,data}`.
//!
//! **Bad** — `RUN mkdir -p /app/{logs,data}` · **Good** — `RUN mkdir -p /app/logs /app/data`
//!
//! **Fix** — write the words out, or run the RUN with bash (`SHELL ["/bin/bash", "-c"]`).

use layerlab_shell::{walk, Enclosing, Visitor, Word, WordRole};

use super::sc_support::{is_posix_sh, mapped};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc3009;

static META: RuleMeta = RuleMeta {
    code: "SC3009",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "In POSIX sh, brace expansion is undefined",
    bad: "FROM alpine:3.20\nRUN mkdir -p /app/{logs,data}\n",
    good: "FROM alpine:3.20\nRUN mkdir -p /app/logs /app/data\n",
    fixable: false,
};

#[derive(Default)]
struct Braces {
    found: Vec<layerlab_shell::Span>,
}

impl<'a> Visitor<'a> for Braces {
    fn word(&mut self, word: &'a Word, role: WordRole, _enclosing: &[Enclosing]) {
        let expands = matches!(
            role,
            WordRole::CommandName
                | WordRole::Argument
                | WordRole::ForList
                | WordRole::RedirectTarget
                | WordRole::ArrayElement
        );
        if expands && word.has_brace_expansion() {
            self.found.push(word.span);
        }
    }
}

impl Rule for Sc3009 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts().iter().filter(|s| is_posix_sh(s)) {
            let mut braces = Braces::default();
            walk(&script.parsed.script, script.initial_options(), &mut braces);
            for span in braces.found {
                let (file, _) = mapped(cx, script, span);
                cx.report(&META, file, META.summary);
            }
        }
    }
}
