//! Per-instruction argument parsers: BuildKit's `line_parsers.go` dispatch table.
//!
//! Each parser takes the arguments after the flags (already trimmed) and returns BuildKit's
//! `Next` chain as words with byte ranges relative to the logical line.

use std::ops::Range;

use crate::go_quote::quote;
use crate::json_array::{parse_json_args, JsonArgs};
use crate::Keyword;

pub(crate) type RawWord = (String, Range<usize>);

#[derive(Debug, Default)]
pub(crate) struct ParsedArgs {
    pub words: Vec<RawWord>,
    pub json: bool,
}

#[derive(Debug)]
pub(crate) struct ArgsError {
    pub message: String,
    pub range: Range<usize>,
}

pub(crate) const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Parses `rest`, which starts at byte `base` of the logical line. ONBUILD is handled by the
/// caller, which parses its trigger as a nested instruction.
pub(crate) fn parse_args(
    keyword: Keyword,
    rest: &str,
    base: usize,
    escape: char,
) -> Result<ParsedArgs, ArgsError> {
    let mut parsed = match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => maybe_json_to_list(rest)?,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => maybe_json(rest)?,
        Keyword::Env => name_val(rest, "ENV", escape)?,
        Keyword::Label => name_val(rest, "LABEL", escape)?,
        Keyword::Arg => ParsedArgs {
            words: parse_words(rest, escape),
            json: false,
        },
        Keyword::From | Keyword::Expose => ParsedArgs {
            words: split_whitespace_delimited(rest, 0),
            json: false,
        },
        Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal => {
            ParsedArgs {
                words: whole_string(rest),
                json: false,
            }
        }
        Keyword::Healthcheck => health_config(rest)?,
        // `parseIgnore` returns one empty node, which `Dump` prints as `""`.
        Keyword::Unknown => ParsedArgs {
            words: vec![(String::new(), 0..0)],
            json: false,
        },
        Keyword::Onbuild => ParsedArgs::default(),
    };
    for (_, range) in &mut parsed.words {
        *range = range.start + base..range.end + base;
    }
    Ok(parsed)
}

