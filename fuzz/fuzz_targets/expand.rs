//! `expand`: BuildKit's variable expansion (`shell::Lex`) under every option combination.
//!
//! Input layout: byte 0 is a control byte (bit 0: escape token `` ` `` instead of `\`); the
//! rest is lossy UTF-8 split on NUL: the first piece is the word, up to 8 further pieces are
//! `NAME=value` environment entries (no `=`: the value is empty). See ../README.md.
#![no_main]

use std::collections::BTreeMap;

use layerlab_syntax::shell::{Env, Lex, NoEnv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let escape = if control & 1 == 0 { '\\' } else { '`' };
    let text = String::from_utf8_lossy(rest);
    let mut pieces = text.split('\0');
    let word = pieces.next().unwrap_or_default();
    let env: BTreeMap<String, String> = pieces
        .take(8)
        .map(|entry| {
            let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let envs: [&dyn Env; 2] = [&NoEnv, &env];

    for options in 0u8..16 {
        let lex = Lex {
            raw_quotes: options & 1 != 0,
            raw_escapes: options & 2 != 0,
            skip_unset_env: options & 4 != 0,
            skip_process_quotes: options & 8 != 0,
            ..Lex::new(escape)
        };
        for env in envs {
            let one = lex.process_word(word, env);
            let many = lex.process_words(word, env);
            let matches = lex.process_word_with_matches(word, env);
            // The three entry points run the same lexer: they must agree on success/failure,
            // and the error offset is documented to lie within the word.
            match (&one, &many, &matches) {
                (Ok(one), Ok(_), Ok(matches)) => assert_eq!(one, &matches.result),
                (Err(a), Err(b), Err(c)) => {
                    assert!(a == b && b == c, "errors differ: {a:?} / {b:?} / {c:?}");
                    assert!(a.offset <= word.len(), "error offset {} past the word", a.offset);
                }
                _ => panic!("entry points disagree: {one:?} / {many:?} / {matches:?}"),
            }
        }
    }
});
