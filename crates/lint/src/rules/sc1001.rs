//! SC1001: this `\o` will be a regular `o` in this context.
//!
//! **What** — an unquoted backslash before a plain letter (`\o`, `\d`), which the shell
//! simply drops. `\n`, `\t` and `\r` are a different mistake and are not reported here; nor is
//! an escaped first letter of a command name (a common way to bypass aliases).
//!
//! **Why** — the backslash was meant to be kept (a regular expression, a Windows path) or to
//! stand for a control character, and the command receives neither.
//!
//! **Bad** — `RUN grep -q \d /etc/hosts` · **Good** — `RUN grep -q '\d' /etc/hosts`
//!
//! **Fix** — single-quote the word to keep the backslash, or drop the backslash.

use layerlab_shell::{walk, Enclosing, Visitor, Word, WordPart, WordRole};

use super::sc_support::mapped;
use crate::scripts::Script;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc1001;

static META: RuleMeta = RuleMeta {
    code: "SC1001",
    aliases: &[],
    level: Level::Info,
    category: Category::Correctness,
    summary: "This backslash escape of a plain letter does nothing: the letter stays as is",
    bad: "FROM alpine:3.20\nRUN grep -q \\d /etc/hosts\n",
    good: "FROM alpine:3.20\nRUN grep -q '\\d' /etc/hosts\n",
    fixable: false,
};

struct Escapes<'a> {
    found: Vec<(layerlab_shell::Span, char)>,
    _marker: std::marker::PhantomData<&'a ()>,
}

impl<'a> Visitor<'a> for Escapes<'a> {
    fn word(&mut self, word: &'a Word, role: WordRole, _enclosing: &[Enclosing]) {
        if matches!(role, WordRole::HereDocBody) {
            return;
        }
        for (i, part) in word.parts.iter().enumerate() {
            let WordPart::Escaped { text, span } = part else {
                continue;
            };
            if i == 0 && role == WordRole::CommandName {
                continue;
            }
            let mut chars = text.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if c.is_ascii_alphabetic() && !matches!(c, 'n' | 't' | 'r') {
                    self.found.push((*span, c));
                }
            }
        }
    }
}

fn check_script(cx: &Context<'_>, script: &Script<'_>) {
    let mut escapes = Escapes {
        found: Vec::new(),
        _marker: std::marker::PhantomData,
    };
    walk(
        &script.parsed.script,
        script.initial_options(),
        &mut escapes,
    );
    for (span, c) in escapes.found {
        let (file, _) = mapped(cx, script, span);
        cx.report(
            &META,
            file,
            format!("This \\{c} will be a regular '{c}' in this context"),
        );
    }
}

impl Rule for Sc1001 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            check_script(cx, script);
        }
    }
}