/// `parseString`: the whole rest is one argument.
fn whole_string(rest: &str) -> Vec<RawWord> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![(rest.to_owned(), 0..rest.len())]
    }
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
fn is_delimiter(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// `parseStringsWhitespaceDelimited`: split on runs of ASCII blanks, no quote handling.
fn split_whitespace_delimited(rest: &str, base: usize) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in rest.char_indices() {
        match (is_delimiter(c), start) {
            (true, Some(s)) => {
                words.push((rest[s..i].to_owned(), base + s..base + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((rest[s..].to_owned(), base + s..base + rest.len()));
    }
    words
}

fn maybe_json(rest: &str) -> Result<ParsedArgs, ArgsError> {
    if rest.is_empty() {
        return Ok(ParsedArgs::default());
    }
    match json_words(rest)? {
        Some(words) => Ok(ParsedArgs { words, json: true }),
        None => Ok(ParsedArgs {
            words: whole_string(rest),
            json: false,
        }),
    }
}

fn maybe_json_to_list(rest: &str) -> Result<ParsedArgs, ArgsError> {
    match json_words(rest)? {
        Some(words) => Ok(ParsedArgs { words, json: true }),
        None => Ok(ParsedArgs {
            words: split_whitespace_delimited(rest, 0),
            json: false,
        }),
    }
}

/// `parseJSON`: `Some` for a string array, `None` to fall back to the shell form.
fn json_words(rest: &str) -> Result<Option<Vec<RawWord>>, ArgsError> {
    let trimmed = rest.trim_start();
    if !trimmed.starts_with('[') {
        return Ok(None);
    }
    let offset = rest.len() - trimmed.len();
    match parse_json_args(trimmed) {
        JsonArgs::Strings(items) => Ok(Some(
            items
                .into_iter()
                .map(|(value, range)| (value, range.start + offset..range.end + offset))
                .collect(),
        )),
        JsonArgs::NotStrings => Err(ArgsError {
            message: NOT_STRING_ARRAY.to_owned(),
            range: 0..rest.len(),
        }),
        JsonArgs::Invalid => Ok(None),
    }
}

/// `parseHealthConfig`: the type word, then a maybe-JSON command.
fn health_config(rest: &str) -> Result<ParsedArgs, ArgsError> {
    let is_space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
    let sep = rest
        .bytes()
        .position(|b| is_space(&b))
        .unwrap_or(rest.len());
    if sep == 0 {
        return Ok(ParsedArgs::default());
    }
    let next = rest[sep..]
        .bytes()
        .position(|b| !is_space(&b))
        .map_or(rest.len(), |i| sep + i);
    let command = maybe_json(&rest[next..])?;
    let mut words = vec![(rest[..sep].to_owned(), 0..sep)];
    words.extend(
        command
            .words
            .into_iter()
            .map(|(value, range)| (value, range.start + next..range.end + next)),
    );
    Ok(ParsedArgs {
        words,
        json: command.json,
    })
}

/// `parseNameVal` for ENV and LABEL: `k=v k=v` pairs, or the legacy `k value...` form.
/// Each pair becomes `key, value, separator`.
fn name_val(rest: &str, instruction: &str, escape: char) -> Result<ParsedArgs, ArgsError> {
    let words = parse_words(rest, escape);
    let Some((first, _)) = words.first() else {
        return Ok(ParsedArgs::default());
    };
    if !first.contains('=') {
        let Some(split) = rest.find(is_delimiter) else {
            return Err(ArgsError {
                message: format!("{instruction} must have two arguments"),
                range: 0..rest.len(),
            });
        };
        let value_start = rest[split..]
            .find(|c| !is_delimiter(c))
            .map_or(rest.len(), |i| split + i);
        return Ok(ParsedArgs {
            words: vec![
                (rest[..split].to_owned(), 0..split),
                (rest[value_start..].to_owned(), value_start..rest.len()),
                (String::new(), rest.len()..rest.len()),
            ],
            json: false,
        });
    }
    let mut triples = Vec::with_capacity(words.len() * 3);
    for (word, range) in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(ArgsError {
                message: format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    quote(&word)
                ),
                range,
            });
        };
        let key_end = (range.start + key.len()).min(range.end);
        let value_start = (key_end + 1).min(range.end);
        triples.push((key.to_owned(), range.start..key_end));
        triples.push((value.to_owned(), value_start..range.end));
        triples.push(("=".to_owned(), key_end..value_start));
    }
    Ok(ParsedArgs {
        words: triples,
        json: false,
    })
}

/// `parseWords`: quote-aware words for ENV, LABEL and ARG. Quotes and escape tokens stay in
/// the words (the expander removes them later); a trailing escape token is dropped.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<RawWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut phase = Phase::Spaces;
    let mut blank_ok = false;
    let mut start = 0;
    let mut i = 0;
    loop {
        let Some(&(pos, mut ch)) = chars.get(i) else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                words.push((word, start..rest.len()));
            }
            return words;
        };
        i += 1;
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push((std::mem::take(&mut word), start..pos));
                    }
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                }
                if ch == escape {
                    let Some(&(_, next)) = chars.get(i) else {
                        continue;
                    };
                    word.push(ch);
                    ch = next;
                    i += 1;
                }
                word.push(ch);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    let Some(&(_, next)) = chars.get(i) else {
                        phase = Phase::Word;
                        continue;
                    };
                    word.push(ch);
                    ch = next;
                    i += 1;
                }
                word.push(ch);
            }
            Phase::Spaces => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(keyword: Keyword, rest: &str) -> Vec<String> {
        match parse_args(keyword, rest, 0, '\\') {
            Ok(parsed) => parsed.words.into_iter().map(|(v, _)| v).collect(),
            Err(e) => vec![format!("error: {}", e.message)],
        }
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let words: Vec<String> = parse_words(r#"a="b c" d='e\' f\ g h\"#, '\\')
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(words, [r#"a="b c""#, r"d='e\'", r"f\ g", "h"]);
    }

    #[test]
    fn env_forms() {
        assert_eq!(values(Keyword::Env, "A 1 B 2"), ["A", "1 B 2", ""]);
        assert_eq!(
            values(Keyword::Env, r#"A=1 B="x y""#),
            ["A", "1", "=", "B", r#""x y""#, "="]
        );
        assert_eq!(
            values(Keyword::Env, "A"),
            ["error: ENV must have two arguments"]
        );
        assert_eq!(
            values(Keyword::Label, "a=1 b"),
            [r#"error: Syntax error - can't find = in "b". Must be of the form: name=value"#]
        );
    }

    #[test]
    fn json_and_shell_forms() {
        assert_eq!(values(Keyword::Cmd, r#"["a", "b"]"#), ["a", "b"]);
        assert_eq!(values(Keyword::Cmd, "['a']"), ["['a']"]);
        assert_eq!(values(Keyword::Copy, r#""a b" c"#), [r#""a"#, r#"b""#, "c"]);
        assert_eq!(
            values(Keyword::Run, "[1]"),
            [format!("error: {NOT_STRING_ARRAY}")]
        );
        assert_eq!(
            values(Keyword::Healthcheck, r#"CMD ["curl", "x"]"#),
            ["CMD", "curl", "x"]
        );
        assert_eq!(values(Keyword::Healthcheck, "NONE"), ["NONE"]);
        assert_eq!(values(Keyword::Workdir, "/a b"), ["/a b"]);
        assert_eq!(values(Keyword::From, "a\t AS  b"), ["a", "AS", "b"]);
        assert_eq!(values(Keyword::Unknown, "x y"), [""]);
    }
}
