//! BuildKit's Dockerfile variable expansion (`$VAR`, `${VAR:-word}`, quotes, escapes).
//!
//! This is a port of the shell lexer that BuildKit's Dockerfile frontend (`dockerfile/1.26`,
//! moby/buildkit `frontend/dockerfile/shell/lex.go`) runs on ENV, ARG, LABEL, COPY/ADD,
//! WORKDIR, USER, VOLUME, EXPOSE, STOPSIGNAL, FROM and `RUN --mount` values. It is not a shell:
//! there is no command substitution, arithmetic, tilde or glob expansion, only:
//!
//! - quote removal (`'…'` literal, `"…"` with `$` expansion), and the escape token
//!   (`\` or `` ` ``): unquoted it escapes any character, in double quotes only `"`, `$` and
//!   itself; a trailing escape is dropped;
//! - `$name`, `${name}`, `${name:-word}`, `${name-word}`, `${name:+word}`, `${name+word}`,
//!   `${name:?message}`, `${name?message}`, `${name#glob}`, `${name##glob}`, `${name%glob}`,
//!   `${name%%glob}`, `${name/glob/replacement}` and `${name//glob/replacement}`;
//! - word splitting after expansion ([`Lex::process_words`]).
//!
//! Every quirk of `lex.go` is kept on purpose, because BuildKit's output is the oracle:
//!
//! - Globs only know `*` and `?`, and neither matches a newline (BuildKit turns them into Go
//!   regular expressions `.*` / `.`). `${v%glob}` reverses the pattern and the value, as
//!   BuildKit does, so a pattern ending in a lone `\` reports the same error.
//! - `${v//glob/repl}` interprets `$0`, `${0}` and `$$` in the replacement like Go's
//!   `Regexp.ReplaceAllString` (any other `$name` becomes empty); `${v/glob/repl}` does not.
//! - BuildKit shares one word buffer between nested `${…}` words, so [`Lex::process_words`]
//!   loses the part of a word that precedes a `${v:-…}`-style expansion (`a${x:-b}c` → `bc`).
//! - A word ending right after `${name` is reported as
//!   `unsupported modifier (\u{FFFD}) in substitution`, not as a missing `}`: Go formats the
//!   end-of-input rune as U+FFFD. (`${`, `${v:-x` and the like do report `missing '}'`.)
//! - A byte-order mark at the very start of a word or of a glob is skipped, like Go's
//!   `text/scanner` does.
//! - Names are Go's `unicode.IsLetter` / `unicode.IsDigit` / `_` (Unicode 15.0, the tables of
//!   Go's `unicode` package), case-sensitive.
//!
//! Differences, all for running in a browser tab: a `${v//p/r}` result may not exceed
//! [`MAX_EXPANSION_BYTES`], `${…}` may nest at most [`MAX_NESTING`]
//! levels deep (the error is `expansion nested too deeply`), and globs are matched by a
//! position-set automaton (time proportional to value length × pattern length, never
//! exponential) instead of a regular expression; it finds the same match Go's leftmost-first
//! engine finds.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// How deep `${…}` words may nest inside each other before expansion gives up.
pub const MAX_NESTING: usize = 128;

/// The largest result `${v//p/r}` may build. Nested replacements multiply (`${a//x/${a//x/…}}`
/// grows as len(a)^depth), and BuildKit would happily exhaust memory; a browser tab must not.
pub const MAX_EXPANSION_BYTES: usize = 16 << 20;

/// Variable lookup used during expansion.
pub trait Env {
    /// The value of `name`, or `None` when the variable is not set.
    fn get(&self, name: &str) -> Option<&str>;
}

/// A list of `(name, value)` pairs; the last occurrence of a name wins.
impl Env for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A list of `(name, value)` pairs; the last occurrence of a name wins.
impl Env for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// A list of `(name, value)` pairs; the last occurrence of a name wins.
impl Env for [(&str, &str)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

/// A list of `(name, value)` pairs; the last occurrence of a name wins.
impl<const N: usize> Env for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// A list of `(name, value)` pairs; the last occurrence of a name wins.
impl<const N: usize> Env for [(String, String); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }
}

impl<S: std::hash::BuildHasher> Env for HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
}

/// The empty environment: every variable is unset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// An expansion error, worded as BuildKit words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    /// BuildKit's full message, e.g.
    /// `failed to process "${a:?}": a: is not allowed to be empty`.
    pub message: String,
    /// Byte offset within the processed word where the problem was detected: the `$` of the
    /// failing `${…}` (or `$`), or the opening quote of an unterminated quote.
    pub offset: usize,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ShellError {}

/// The lexer's options; BuildKit's `shell.Lex`.
#[derive(Clone, Debug)]
pub struct Lex {
    /// The escape token: `\` or `` ` `` (the `# escape=` directive).
    pub escape: char,
    /// Keep the quote characters in the output (BuildKit's `RawQuotes`).
    pub raw_quotes: bool,
    /// Keep the escape tokens in the output (BuildKit's `RawEscapes`).
    pub raw_escapes: bool,
    /// Leave references to unset variables as written (BuildKit's `SkipUnsetEnv`).
    pub skip_unset_env: bool,
    /// Treat quotes as ordinary characters (BuildKit's `SkipProcessQuotes`).
    pub skip_process_quotes: bool,
}

/// The result of [`Lex::process_word_with_matches`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded word.
    pub result: String,
    /// Variables that were looked up and found.
    pub matched: BTreeSet<String>,
    /// Variables that were looked up and not found.
    pub unmatched: BTreeSet<String>,
}

impl Lex {
    /// A lexer with the given escape token and every option off.
    #[must_use]
    pub fn new(escape: char) -> Lex {
        Lex {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
            skip_process_quotes: false,
        }
    }

    /// Expands `word` into one string, removing quotes and escapes (BuildKit's `ProcessWord`).
    ///
    /// # Errors
    ///
    /// BuildKit's errors: unterminated quotes, malformed or unsupported `${…}`, `${v:?msg}`
    /// on an unset (or empty) variable, invalid glob escapes; and `${…}` nested deeper than
    /// [`MAX_NESTING`].
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<String, ShellError> {
        self.run(word, env).map(|outcome| outcome.result)
    }

    /// Expands `word` and splits the result on white space, except inside quotes (BuildKit's
    /// `ProcessWords`). Splitting happens after expansion, so a variable's value can produce
    /// several words; quoted empty strings produce no word.
    ///
    /// # Errors
    ///
    /// As [`Lex::process_word`].
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ShellError> {
        self.run(word, env).map(|outcome| outcome.words)
    }

    /// Like [`Lex::process_word`], also reporting which variable names were looked up and
    /// found / not found (BuildKit's `ProcessWordWithMatches`).
    ///
    /// # Errors
    ///
    /// As [`Lex::process_word`].
    pub fn process_word_with_matches(
        &self,
        word: &str,
        env: &dyn Env,
    ) -> Result<Expansion, ShellError> {
        self.run(word, env).map(|outcome| Expansion {
            result: outcome.result,
            matched: outcome.matched,
            unmatched: outcome.unmatched,
        })
    }

    fn run(&self, word: &str, env: &dyn Env) -> Result<Outcome, ShellError> {
        let mut state = ShellWord {
            lex: self,
            env,
            scanner: Scanner::new(word),
            raw_escapes: self.raw_escapes,
            words_buf: String::new(),
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            depth: 0,
        };
        match state.process_stop_on(None, self.raw_escapes) {
            Ok((result, words)) => Ok(Outcome {
                result,
                words,
                matched: state.matched,
                unmatched: state.unmatched,
            }),
            Err(fail) => Err(ShellError {
                message: format!(
                    "failed to process {}: {}",
                    crate::go_quote::quote(word),
                    fail.message
                ),
                offset: fail.offset,
            }),
        }
    }
}

struct Outcome {
    result: String,
    words: Vec<String>,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

/// An error inside the word, before BuildKit's `failed to process` wrapping.
struct Fail {
    message: String,
    offset: usize,
    /// Not rewritten into `missing '}'` by enclosing `${…}` (our own nesting limit).
    sticky: bool,
}

impl Fail {
    fn new(message: impl Into<String>, offset: usize) -> Fail {
        Fail {
            message: message.into(),
            offset,
            sticky: false,
        }
    }
}

/// Go's `text/scanner` as `lex.go` uses it: `Peek` and `Next` over characters, skipping a
/// byte-order mark at the very start.
struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str) -> Scanner<'a> {
        let pos = if src.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Scanner { src, pos }
    }

    fn peek(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }
}

/// Go's `string(ch)` where `ch` may be `scanner.EOF`, which Go renders as U+FFFD.
fn rune_str(ch: Option<char>) -> char {
    ch.unwrap_or('\u{fffd}')
}

/// BuildKit's `wordsStruct`, minus its buffer, which lives in [`ShellWord::words_buf`] and is
/// shared by all nesting levels, as in BuildKit.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if is_space(ch) && self.in_word {
            if !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else if !is_space(ch) {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

/// BuildKit's `shellWord`: the state of one expansion.
struct ShellWord<'a> {
    lex: &'a Lex,
    env: &'a dyn Env,
    scanner: Scanner<'a>,
    raw_escapes: bool,
    words_buf: String,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    depth: usize,
}

impl<'a> ShellWord<'a> {
    /// `processStopOn`: processes up to the end of the word (`stop == None`) or up to and
    /// including `stop`.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), Fail> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let outcome = self.stop_on(stop);
        self.raw_escapes = saved;
        outcome
    }

    fn stop_on(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), Fail> {
        let mut result = String::new();
        self.words_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.scanner.peek() {
            if stop == Some(ch) {
                self.scanner.next();
                return Ok((result, words.finish(&mut self.words_buf)));
            }
            if ch == '$' || (quotes && (ch == '\'' || ch == '"')) {
                let text = match ch {
                    '$' => self.process_dollar()?,
                    '\'' => self.process_single_quote()?,
                    _ => self.process_double_quote()?,
                };
                result.push_str(&text);
                self.within_budget(result.len())?;
                if ch == '$' {
                    words.add_string(&mut self.words_buf, &text);
                } else {
                    words.add_raw_string(&mut self.words_buf, &text);
                }
                continue;
            }
            self.scanner.next();
            let mut ch = ch;
            if ch == self.lex.escape {
                if self.raw_escapes {
                    words.add_raw_char(&mut self.words_buf, ch);
                    result.push(ch);
                }
                match self.scanner.next() {
                    None => break,
                    Some(escaped) => {
                        ch = escaped;
                        words.add_raw_char(&mut self.words_buf, ch);
                    }
                }
            } else {
                words.add_char(&mut self.words_buf, ch);
            }
            result.push(ch);
        }
        if let Some(stop) = stop {
            return Err(Fail::new(
                format!("unexpected end of statement while looking for matching {stop}"),
                self.scanner.pos,
            ));
        }
        Ok((result, words.finish(&mut self.words_buf)))
    }

    /// Each expansion is capped at [`MAX_EXPANSION_BYTES`], and so is the text they add up to:
    /// a word of many capped `${a//x/…}` would otherwise still grow past what a tab can hold.
    fn within_budget(&self, len: usize) -> Result<(), Fail> {
        if len > MAX_EXPANSION_BYTES {
            return Err(Fail {
                message: format!(
                    "expansion result too large (over {} MiB)",
                    MAX_EXPANSION_BYTES >> 20
                ),
                offset: self.scanner.pos,
                sticky: true,
            });
        }
        Ok(())
    }

    /// A word nested in `${…}`, with our nesting limit on top of BuildKit's behaviour.
    fn nested_stop_on(
        &mut self,
        stop: char,
        raw_escapes: bool,
        dollar: usize,
    ) -> Result<String, Fail> {
        if self.depth >= MAX_NESTING {
            return Err(Fail {
                message: "expansion nested too deeply".to_owned(),
                offset: dollar,
                sticky: true,
            });
        }
        self.depth += 1;
        let outcome = self.process_stop_on(Some(stop), raw_escapes);
        self.depth -= 1;
        outcome.map(|(word, _)| word)
    }

    /// BuildKit turns any error inside a `${…}` word into `missing_message` when the input
    /// ended there.
    fn at_end_or(&self, fail: Fail, missing_message: &str, dollar: usize) -> Fail {
        if !fail.sticky && self.scanner.peek().is_none() {
            Fail::new(missing_message, dollar)
        } else {
            fail
        }
    }

    fn process_single_quote(&mut self) -> Result<String, Fail> {
        let start = self.scanner.pos;
        let mut result = String::new();
        let open = self.scanner.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.scanner.next() {
                None => {
                    return Err(Fail::new(
                        "unexpected end of statement while looking for matching single-quote",
                        start,
                    ))
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, Fail> {
        let start = self.scanner.pos;
        let mut result = String::new();
        let open = self.scanner.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.scanner.peek() {
                None => {
                    return Err(Fail::new(
                        "unexpected end of statement while looking for matching double-quote",
                        start,
                    ))
                }
                Some('"') => {
                    self.scanner.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    self.within_budget(result.len())?;
                }
                Some(mut ch) => {
                    self.scanner.next();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.scanner.peek() {
                            // A trailing escape is ignored; the loop then reports the
                            // missing quote.
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.lex.escape => {
                                self.scanner.next();
                                ch = next;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn get_env(&mut self, name: &str) -> Option<&'a str> {
        let env: &'a dyn Env = self.env;
        let value = env.get(name);
        let seen = if value.is_some() {
            &mut self.matched
        } else {
            &mut self.unmatched
        };
        if !seen.contains(name) {
            seen.insert(name.to_owned());
        }
        value
    }

    /// `processDollar`. The work is split over several functions so that the frames on the
    /// recursive path (`${a:-${b:-…}}`) stay small.
    fn process_dollar(&mut self) -> Result<String, Fail> {
        let dollar = self.scanner.pos;
        self.scanner.next();

        // $name
        if self.scanner.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(self.lookup(&name, "$", ""));
        }

        self.scanner.next();
        match self.scanner.peek() {
            None => return Err(Fail::new("syntax error: missing '}'", dollar)),
            Some('{' | '}' | ':') => {
                return Err(Fail::new("syntax error: bad substitution", dollar));
            }
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.scanner.next();
        match ch {
            Some('}') => Ok(self.lookup(&name, "${", "}")),
            Some(':' | '+' | '-' | '?' | '#' | '%') => self.process_modifier(dollar, &name, ch),
            Some('/') => self.process_replace(dollar, &name),
            _ => Err(unsupported_modifier(&rune_str(ch).to_string(), dollar)),
        }
    }

    /// `$name` / `${name}`: the value, or the reference as written under `skip_unset_env`.
    fn lookup(&mut self, name: &str, open: &str, close: &str) -> String {
        match self.get_env(name) {
            Some(value) => value.to_owned(),
            None if self.lex.skip_unset_env => format!("{open}{name}{close}"),
            None => String::new(),
        }
    }

    /// `${name<op>word}`, `ch` being the character after the name.
    fn process_modifier(
        &mut self,
        dollar: usize,
        name: &str,
        ch: Option<char>,
    ) -> Result<String, Fail> {
        let mut modifier = String::from(rune_str(ch));
        let (null_is_unset, ch) = if ch == Some(':') {
            let second = self.scanner.next();
            modifier.push(rune_str(second));
            (true, second)
        } else {
            (false, ch)
        };
        let pattern = matches!(ch, Some('#' | '%'));
        if null_is_unset && pattern {
            return Err(unsupported_modifier(&modifier, dollar));
        }
        let word = match self.nested_stop_on('}', pattern, dollar) {
            Ok(word) => word,
            Err(fail) => return Err(self.at_end_or(fail, "syntax error: missing '}'", dollar)),
        };
        let value = self.get_env(name);
        if value.is_none() && self.lex.skip_unset_env {
            return Ok(format!("${{{name}{modifier}{word}}}"));
        }
        Self::apply_modifier(ch, name, value, word, null_is_unset, &modifier, dollar)
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn process_replace(&mut self, dollar: usize, name: &str) -> Result<String, Fail> {
        let replace_all = self.scanner.peek() == Some('/');
        if replace_all {
            self.scanner.next();
        }
        let pattern = match self.nested_stop_on('/', true, dollar) {
            Ok(word) => word,
            Err(fail) => {
                return Err(self.at_end_or(fail, "syntax error: missing '/' in ${}", dollar))
            }
        };
        let replacement = match self.nested_stop_on('}', true, dollar) {
            Ok(word) => word,
            Err(fail) => return Err(self.at_end_or(fail, "syntax error: missing '}'", dollar)),
        };
        let value = self.get_env(name);
        if value.is_none() && self.lex.skip_unset_env {
            return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
        }
        replace(
            value.unwrap_or_default(),
            &pattern,
            &replacement,
            replace_all,
        )
        .map_err(|message| Fail::new(message, dollar))
    }

    /// The `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%` cases of `processDollar`.
    fn apply_modifier(
        ch: Option<char>,
        name: &str,
        value: Option<&str>,
        word: String,
        null_is_unset: bool,
        modifier: &str,
        dollar: usize,
    ) -> Result<String, Fail> {
        let unset_or_null = match value {
            None => true,
            Some(value) => null_is_unset && value.is_empty(),
        };
        match ch {
            Some('-') => Ok(if unset_or_null {
                word
            } else {
                value.unwrap_or_default().to_owned()
            }),
            Some('+') => Ok(if unset_or_null { String::new() } else { word }),
            Some('?') => {
                let default = match value {
                    None => "is not allowed to be unset",
                    Some(_) if unset_or_null => "is not allowed to be empty",
                    Some(value) => return Ok(value.to_owned()),
                };
                let message = if word.is_empty() {
                    default
                } else {
                    word.as_str()
                };
                Err(Fail::new(format!("{name}: {message}"), dollar))
            }
            Some(op @ ('#' | '%')) => {
                let value = value.unwrap_or_default();
                // `##` / `%%`: BuildKit looks at the first byte of the expanded word.
                let (greedy, pattern) = match word.strip_prefix(op) {
                    Some(rest) => (true, rest),
                    None => (false, word.as_str()),
                };
                let trimmed = if op == '%' {
                    trim_suffix(pattern, value, greedy)
                } else {
                    trim_prefix(pattern, value, greedy)
                };
                trimmed.map_err(|message| Fail::new(message, dollar))
            }
            _ => Err(unsupported_modifier(modifier, dollar)),
        }
    }

    /// `processName`: a run of letters, digits and `_`; a leading digit reads only digits; a
    /// special parameter (`@*#?-$!0`) is one character.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.scanner.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(digit) = self.scanner.peek().filter(|&c| is_digit(c)) {
                    self.scanner.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.scanner.next();
                return ch.to_string();
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            self.scanner.next();
            name.push(ch);
        }
        name
    }
}

fn unsupported_modifier(modifier: &str, dollar: usize) -> Fail {
    Fail::new(
        format!("unsupported modifier ({modifier}) in substitution"),
        dollar,
    )
}

/// The end of `${name/pattern/replacement}` (`all` for `//`): BuildKit compiles the pattern
/// to a greedy, unanchored regular expression and calls `FindStringIndex` (literal
/// replacement) or `ReplaceAllString` (`$` templates).
fn replace(value: &str, pattern: &str, replacement: &str, all: bool) -> Result<String, String> {
    let glob = Glob::compile(pattern)
        .map_err(|err| format!("invalid pattern ({pattern}) in substitution: {err}"))?;
    if all {
        if value.len().saturating_mul(replacement.len()) > MAX_EXPANSION_BYTES {
            let mut matches = 0usize;
            let mut at = 0;
            while let Some((start, end)) = glob.find(value, at) {
                matches += 1;
                at = if end > start { end } else { end + 1 };
                if at > value.len() {
                    break;
                }
            }
            if value.len() + matches.saturating_mul(replacement.len()) > MAX_EXPANSION_BYTES {
                return Err(format!(
                    "expansion result too large (over {} MiB)",
                    MAX_EXPANSION_BYTES >> 20
                ));
            }
        }
        return Ok(glob.replace_all(value, replacement));
    }
    Ok(match glob.find(value, 0) {
        Some((start, end)) => {
            let mut out = String::with_capacity(value.len() + replacement.len());
            out.push_str(value.get(..start).unwrap_or_default());
            out.push_str(replacement);
            out.push_str(value.get(end..).unwrap_or_default());
            out
        }
        None => value.to_owned(),
    })
}

fn is_special_param(ch: char) -> bool {
    matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// Go's `unicode.IsSpace` (the Unicode White_Space property, like Rust's).
fn is_space(ch: char) -> bool {
    ch.is_whitespace()
}

/// Go's `unicode.IsLetter`: general category L.
fn is_letter(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_alphabetic();
    }
    in_table(LETTER, ch)
}

/// Go's `unicode.IsDigit`: general category Nd.
fn is_digit(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_digit();
    }
    in_table(DECIMAL_NUMBER, ch)
}

/// Whether `ch` falls in one of the sorted inclusive ranges `[start, end, start, end, …]`.
fn in_table(table: &[u32], ch: char) -> bool {
    let cp = u32::from(ch);
    let ranges = table.chunks_exact(2);
    let count = ranges.len();
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let Some(&[start, end]) = table.get(2 * mid..2 * mid + 2) else {
            return false;
        };
        if cp < start {
            hi = mid;
        } else if cp > end {
            lo = mid + 1;
        } else {
            return true;
        }
    }
    false
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// BuildKit's `reversePattern`: reverses a glob, keeping `\x` pairs in order.
fn reverse_pattern(pattern: &str) -> String {
    let runes: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; runes.len()];
    let mut i = 0;
    while i < runes.len() {
        let out_idx = runes.len() - 1 - i;
        match (runes.get(i), runes.get(i + 1)) {
            (Some('\\'), Some(&next)) if out_idx >= 1 => {
                out[out_idx - 1] = '\\';
                out[out_idx] = next;
                i += 2;
            }
            (Some(&tok), _) => {
                out[out_idx] = tok;
                i += 1;
            }
            (None, _) => break,
        }
    }
    out.into_iter().collect()
}

/// BuildKit's `trimPrefix`: removes the shortest (or, `greedy`, longest) prefix of `value`
/// matching `pattern`.
fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let glob = Glob::compile(pattern)
        .map_err(|err| format!("invalid pattern ({pattern}) in substitution: {err}"))?;
    Ok(match glob.match_prefix(value, greedy) {
        Some(end) => value.get(end..).unwrap_or_default().to_owned(),
        None => value.to_owned(),
    })
}

/// BuildKit's `trimSuffix`: `trim_prefix` on the reversed pattern and value.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reverse(value), greedy)?;
    Ok(reverse(&trimmed))
}

/// One element of a glob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// A literal character.
    Lit(char),
    /// `?`: any character but a newline (Go's `.`).
    Any,
    /// `*`: any run of characters without a newline (Go's `.*` / `.*?`).
    Star,
}

/// A glob as BuildKit's `convertShellPatternToRegex` understands it, matched by an automaton
/// that tracks the set of pattern positions (linear in the value for a given pattern).
struct Glob {
    toks: Vec<Tok>,
}

impl Glob {
    /// Parses `pattern`; the error is BuildKit's `invalid escape '\x'`.
    fn compile(pattern: &str) -> Result<Glob, String> {
        let mut scanner = Scanner::new(pattern);
        let mut toks = Vec::new();
        while let Some(ch) = scanner.next() {
            let tok = match ch {
                '*' => Tok::Star,
                '?' => Tok::Any,
                '\\' => {
                    // `\}` and `\/` only protect the `${}` syntax: the escape is dropped and
                    // the character is matched literally (on the next iteration).
                    if matches!(scanner.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match scanner.next() {
                        Some(escaped @ ('*' | '?' | '\\')) => Tok::Lit(escaped),
                        other => return Err(format!("invalid escape '\\{}'", rune_str(other))),
                    }
                }
                other => Tok::Lit(other),
            };
            // `**` matches what `*` matches, with the same leftmost/shortest/longest match.
            if tok == Tok::Star && toks.last() == Some(&Tok::Star) {
                continue;
            }
            toks.push(tok);
        }
        Ok(Glob { toks })
    }

    /// Adds pattern position `state` (and what an empty `*` run reaches) to `set`.
    fn add(&self, set: &mut [bool], state: usize) {
        let mut state = state;
        loop {
            match set.get_mut(state) {
                Some(slot) if !*slot => *slot = true,
                _ => return,
            }
            if self.toks.get(state) != Some(&Tok::Star) {
                return;
            }
            state += 1;
        }
    }

    /// Where a match of the whole glob against a prefix of `value` ends: the shortest such
    /// prefix, or with `longest` the longest one. Go's anchored `^…` with lazy `.*?` (greedy
    /// `.*`) wildcards finds exactly these.
    fn match_prefix(&self, value: &str, longest: bool) -> Option<usize> {
        let accept = self.toks.len();
        let mut current = vec![false; accept + 1];
        let mut next = vec![false; accept + 1];
        self.add(&mut current, 0);
        let mut best = None;
        if current.get(accept) == Some(&true) {
            best = Some(0);
            if !longest {
                return best;
            }
        }
        for (at, ch) in value.char_indices() {
            next.fill(false);
            let mut alive = false;
            for state in 0..accept {
                if current.get(state) != Some(&true) {
                    continue;
                }
                match self.toks.get(state) {
                    Some(Tok::Lit(lit)) if *lit == ch => self.add(&mut next, state + 1),
                    Some(Tok::Any) if ch != '\n' => self.add(&mut next, state + 1),
                    Some(Tok::Star) if ch != '\n' => self.add(&mut next, state),
                    _ => continue,
                }
                alive = true;
            }
            if !alive {
                break;
            }
            std::mem::swap(&mut current, &mut next);
            if current.get(accept) == Some(&true) {
                best = Some(at + ch.len_utf8());
                if !longest {
                    return best;
                }
            }
        }
        best
    }

    /// Go's `FindStringIndex` from byte `from` with greedy wildcards: the leftmost start that
    /// has a match, and the longest match from there.
    fn find(&self, value: &str, from: usize) -> Option<(usize, usize)> {
        let accept = self.toks.len();
        // For every pattern position, the smallest start of a thread there: two threads in the
        // same position have the same future, so the leftmost one dominates.
        let mut current: Vec<Option<usize>> = vec![None; accept + 1];
        let mut next: Vec<Option<usize>> = vec![None; accept + 1];
        let mut best: Option<(usize, usize)> = None;
        let mut pos = from;
        let rest = value.get(from..)?;
        let mut chars = rest.chars();
        loop {
            if best.is_none() {
                self.seed(&mut current, 0, pos);
            }
            if let Some(Some(start)) = current.get(accept).copied() {
                best = match best {
                    Some((best_start, _)) if best_start < start => best,
                    _ => Some((start, pos)),
                };
            }
            if let Some((best_start, _)) = best {
                for slot in &mut current {
                    if slot.is_some_and(|start| start > best_start) {
                        *slot = None;
                    }
                }
            }
            if current.iter().all(Option::is_none) {
                break;
            }
            let Some(ch) = chars.next() else {
                break;
            };
            next.fill(None);
            for state in 0..accept {
                let Some(Some(start)) = current.get(state).copied() else {
                    continue;
                };
                match self.toks.get(state) {
                    Some(Tok::Lit(lit)) if *lit == ch => self.seed(&mut next, state + 1, start),
                    Some(Tok::Any) if ch != '\n' => self.seed(&mut next, state + 1, start),
                    Some(Tok::Star) if ch != '\n' => self.seed(&mut next, state, start),
                    _ => {}
                }
            }
            std::mem::swap(&mut current, &mut next);
            pos += ch.len_utf8();
        }
        best
    }

    /// Adds a thread that began at `start` in pattern position `state` (and what an empty `*`
    /// run reaches), keeping the smaller start where one is already there.
    fn seed(&self, set: &mut [Option<usize>], state: usize, start: usize) {
        let mut state = state;
        loop {
            match set.get_mut(state) {
                Some(slot) if slot.is_none_or(|existing| existing > start) => *slot = Some(start),
                _ => return,
            }
            if self.toks.get(state) != Some(&Tok::Star) {
                return;
            }
            state += 1;
        }
    }

    /// Go's `Regexp.ReplaceAllString` with this glob (no capture groups).
    fn replace_all(&self, src: &str, template: &str) -> String {
        let mut out = String::with_capacity(src.len());
        let mut last_match_end = 0;
        let mut search = 0;
        while search <= src.len() {
            let Some((start, end)) = self.find(src, search) else {
                break;
            };
            out.push_str(src.get(last_match_end..start).unwrap_or_default());
            // No replacement for an empty match right after the previous match.
            if end > last_match_end || start == 0 {
                expand_template(&mut out, template, src.get(start..end).unwrap_or_default());
            }
            last_match_end = end;
            let width = src
                .get(search..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8);
            if search + width > end {
                search += width;
            } else if search + 1 > end {
                search += 1;
            } else {
                search = end;
            }
        }
        out.push_str(src.get(last_match_end..).unwrap_or_default());
        out
    }
}

/// Go's `Regexp.Expand` for a regular expression without capture groups: `$$` is `$`, `$0` and
/// `${0}` are the match, any other `$name` / `${name}` is empty, and a `$` that starts no name
/// is kept.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut template = template;
    while let Some(dollar) = template.find('$') {
        out.push_str(template.get(..dollar).unwrap_or_default());
        template = template.get(dollar + 1..).unwrap_or_default();
        if let Some(rest) = template.strip_prefix('$') {
            out.push('$');
            template = rest;
            continue;
        }
        match extract_group_name(template) {
            Some((name, rest)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                template = rest;
            }
            None => out.push('$'),
        }
    }
    out.push_str(template);
}

/// Go's `regexp.extract`: a leading `name` or `{name}` (letters, digits, `_`).
fn extract_group_name(s: &str) -> Option<(&str, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(is_letter(c) || is_digit(c) || c == '_'))
        .map_or(body.len(), |(at, _)| at);
    if len == 0 {
        return None;
    }
    let name = body.get(..len)?;
    let mut rest = body.get(len..)?;
    if braced {
        rest = rest.strip_prefix('}')?;
    }
    Some((name, rest))
}

/// Go's `unicode.Letter` (general category L), Unicode 15.0, as `start, end` pairs.
const LETTER: &[u32] = &[
    0x41, 0x5A, 0x61, 0x7A, 0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8,
    0x2C1, 0x2C6, 0x2D1, 0x2E0, 0x2E4, 0x2EC, 0x2EC, 0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377,
    0x37A, 0x37D, 0x37F, 0x37F, 0x386, 0x386, 0x388, 0x38A, 0x38C, 0x38C, 0x38E, 0x3A1, 0x3A3,
    0x3F5, 0x3F7, 0x481, 0x48A, 0x52F, 0x531, 0x556, 0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA,
    0x5EF, 0x5F2, 0x620, 0x64A, 0x66E, 0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE,
    0x6EF, 0x6FA, 0x6FC, 0x6FF, 0x6FF, 0x710, 0x710, 0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1,
    0x7CA, 0x7EA, 0x7F4, 0x7F5, 0x7FA, 0x7FA, 0x800, 0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828,
    0x828, 0x840, 0x858, 0x860, 0x86A, 0x870, 0x887, 0x889, 0x88E, 0x8A0, 0x8C9, 0x904, 0x939,
    0x93D, 0x93D, 0x950, 0x950, 0x958, 0x961, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990, 0x993,
    0x9A8, 0x9AA, 0x9B0, 0x9B2, 0x9B2, 0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD,
    0x9DF, 0x9E1, 0x9F0, 0x9F1, 0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A,
    0xA30, 0xA32, 0xA33, 0xA35, 0xA36, 0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA72, 0xA74,
    0xA85, 0xA8D, 0xA8F, 0xA91, 0xA93, 0xAA8, 0xAAA, 0xAB0, 0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD,
    0xABD, 0xAD0, 0xAD0, 0xAE0, 0xAE1, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10, 0xB13, 0xB28,
    0xB2A, 0xB30, 0xB32, 0xB33, 0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61, 0xB71,
    0xB71, 0xB83, 0xB83, 0xB85, 0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99, 0xB9A, 0xB9C, 0xB9C,
    0xB9E, 0xB9F, 0xBA3, 0xBA4, 0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0, 0xC05, 0xC0C, 0xC0E,
    0xC10, 0xC12, 0xC28, 0xC2A, 0xC39, 0xC3D, 0xC3D, 0xC58, 0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61,
    0xC80, 0xC80, 0xC85, 0xC8C, 0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3, 0xCB5, 0xCB9, 0xCBD,
    0xCBD, 0xCDD, 0xCDE, 0xCE0, 0xCE1, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A,
    0xD3D, 0xD3D, 0xD4E, 0xD4E, 0xD54, 0xD56, 0xD5F, 0xD61, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A,
    0xDB1, 0xDB3, 0xDBB, 0xDBD, 0xDBD, 0xDC0, 0xDC6, 0xE01, 0xE30, 0xE32, 0xE33, 0xE40, 0xE46,
    0xE81, 0xE82, 0xE84, 0xE84, 0xE86, 0xE8A, 0xE8C, 0xEA3, 0xEA5, 0xEA5, 0xEA7, 0xEB0, 0xEB2,
    0xEB3, 0xEBD, 0xEBD, 0xEC0, 0xEC4, 0xEC6, 0xEC6, 0xEDC, 0xEDF, 0xF00, 0xF00, 0xF40, 0xF47,
    0xF49, 0xF6C, 0xF88, 0xF8C, 0x1000, 0x102A, 0x103F, 0x103F, 0x1050, 0x1055, 0x105A, 0x105D,
    0x1061, 0x1061, 0x1065, 0x1066, 0x106E, 0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x10A0, 0x10C5,
    0x10C7, 0x10C7, 0x10CD, 0x10CD, 0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256,
    0x1258, 0x1258, 0x125A, 0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5,
    0x12B8, 0x12BE, 0x12C0, 0x12C0, 0x12C2, 0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315,
    0x1318, 0x135A, 0x1380, 0x138F, 0x13A0, 0x13F5, 0x13F8, 0x13FD, 0x1401, 0x166C, 0x166F, 0x167F,
    0x1681, 0x169A, 0x16A0, 0x16EA, 0x16F1, 0x16F8, 0x1700, 0x1711, 0x171F, 0x1731, 0x1740, 0x1751,
    0x1760, 0x176C, 0x176E, 0x1770, 0x1780, 0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x1820, 0x1878,
    0x1880, 0x1884, 0x1887, 0x18A8, 0x18AA, 0x18AA, 0x18B0, 0x18F5, 0x1900, 0x191E, 0x1950, 0x196D,
    0x1970, 0x1974, 0x1980, 0x19AB, 0x19B0, 0x19C9, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1AA7, 0x1AA7,
    0x1B05, 0x1B33, 0x1B45, 0x1B4C, 0x1B83, 0x1BA0, 0x1BAE, 0x1BAF, 0x1BBA, 0x1BE5, 0x1C00, 0x1C23,
    0x1C4D, 0x1C4F, 0x1C5A, 0x1C7D, 0x1C80, 0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC,
    0x1CEE, 0x1CF3, 0x1CF5, 0x1CF6, 0x1CFA, 0x1CFA, 0x1D00, 0x1DBF, 0x1E00, 0x1F15, 0x1F18, 0x1F1D,
    0x1F20, 0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B, 0x1F5B, 0x1F5D, 0x1F5D,
    0x1F5F, 0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2, 0x1FC4, 0x1FC6, 0x1FCC,
    0x1FD0, 0x1FD3, 0x1FD6, 0x1FDB, 0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFC, 0x2071, 0x2071,
    0x207F, 0x207F, 0x2090, 0x209C, 0x2102, 0x2102, 0x2107, 0x2107, 0x210A, 0x2113, 0x2115, 0x2115,
    0x2119, 0x211D, 0x2124, 0x2124, 0x2126, 0x2126, 0x2128, 0x2128, 0x212A, 0x212D, 0x212F, 0x2139,
    0x213C, 0x213F, 0x2145, 0x2149, 0x214E, 0x214E, 0x2183, 0x2184, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE,
    0x2CF2, 0x2CF3, 0x2D00, 0x2D25, 0x2D27, 0x2D27, 0x2D2D, 0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F,
    0x2D80, 0x2D96, 0x2DA0, 0x2DA6, 0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8, 0x2DBE, 0x2DC0, 0x2DC6,
    0x2DC8, 0x2DCE, 0x2DD0, 0x2DD6, 0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3006, 0x3031, 0x3035,
    0x303B, 0x303C, 0x3041, 0x3096, 0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F,
    0x3131, 0x318E, 0x31A0, 0x31BF, 0x31F0, 0x31FF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0, 0xA4FD,
    0xA500, 0xA60C, 0xA610, 0xA61F, 0xA62A, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D, 0xA6A0, 0xA6E5,
    0xA717, 0xA71F, 0xA722, 0xA788, 0xA78B, 0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9,
    0xA7F2, 0xA801, 0xA803, 0xA805, 0xA807, 0xA80A, 0xA80C, 0xA822, 0xA840, 0xA873, 0xA882, 0xA8B3,
    0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB, 0xA8FD, 0xA8FE, 0xA90A, 0xA925, 0xA930, 0xA946, 0xA960, 0xA97C,
    0xA984, 0xA9B2, 0xA9CF, 0xA9CF, 0xA9E0, 0xA9E4, 0xA9E6, 0xA9EF, 0xA9FA, 0xA9FE, 0xAA00, 0xAA28,
    0xAA40, 0xAA42, 0xAA44, 0xAA4B, 0xAA60, 0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1, 0xAAB1,
    0xAAB5, 0xAAB6, 0xAAB9, 0xAABD, 0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0, 0xAAEA,
    0xAAF2, 0xAAF4, 0xAB01, 0xAB06, 0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28, 0xAB2E,
    0xAB30, 0xAB5A, 0xAB5C, 0xAB69, 0xAB70, 0xABE2, 0xAC00, 0xD7A3, 0xD7B0, 0xD7C6, 0xD7CB, 0xD7FB,
    0xF900, 0xFA6D, 0xFA70, 0xFAD9, 0xFB00, 0xFB06, 0xFB13, 0xFB17, 0xFB1D, 0xFB1D, 0xFB1F, 0xFB28,
    0xFB2A, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43, 0xFB44, 0xFB46, 0xFBB1,
    0xFBD3, 0xFD3D, 0xFD50, 0xFD8F, 0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70, 0xFE74, 0xFE76, 0xFEFC,
    0xFF21, 0xFF3A, 0xFF41, 0xFF5A, 0xFF66, 0xFFBE, 0xFFC2, 0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7,
    0xFFDA, 0xFFDC, 0x10000, 0x1000B, 0x1000D, 0x10026, 0x10028, 0x1003A, 0x1003C, 0x1003D,
    0x1003F, 0x1004D, 0x10050, 0x1005D, 0x10080, 0x100FA, 0x10280, 0x1029C, 0x102A0, 0x102D0,
    0x10300, 0x1031F, 0x1032D, 0x10340, 0x10342, 0x10349, 0x10350, 0x10375, 0x10380, 0x1039D,
    0x103A0, 0x103C3, 0x103C8, 0x103CF, 0x10400, 0x1049D, 0x104B0, 0x104D3, 0x104D8, 0x104FB,
    0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592,
    0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC,
    0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767, 0x10780, 0x10785, 0x10787, 0x107B0,
    0x107B2, 0x107BA, 0x10800, 0x10805, 0x10808, 0x10808, 0x1080A, 0x10835, 0x10837, 0x10838,
    0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10860, 0x10876, 0x10880, 0x1089E, 0x108E0, 0x108F2,
    0x108F4, 0x108F5, 0x10900, 0x10915, 0x10920, 0x10939, 0x10980, 0x109B7, 0x109BE, 0x109BF,
    0x10A00, 0x10A00, 0x10A10, 0x10A13, 0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A60, 0x10A7C,
    0x10A80, 0x10A9C, 0x10AC0, 0x10AC7, 0x10AC9, 0x10AE4, 0x10B00, 0x10B35, 0x10B40, 0x10B55,
    0x10B60, 0x10B72, 0x10B80, 0x10B91, 0x10C00, 0x10C48, 0x10C80, 0x10CB2, 0x10CC0, 0x10CF2,
    0x10D00, 0x10D23, 0x10E80, 0x10EA9, 0x10EB0, 0x10EB1, 0x10F00, 0x10F1C, 0x10F27, 0x10F27,
    0x10F30, 0x10F45, 0x10F70, 0x10F81, 0x10FB0, 0x10FC4, 0x10FE0, 0x10FF6, 0x11003, 0x11037,
    0x11071, 0x11072, 0x11075, 0x11075, 0x11083, 0x110AF, 0x110D0, 0x110E8, 0x11103, 0x11126,
    0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176, 0x11176, 0x11183, 0x111B2,
    0x111C1, 0x111C4, 0x111DA, 0x111DA, 0x111DC, 0x111DC, 0x11200, 0x11211, 0x11213, 0x1122B,
    0x1123F, 0x11240, 0x11280, 0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D, 0x1128F, 0x1129D,
    0x1129F, 0x112A8, 0x112B0, 0x112DE, 0x11305, 0x1130C, 0x1130F, 0x11310, 0x11313, 0x11328,
    0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339, 0x1133D, 0x1133D, 0x11350, 0x11350,
    0x1135D, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144A, 0x1145F, 0x11461, 0x11480, 0x114AF,
    0x114C4, 0x114C5, 0x114C7, 0x114C7, 0x11580, 0x115AE, 0x115D8, 0x115DB, 0x11600, 0x1162F,
    0x11644, 0x11644, 0x11680, 0x116AA, 0x116B8, 0x116B8, 0x11700, 0x1171A, 0x11740, 0x11746,
    0x11800, 0x1182B, 0x118A0, 0x118DF, 0x118FF, 0x11906, 0x11909, 0x11909, 0x1190C, 0x11913,
    0x11915, 0x11916, 0x11918, 0x1192F, 0x1193F, 0x1193F, 0x11941, 0x11941, 0x119A0, 0x119A7,
    0x119AA, 0x119D0, 0x119E1, 0x119E1, 0x119E3, 0x119E3, 0x11A00, 0x11A00, 0x11A0B, 0x11A32,
    0x11A3A, 0x11A3A, 0x11A50, 0x11A50, 0x11A5C, 0x11A89, 0x11A9D, 0x11A9D, 0x11AB0, 0x11AF8,
    0x11C00, 0x11C08, 0x11C0A, 0x11C2E, 0x11C40, 0x11C40, 0x11C72, 0x11C8F, 0x11D00, 0x11D06,
    0x11D08, 0x11D09, 0x11D0B, 0x11D30, 0x11D46, 0x11D46, 0x11D60, 0x11D65, 0x11D67, 0x11D68,
    0x11D6A, 0x11D89, 0x11D98, 0x11D98, 0x11EE0, 0x11EF2, 0x11F02, 0x11F02, 0x11F04, 0x11F10,
    0x11F12, 0x11F33, 0x11FB0, 0x11FB0, 0x12000, 0x12399, 0x12480, 0x12543, 0x12F90, 0x12FF0,
    0x13000, 0x1342F, 0x13441, 0x13446, 0x14400, 0x14646, 0x16800, 0x16A38, 0x16A40, 0x16A5E,
    0x16A70, 0x16ABE, 0x16AD0, 0x16AED, 0x16B00, 0x16B2F, 0x16B40, 0x16B43, 0x16B63, 0x16B77,
    0x16B7D, 0x16B8F, 0x16E40, 0x16E7F, 0x16F00, 0x16F4A, 0x16F50, 0x16F50, 0x16F93, 0x16F9F,
    0x16FE0, 0x16FE1, 0x16FE3, 0x16FE3, 0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08,
    0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B132, 0x1B132,
    0x1B150, 0x1B152, 0x1B155, 0x1B155, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1BC00, 0x1BC6A,
    0x1BC70, 0x1BC7C, 0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99, 0x1D400, 0x1D454, 0x1D456, 0x1D49C,
    0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2, 0x1D4A5, 0x1D4A6, 0x1D4A9, 0x1D4AC, 0x1D4AE, 0x1D4B9,
    0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3, 0x1D4C5, 0x1D505, 0x1D507, 0x1D50A, 0x1D50D, 0x1D514,
    0x1D516, 0x1D51C, 0x1D51E, 0x1D539, 0x1D53B, 0x1D53E, 0x1D540, 0x1D544, 0x1D546, 0x1D546,
    0x1D54A, 0x1D550, 0x1D552, 0x1D6A5, 0x1D6A8, 0x1D6C0, 0x1D6C2, 0x1D6DA, 0x1D6DC, 0x1D6FA,
    0x1D6FC, 0x1D714, 0x1D716, 0x1D734, 0x1D736, 0x1D74E, 0x1D750, 0x1D76E, 0x1D770, 0x1D788,
    0x1D78A, 0x1D7A8, 0x1D7AA, 0x1D7C2, 0x1D7C4, 0x1D7CB, 0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A,
    0x1E030, 0x1E06D, 0x1E100, 0x1E12C, 0x1E137, 0x1E13D, 0x1E14E, 0x1E14E, 0x1E290, 0x1E2AD,
    0x1E2C0, 0x1E2EB, 0x1E4D0, 0x1E4EB, 0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE,
    0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4, 0x1E900, 0x1E943, 0x1E94B, 0x1E94B, 0x1EE00, 0x1EE03,
    0x1EE05, 0x1EE1F, 0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32,
    0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39, 0x1EE3B, 0x1EE3B, 0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47,
    0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F, 0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54,
    0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D, 0x1EE5D, 0x1EE5F, 0x1EE5F,
    0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77,
    0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3,
    0x1EEA5, 0x1EEA9, 0x1EEAB, 0x1EEBB, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D,
    0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D, 0x30000, 0x3134A, 0x31350, 0x323AF,
];

/// Go's `unicode.Digit` (general category Nd), Unicode 15.0, as `start, end` pairs.
const DECIMAL_NUMBER: &[u32] = &[
    0x30, 0x39, 0x660, 0x669, 0x6F0, 0x6F9, 0x7C0, 0x7C9, 0x966, 0x96F, 0x9E6, 0x9EF, 0xA66, 0xA6F,
    0xAE6, 0xAEF, 0xB66, 0xB6F, 0xBE6, 0xBEF, 0xC66, 0xC6F, 0xCE6, 0xCEF, 0xD66, 0xD6F, 0xDE6,
    0xDEF, 0xE50, 0xE59, 0xED0, 0xED9, 0xF20, 0xF29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17E0,
    0x17E9, 0x1810, 0x1819, 0x1946, 0x194F, 0x19D0, 0x19D9, 0x1A80, 0x1A89, 0x1A90, 0x1A99, 0x1B50,
    0x1B59, 0x1BB0, 0x1BB9, 0x1C40, 0x1C49, 0x1C50, 0x1C59, 0xA620, 0xA629, 0xA8D0, 0xA8D9, 0xA900,
    0xA909, 0xA9D0, 0xA9D9, 0xA9F0, 0xA9F9, 0xAA50, 0xAA59, 0xABF0, 0xABF9, 0xFF10, 0xFF19,
    0x104A0, 0x104A9, 0x10D30, 0x10D39, 0x11066, 0x1106F, 0x110F0, 0x110F9, 0x11136, 0x1113F,
    0x111D0, 0x111D9, 0x112F0, 0x112F9, 0x11450, 0x11459, 0x114D0, 0x114D9, 0x11650, 0x11659,
    0x116C0, 0x116C9, 0x11730, 0x11739, 0x118E0, 0x118E9, 0x11950, 0x11959, 0x11C50, 0x11C59,
    0x11D50, 0x11D59, 0x11DA0, 0x11DA9, 0x11F50, 0x11F59, 0x16A60, 0x16A69, 0x16AC0, 0x16AC9,
    0x16B50, 0x16B59, 0x1D7CE, 0x1D7FF, 0x1E140, 0x1E149, 0x1E2F0, 0x1E2F9, 0x1E4F0, 0x1E4F9,
    0x1E950, 0x1E959, 0x1FBF0, 0x1FBF9,
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn lex() -> Lex {
        Lex::new('\\')
    }

    fn word(input: &str, env: &dyn Env) -> String {
        match lex().process_word(input, env) {
            Ok(out) => out,
            Err(err) => panic!("{input:?}: unexpected error {}", err.message),
        }
    }

    fn words(input: &str, env: &dyn Env) -> Vec<String> {
        match lex().process_words(input, env) {
            Ok(out) => out,
            Err(err) => panic!("{input:?}: unexpected error {}", err.message),
        }
    }

    fn error(input: &str, env: &dyn Env) -> String {
        match lex().process_word(input, env) {
            Ok(out) => panic!("{input:?}: expected an error, got {out:?}"),
            Err(err) => err.message,
        }
    }

    fn sv(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    const ENV: [(&str, &str); 5] = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
        ("FOO", "foo"),
    ];

    // --- plain text, quotes, escapes ---

    #[test]
    fn plain_words_pass_through() {
        assert_eq!(word("hello", &NoEnv), "hello");
        assert_eq!(word("", &NoEnv), "");
        assert_eq!(word("a b  c", &NoEnv), "a b  c");
    }

    #[test]
    fn single_quotes_are_literal() {
        assert_eq!(word("he'll'o", &NoEnv), "hello");
        assert_eq!(word("'$PWD'", &ENV), "$PWD");
        assert_eq!(word(r"'a\'", &NoEnv), r"a\");
        assert_eq!(word(r"'a\tb'", &NoEnv), r"a\tb");
        assert_eq!(word(r#"'a"b'"#, &NoEnv), r#"a"b"#);
    }

    #[test]
    fn double_quotes_expand_and_keep_other_escapes() {
        assert_eq!(word(r#""abc\tdef""#, &NoEnv), r"abc\tdef");
        assert_eq!(word(r#""abc\\tdef""#, &NoEnv), r"abc\tdef");
        assert_eq!(word(r#""a\"b""#, &NoEnv), r#"a"b"#);
        assert_eq!(word(r#""a\$PWD""#, &ENV), "a$PWD");
        assert_eq!(word(r#""$PWD/x""#, &ENV), "/home/x");
        assert_eq!(word(r#""hel'lo""#, &NoEnv), "hel'lo");
        assert_eq!(word(r#""a`b""#, &NoEnv), "a`b");
    }

    #[test]
    fn unquoted_escape_escapes_anything() {
        assert_eq!(word(r"abc\tdef", &NoEnv), "abctdef");
        assert_eq!(word(r"he\'llo", &NoEnv), "he'llo");
        assert_eq!(word(r"\$PWD", &ENV), "$PWD");
        assert_eq!(word(r"a\\b", &NoEnv), r"a\b");
        assert_eq!(word(r"a\ b", &NoEnv), "a b");
    }

    #[test]
    fn trailing_escape_is_dropped() {
        assert_eq!(word(r"hello\", &NoEnv), "hello");
        assert_eq!(word(r"hello\\", &NoEnv), r"hello\");
    }

    #[test]
    fn backtick_escape_token() {
        let lex = Lex::new('`');
        let pw = |w: &str| lex.process_word(w, &ENV).unwrap();
        assert_eq!(pw(r"C:\path\to"), r"C:\path\to");
        assert_eq!(pw("a`$PWD"), "a$PWD");
        assert_eq!(pw("a``b"), "a`b");
        assert_eq!(pw(r#""x`"y""#), r#"x"y"#);
        assert_eq!(pw(r#""x\y""#), r"x\y");
        assert_eq!(pw(r#""x`ty""#), "x`ty");
        assert_eq!(pw("end`"), "end");
    }

    #[test]
    fn unterminated_quotes() {
        assert_eq!(
            error("he'llo", &NoEnv),
            r#"failed to process "he'llo": unexpected end of statement while looking for matching single-quote"#
        );
        assert_eq!(
            error(r#""hello"#, &NoEnv),
            r#"failed to process "\"hello": unexpected end of statement while looking for matching double-quote"#
        );
        // The escaped quote does not close, and a trailing escape inside quotes is ignored.
        assert_eq!(
            error(r#""hello\""#, &NoEnv),
            r#"failed to process "\"hello\\\"": unexpected end of statement while looking for matching double-quote"#
        );
        assert_eq!(
            error(r#""hello\"#, &NoEnv),
            r#"failed to process "\"hello\\": unexpected end of statement while looking for matching double-quote"#
        );
        assert!(error(r"he\\'llo", &NoEnv).ends_with("matching single-quote"));
    }

    #[test]
    fn error_offsets_point_at_the_construct() {
        let err = lex().process_word("ab 'cd", &NoEnv).unwrap_err();
        assert_eq!(err.offset, 3);
        let err = lex().process_word("x=${a:?boom}", &NoEnv).unwrap_err();
        assert_eq!(err.offset, 2);
        let err = lex().process_word("é${", &NoEnv).unwrap_err();
        assert_eq!(err.offset, 2);
    }

    // --- $name ---

    #[test]
    fn simple_variables() {
        assert_eq!(word("$PWD", &ENV), "/home");
        assert_eq!(word("${PWD}", &ENV), "/home");
        assert_eq!(word("a$PWD/b", &ENV), "a/home/b");
        assert_eq!(word("$PWDx", &ENV), "");
        assert_eq!(word("${PWD}x", &ENV), "/homex");
        assert_eq!(word("$pwd", &ENV), "", "names are case-sensitive");
        assert_eq!(word("$NULL.", &ENV), ".");
        assert_eq!(word("$UNSET-x", &ENV), "-x");
    }

    #[test]
    fn dollar_without_a_name_is_literal() {
        assert_eq!(word("$", &NoEnv), "$");
        assert_eq!(word("a$.b", &NoEnv), "a$.b");
        assert_eq!(word("$ x", &NoEnv), "$ x");
        assert_eq!(word("$/", &NoEnv), "$/");
        assert_eq!(word(r#""$""#, &NoEnv), "$");
    }

    #[test]
    fn positional_and_special_parameters() {
        assert_eq!(word("$999aaa", &NoEnv), "aaa");
        assert_eq!(word("$1x", &NoEnv), "x");
        assert_eq!(word("${10}", &NoEnv), "");
        for special in ["$@", "$*", "$#", "$?", "$-", "$$", "$!", "$0"] {
            assert_eq!(word(&format!("{special}z"), &NoEnv), "z", "{special}");
        }
        // The digit rule comes first, so `$01` is the positional parameter `01`.
        assert_eq!(word("$01", &NoEnv), "");
        let env = [("1", "one"), ("@", "at")];
        assert_eq!(word("$1 ${@}", &env), "one at");
    }

    #[test]
    fn unicode_names() {
        assert_eq!(word("$KOREAN", &ENV), "한국어");
        assert_eq!(word("${KOREAN}!", &ENV), "한국어!");
        let env = [("변수", "v"), ("café", "c"), ("x٣", "d")];
        assert_eq!(word("$변수.", &env), "v.");
        assert_eq!(word("$café/", &env), "c/");
        // Arabic-Indic digits are digits (Nd), so they continue a name.
        assert_eq!(word("$x٣", &env), "d");
        // A combining mark (Mn) is not a letter: the name stops before it.
        assert_eq!(word("$cafe\u{301}", &[("cafe", "C")]), "C\u{301}");
        // A Devanagari vowel sign is Alphabetic but not a letter (L).
        assert_eq!(word("$कि", &[("क", "K")]), "K\u{093f}");
        // Roman numeral Ⅻ is Nl: neither letter nor decimal digit.
        assert_eq!(word("$aⅫ", &[("a", "A")]), "AⅫ");
    }

    // --- ${name…} forms ---

    #[test]
    fn default_values() {
        assert_eq!(word("${PWD:-xxx}", &ENV), "/home");
        assert_eq!(word("${PWD-xxx}", &ENV), "/home");
        assert_eq!(word("${NULL:-xxx}", &ENV), "xxx");
        assert_eq!(word("${NULL-xxx}", &ENV), "");
        assert_eq!(word("${UNSET:-xxx}", &ENV), "xxx");
        assert_eq!(word("${UNSET-xxx}", &ENV), "xxx");
        assert_eq!(word("${UNSET:-}", &ENV), "");
        assert_eq!(word("${UNSET:-a b}", &ENV), "a b");
    }

    #[test]
    fn alternative_values() {
        assert_eq!(word("${PWD:+xxx}", &ENV), "xxx");
        assert_eq!(word("${PWD+xxx}", &ENV), "xxx");
        assert_eq!(word("${NULL:+xxx}", &ENV), "");
        assert_eq!(word("${NULL+xxx}", &ENV), "xxx");
        assert_eq!(word("${UNSET:+xxx}", &ENV), "");
        assert_eq!(word("${UNSET+xxx}", &ENV), "");
    }

    #[test]
    fn required_values() {
        assert_eq!(word("${PWD:?oops}", &ENV), "/home");
        assert_eq!(word("${PWD?oops}", &ENV), "/home");
        assert_eq!(word("${NULL?oops}", &ENV), "");
        assert_eq!(
            error("${NULL:?}", &ENV),
            r#"failed to process "${NULL:?}": NULL: is not allowed to be empty"#
        );
        assert_eq!(
            error("${UNSET:?}", &ENV),
            r#"failed to process "${UNSET:?}": UNSET: is not allowed to be unset"#
        );
        assert_eq!(
            error("${UNSET?}", &ENV),
            r#"failed to process "${UNSET?}": UNSET: is not allowed to be unset"#
        );
        assert_eq!(
            error("${NULL:?must be set $SHELL}", &ENV),
            r#"failed to process "${NULL:?must be set $SHELL}": NULL: must be set bash"#
        );
        assert_eq!(
            error("${UNSET?message here$FOO}", &ENV),
            r#"failed to process "${UNSET?message here$FOO}": UNSET: message herefoo"#
        );
    }

    #[test]
    fn nested_words() {
        assert_eq!(word("${UNSET:-${PWD}/x}", &ENV), "/home/x");
        assert_eq!(word("${UNSET:-${ALSO:-$SHELL}}", &ENV), "bash");
        assert_eq!(word("${PWD:+[${SHELL:+$FOO}]}", &ENV), "[foo]");
        assert_eq!(word(r#"${UNSET:-"a}b"}"#, &ENV), "a}b");
        assert_eq!(word("${UNSET:-'$PWD'}", &ENV), "$PWD");
        assert_eq!(word(r"${UNSET:-a\}b}", &ENV), "a}b");
        let release = "pkg-${OS}-${ARCH}${VARIANT:+-${VARIANT}}.tgz";
        let env = [("OS", "linux"), ("ARCH", "arm"), ("VARIANT", "v7")];
        assert_eq!(word(release, &env), "pkg-linux-arm-v7.tgz");
        let env = [("OS", "linux"), ("ARCH", "arm64"), ("VARIANT", "")];
        assert_eq!(word(release, &env), "pkg-linux-arm64.tgz");
    }

    #[test]
    fn prefix_removal() {
        let env = [("F", "xxyy")];
        assert_eq!(word("${F#x}", &env), "xyy");
        assert_eq!(word("${F##x}", &env), "xyy");
        assert_eq!(word("${F#*x}", &env), "xyy");
        assert_eq!(word("${F##*x}", &env), "yy");
        assert_eq!(word("${F#*x*y}", &env), "y");
        assert_eq!(word("${F##*x*y}", &env), "");
        assert_eq!(word("${F#*}", &env), "xxyy");
        assert_eq!(word("${F##*}", &env), "");
        assert_eq!(word("${F#}", &env), "xxyy");
        assert_eq!(word("${F##}", &env), "xxyy");
        assert_eq!(word("${F#?}", &env), "xyy");
        assert_eq!(word("${F#nope}", &env), "xxyy");
        assert_eq!(word("${UNSET#x}", &env), "");
        let env = [("F", "xxyy"), ("P", "x")];
        assert_eq!(word("${F#$P}", &env), "xyy");
    }

    #[test]
    fn suffix_removal() {
        let env = [("F", "a.b.tar.gz")];
        assert_eq!(word("${F%.gz}", &env), "a.b.tar");
        assert_eq!(word("${F%.*}", &env), "a.b.tar");
        assert_eq!(word("${F%%.*}", &env), "a");
        assert_eq!(word("${F%}", &env), "a.b.tar.gz");
        assert_eq!(word("${F%%}", &env), "a.b.tar.gz");
        assert_eq!(word("${F%?}", &env), "a.b.tar.g");
        assert_eq!(word("${F%x}", &env), "a.b.tar.gz");
        let env = [("F", "xx**")];
        assert_eq!(word(r"${F%%\**}", &env), "xx");
        let env = [("F", "a***yy*")];
        assert_eq!(word(r"${F%%\**\*}", &env), "a");
        assert_eq!(word(r"${F%\**\*}", &env), "a**");
        let env = [("F", "xxyy"), ("ABC", "")];
        assert_eq!(word("${UNSET:-.}${F%x}${UNSET:-.}", &env), ".xxyy.");
    }

    #[test]
    fn pattern_escapes_and_special_characters() {
        let env = [("F", r"()[]{}^$.*?|\x")];
        assert_eq!(word(r"${F#()[]{\}^$.\*\?|\\}", &env), "x");
        let env = [("F", "???y")];
        assert_eq!(word(r"${F#?\?}", &env), "?y");
        // Quotes inside a pattern are removed before it is compiled, so they do not protect
        // wildcards; only `\*` does.
        let env = [("F", "*.txt")];
        assert_eq!(word("${F#'*'}", &env), "*.txt");
        assert_eq!(word(r"${F#\*}", &env), ".txt");
        assert_eq!(word("${F#'*.'}", &env), "txt");
        // `##` is detected on the expanded word.
        let env = [("F", "aab"), ("H", "#a")];
        assert_eq!(word("${F#$H}", &env), "ab");
        assert_eq!(word("${F#'#'a}", &env), "ab");
    }

    #[test]
    fn wildcards_do_not_match_newlines() {
        let env = [("F", "ab\ncd")];
        assert_eq!(word("${F#*c}", &env), "ab\ncd");
        assert_eq!(word("${F#??}", &env), "\ncd");
        assert_eq!(word("${F#???}", &env), "ab\ncd");
        assert_eq!(word("${F%%*}", &env), "ab\n");
        assert_eq!(word("${F##*}", &env), "\ncd");
        assert_eq!(word("${F//*/X}", &env), "X\nX");
    }

    #[test]
    fn replacement() {
        let env = [("F", "/tmp/tmp/bar.txt"), ("N", "/tmp")];
        assert_eq!(
            word("${F/$N/} - ${F//$N/}", &env),
            "/tmp/bar.txt - /bar.txt"
        );
        let env = [("F", "/foo*/*/*.txt"), ("N", r"\*/")];
        assert_eq!(
            word("${F/$N/.} - ${F//$N/.}", &env),
            "/foo.*/*.txt - /foo..*.txt"
        );
        let env = [("F", "/a/foo/b/c.txt"), ("N", "/?/"), ("R", "/")];
        assert_eq!(
            word("${F/$N/$R} - ${F//$N/$R}", &env),
            "/foo/b/c.txt - /foo/c.txt"
        );
        let env = [("F", "http://example.com")];
        assert_eq!(
            word("${F/http:\\/\\//https://}", &env),
            "https://example.com"
        );
        let env = [("F", "/tmp/foo.txt")];
        assert_eq!(word(r"${F//\//\/}", &env), r"\/tmp\/foo.txt");
        let env = [("F", "aaa")];
        assert_eq!(word("${F/a/b}", &env), "baa");
        assert_eq!(word("${F//a/b}", &env), "bbb");
        assert_eq!(word("${F//a*/b}", &env), "b");
        assert_eq!(word("${F/x/b}", &env), "aaa");
        assert_eq!(word("${UNSET/a/b}", &env), "");
    }

    #[test]
    fn replacement_with_empty_patterns() {
        let env = [("F", "xxyy"), ("E", "")];
        assert_eq!(word("${F/$E/ww}", &env), "wwxxyy");
        assert_eq!(word("${F///}", &env), "xxyy");
        assert_eq!(word("${F//$E/-}", &env), "-x-x-y-y-");
        assert_eq!(word("${UNSET///}", &env), "");
        let env = [("F", "héé")];
        assert_eq!(word("${F//$E/.}", &[("F", "héé"), ("E", "")]), ".h.é.é.");
        assert_eq!(word("${F//é*/.}", &env), "h.");
    }

    #[test]
    fn replace_all_template_follows_go_expand() {
        let env = [
            ("F", "abcb"),
            ("R", "[$0]"),
            ("S", "$$"),
            ("T", "${0}$1$x.$"),
        ];
        // Replace-all expands `$0` / `${0}` (the match) and `$$`; other names are empty.
        assert_eq!(word("${F//b/$R}", &env), "a[b]c[b]");
        assert_eq!(word("${F//b/$S}", &env), "a$c$");
        assert_eq!(word("${F//b/$T}", &env), "ab.$cb.$");
        assert_eq!(word(r"${F//b/\$0}", &env), r"a\bc\b");
        // A single replacement is literal.
        assert_eq!(word("${F/b/$R}", &env), "a[$0]cb");
        let env = [("F", "ab"), ("R", "${0"), ("U", "$00")];
        assert_eq!(word("${F//b/$R}", &env), "a${0");
        assert_eq!(word("${F//b/$U}", &env), "a");
    }

    // --- errors ---

    #[test]
    fn syntax_errors() {
        let cases = [
            ("${}", "syntax error: bad substitution"),
            ("${:}", "syntax error: bad substitution"),
            ("${:-x}", "syntax error: bad substitution"),
            ("${{a}}", "syntax error: bad substitution"),
            ("${", "syntax error: missing '}'"),
            ("a${", "syntax error: missing '}'"),
            ("${a:", "syntax error: missing '}'"),
            ("${a:-", "syntax error: missing '}'"),
            ("${a:-x", "syntax error: missing '}'"),
            ("${a-${b}", "syntax error: missing '}'"),
            ("${a:-'x}", "syntax error: missing '}'"),
            ("${a:}", "syntax error: missing '}'"),
            ("${a#x", "syntax error: missing '}'"),
            ("${a/x", "syntax error: missing '/' in ${}"),
            ("${a//}", "syntax error: missing '/' in ${}"),
            ("${a/x/y", "syntax error: missing '}'"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                error(input, &NoEnv),
                format!(
                    "failed to process {}: {expected}",
                    crate::go_quote::quote(input)
                ),
                "{input}"
            );
        }
    }

    #[test]
    fn unsupported_modifiers() {
        let cases = [
            ("${a=x}", "="),
            ("${a:=x}", ":="),
            ("${a:2}", ":2"),
            ("${a:2:3}", ":2"),
            ("${#a}", "a"),
            ("${a:#x}", ":#"),
            ("${a:%x}", ":%"),
            ("${a x}", " "),
            ("${a.b}", "."),
            ("${a:}x}", ":}"),
            // No closing brace after the name: Go prints the end-of-input rune as U+FFFD.
            ("${a", "\u{fffd}"),
        ];
        for (input, modifier) in cases {
            assert_eq!(
                error(input, &NoEnv),
                format!(
                    "failed to process {}: unsupported modifier ({modifier}) in substitution",
                    crate::go_quote::quote(input)
                ),
                "{input}"
            );
        }
    }

    #[test]
    fn invalid_patterns() {
        let env = [("F", "abc"), ("B", r"a\")];
        assert_eq!(
            error(r"${F#\a}", &env),
            r#"failed to process "${F#\\a}": invalid pattern (\a) in substitution: invalid escape '\a'"#
        );
        // `%` reports the reversed pattern, as BuildKit does.
        assert_eq!(
            error(r"${F%a\x}", &env),
            r#"failed to process "${F%a\\x}": invalid pattern (\xa) in substitution: invalid escape '\x'"#
        );
        assert_eq!(
            error("${F#$B}", &env),
            "failed to process \"${F#$B}\": invalid pattern (a\\) in substitution: invalid escape '\\\u{fffd}'"
        );
        assert_eq!(
            error("${F%$B}", &env),
            r#"failed to process "${F%$B}": invalid pattern (\a) in substitution: invalid escape '\a'"#
        );
        assert_eq!(
            error(r"${F/\q/x}", &env),
            r#"failed to process "${F/\\q/x}": invalid pattern (\q) in substitution: invalid escape '\q'"#
        );
        // The pattern is compiled even when the value is empty.
        assert!(error(r"${UNSET#\a}", &env).contains("invalid escape"));
    }

    #[test]
    fn errors_inside_nested_words_propagate() {
        assert_eq!(
            error("${a:-${b:?oops}}", &NoEnv),
            r#"failed to process "${a:-${b:?oops}}": b: oops"#
        );
        // ... unless the input ends right there, which BuildKit reports as a missing brace.
        assert_eq!(
            error("${a:-${b:?oops}", &NoEnv),
            r#"failed to process "${a:-${b:?oops}": syntax error: missing '}'"#
        );
        assert_eq!(
            error(r#"x"${a:-'}"#, &NoEnv),
            r#"failed to process "x\"${a:-'}": syntax error: missing '}'"#
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = 5000;
        let input = format!("{}x{}", "${a:-".repeat(depth), "}".repeat(depth));
        let err = lex().process_word(&input, &NoEnv).unwrap_err();
        assert!(err.message.ends_with(": expansion nested too deeply"));
        assert!(err.message.starts_with("failed to process \"${a:-${a:-"));
        let unterminated = "${a:-".repeat(depth);
        let err = lex().process_word(&unterminated, &NoEnv).unwrap_err();
        assert!(err.message.ends_with(": expansion nested too deeply"));
        let input = format!(
            "{}x{}",
            "${a:-".repeat(MAX_NESTING),
            "}".repeat(MAX_NESTING)
        );
        assert_eq!(word(&input, &NoEnv), "x");
        let input = format!(
            "{}x{}",
            "${a:-".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert!(lex().process_word(&input, &NoEnv).is_err());
        let input = format!("{}x{}", "${a/".repeat(depth), "/}".repeat(depth));
        assert!(lex().process_word(&input, &NoEnv).is_err());
    }

    #[test]
    fn maximum_nesting_fits_a_small_stack() {
        // Every level goes through a double quote too, the deepest call chain there is; it fits
        // the 1 MiB stack wasm gets by default even in a debug build.
        let open = "${a:-\"".repeat(MAX_NESTING);
        let close = "\"}".repeat(MAX_NESTING);
        let input = format!("{open}x{close}");
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || Lex::new('\\').process_word(&input, &NoEnv))
            .unwrap();
        assert_eq!(handle.join().unwrap().unwrap(), "x");
    }

    #[test]
    fn error_quotes_the_word_like_go() {
        assert_eq!(
            error("${a\tb}", &NoEnv),
            "failed to process \"${a\\tb}\": unsupported modifier (\t) in substitution"
        );
        assert_eq!(
            error("é${}", &NoEnv),
            r#"failed to process "é${}": syntax error: bad substitution"#
        );
    }

    // --- word splitting ---

    #[test]
    fn words_split_after_expansion() {
        let env = [
            ("hi", "hi"),
            ("space", "abc  def"),
            ("leading", "  ab c"),
            ("trailing", "ab c   "),
        ];
        let cases: [(&str, &[&str]); 18] = [
            ("hello", &["hello"]),
            ("hello${hi}bye", &["hellohibye"]),
            ("hello${UNSET}bye", &["hellobye"]),
            ("hello${space}bye", &["helloabc", "defbye"]),
            (r#"hello"${space}"bye"#, &["helloabc  defbye"]),
            (r#"hello "${space}"bye"#, &["hello", "abc  defbye"]),
            ("hello${leading}def", &["hello", "ab", "cdef"]),
            (r#"hello"${leading}" def"#, &["hello  ab c", "def"]),
            ("hello${leading}", &["hello", "ab", "c"]),
            ("hello${trailing}", &["helloab", "c"]),
            ("hello${trailing}d", &["helloab", "c", "d"]),
            (r#"hello"${trailing}"d"#, &["helloab c   d"]),
            (r#"hel"lo${trailing}""#, &["helloab c   "]),
            (r#"hello" there  ""#, &["hello there  "]),
            ("hello there     ", &["hello", "there"]),
            (r"hello\ there", &["hello there"]),
            (r#"hello\" there"#, &["hello\"", "there"]),
            ("hello'$there'", &["hello$there"]),
        ];
        for (input, expected) in cases {
            assert_eq!(words(input, &env), sv(expected), "{input}");
        }
        assert!(lex().process_words(r#"hello" there"#, &env).is_err());
    }

    #[test]
    fn words_drop_empty_quoted_strings_and_blank_input() {
        assert_eq!(words(r#"a "" b"#, &NoEnv), sv(&["a", "b"]));
        assert_eq!(words("''", &NoEnv), Vec::<String>::new());
        assert_eq!(words("   ", &NoEnv), Vec::<String>::new());
        assert_eq!(words("", &NoEnv), Vec::<String>::new());
        assert_eq!(words("\ta\u{a0}b\u{3000}c\n", &NoEnv), sv(&["a", "b", "c"]));
        let raw = Lex {
            raw_quotes: true,
            ..lex()
        };
        assert_eq!(
            raw.process_words(r#"a "" b"#, &NoEnv).unwrap(),
            sv(&["a", "\"\"", "b"])
        );
    }

    #[test]
    fn words_share_buildkits_buffer_across_nested_expansions() {
        // BuildKit resets one shared buffer whenever it reads a nested `${…}` word, which
        // drops what the current word held so far. ProcessWord is unaffected.
        let env = [("X", "mid")];
        assert_eq!(words("abc${X:-d}ghi", &env), sv(&["midghi"]));
        assert_eq!(words("a b${X:+x y}z c", &env), sv(&["a", "x", "yz", "c"]));
        assert_eq!(words(r#"abc"${UNSET:-d}""#, &env), sv(&["d"]));
        assert_eq!(words("abc${X}ghi", &env), sv(&["abcmidghi"]));
        assert_eq!(word("abc${X:-d}ghi", &env), "abcmidghi");
    }

    // --- options ---

    #[test]
    fn raw_quotes_keeps_quotes() {
        let lex = Lex {
            raw_quotes: true,
            ..lex()
        };
        assert_eq!(
            lex.process_word(r#"a'b'"c$FOO""#, &ENV).unwrap(),
            r#"a'b'"cfoo""#
        );
        assert_eq!(lex.process_word(r"'x\'", &ENV).unwrap(), r"'x\'");
    }

    #[test]
    fn raw_escapes_keeps_escape_tokens() {
        let lex = Lex {
            raw_escapes: true,
            ..lex()
        };
        assert_eq!(lex.process_word(r"a\ b\$FOO", &ENV).unwrap(), r"a\ b\$FOO");
        assert_eq!(lex.process_word(r"end\", &ENV).unwrap(), r"end\");
        // In double quotes BuildKit writes the escape token, then the escaped character, or
        // the escape token a second time when it escapes nothing.
        assert_eq!(
            lex.process_word(r#""a\"b\$c""#, &ENV).unwrap(),
            r#"a\"b\$c"#
        );
        assert_eq!(lex.process_word(r#""a\tb""#, &ENV).unwrap(), r"a\\tb");
    }

    #[test]
    fn skip_unset_env_keeps_references() {
        let lex = Lex {
            skip_unset_env: true,
            ..lex()
        };
        let pw = |w: &str| lex.process_word(w, &ENV).unwrap();
        assert_eq!(pw("$FOO $UNSET ${UNSET} $1"), "foo $UNSET ${UNSET} $1");
        assert_eq!(pw("${UNSET:-a b}"), "${UNSET:-a b}");
        assert_eq!(pw("${UNSET-$FOO}"), "${UNSET-foo}");
        assert_eq!(pw("${UNSET##*x}"), "${UNSET##*x}");
        assert_eq!(pw("${UNSET:?boom}"), "${UNSET:?boom}");
        assert_eq!(pw("${UNSET:=x}"), "${UNSET:=x}");
        // BuildKit rebuilds `//` as `/`.
        assert_eq!(pw("${UNSET//a/b}"), "${UNSET/a/b}");
        assert_eq!(pw(r"${UNSET/\q/b}"), r"${UNSET/\q/b}");
        assert_eq!(pw("${NULL:-x}"), "x");
        assert!(lex.process_word("${UNSET:#x}", &ENV).is_err());
        assert_eq!(lex.process_words("<<$EOF", &ENV).unwrap(), sv(&["<<$EOF"]));
    }

    #[test]
    fn skip_process_quotes_treats_quotes_as_text() {
        let lex = Lex {
            skip_process_quotes: true,
            ..lex()
        };
        assert_eq!(
            lex.process_word(r#"'$FOO' "$FOO""#, &ENV).unwrap(),
            r#"'foo' "foo""#
        );
        assert_eq!(lex.process_word("it's", &ENV).unwrap(), "it's");
        assert_eq!(lex.process_words("'a b'", &ENV).unwrap(), sv(&["'a", "b'"]));
    }

    #[test]
    fn heredoc_detection_options() {
        let lex = Lex {
            raw_quotes: true,
            raw_escapes: true,
            skip_unset_env: true,
            ..lex()
        };
        assert_eq!(
            lex.process_words(r#"cat <<"EOF" > $OUT 'x y'"#, &NoEnv)
                .unwrap(),
            sv(&["cat", r#"<<"EOF""#, ">", "$OUT", "'x y'"])
        );
        assert_eq!(lex.process_words(r"a\ b", &NoEnv).unwrap(), sv(&[r"a\ b"]));
    }

    // --- matches ---

    #[test]
    fn matches_report_found_and_missing_names() {
        let env = [("FOO", "xxx"), ("BAR", "")];
        let out = lex()
            .process_word_with_matches("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", &env)
            .unwrap();
        assert_eq!(out.result, "xxx  ccc");
        assert_eq!(out.matched, set(&["BAR", "FOO"]));
        assert_eq!(out.unmatched, set(&["BAZ"]));
        let out = lex().process_word_with_matches("x", &env).unwrap();
        assert_eq!(
            out,
            Expansion {
                result: "x".to_owned(),
                ..Expansion::default()
            }
        );
        let out = lex()
            .process_word_with_matches("$FOO ${FOO#$NEEDLE} '$QUOTED' ${1}", &env)
            .unwrap();
        assert_eq!(out.matched, set(&["FOO"]));
        assert_eq!(out.unmatched, set(&["1", "NEEDLE"]));
    }

    // --- environments ---

    #[test]
    fn environments() {
        let list = vec![
            ("A".to_owned(), "1".to_owned()),
            ("A".to_owned(), "2".to_owned()),
        ];
        assert_eq!(word("$A", &list), "2");
        assert_eq!(word("$A", &list.as_slice()), "2");
        let tree: BTreeMap<String, String> = [("A".to_owned(), "t".to_owned())].into();
        assert_eq!(word("$A", &tree), "t");
        let hash: HashMap<String, String> = [("A".to_owned(), "h".to_owned())].into();
        assert_eq!(word("$A", &hash), "h");
        assert_eq!(word("$A", &[("A", "x"), ("A", "y")]), "y");
        assert_eq!(word("[$A]", &NoEnv), "[]");
    }

    #[test]
    fn leading_byte_order_mark_is_skipped() {
        assert_eq!(word("\u{feff}a$FOO", &ENV), "afoo");
        assert_eq!(word("a\u{feff}", &ENV), "a\u{feff}");
        let env = [("F", "\u{feff}x")];
        assert_eq!(word("${F#\u{feff}}", &env), "\u{feff}x");
    }

    // --- glob engine ---

    #[test]
    fn reverse_pattern_keeps_escape_pairs() {
        assert_eq!(reverse_pattern(r"a\*c"), r"c\*a");
        assert_eq!(reverse_pattern(r"\\\ab"), r"b\a\\");
        assert_eq!(reverse_pattern(r"ab\"), r"\ba");
        assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
        assert_eq!(reverse_pattern(r"\\b"), r"b\\");
        assert_eq!(reverse_pattern(""), "");
        assert_eq!(reverse_pattern(r"\"), r"\");
    }

    #[test]
    fn star_heavy_patterns_are_fast() {
        // Naive backtracking would need exponential time for these.
        let value = "a".repeat(4_000);
        let pattern = format!("{}b", "*a".repeat(300));
        let env = [("F", value.as_str()), ("P", pattern.as_str())];
        assert_eq!(word("${F#$P}", &env), value);
        assert_eq!(word("${F%%$P}", &env), value);
        assert_eq!(word("${F//$P/x}", &env), value);
        let pattern = "*?".repeat(300);
        let env = [("F", value.as_str()), ("P", pattern.as_str())];
        assert_eq!(word("${F##$P}", &env), "");
        assert_eq!(word("${F//$P/x}", &env), "x");
    }

    /// Go's backtracking priorities for `^` + pattern from `start`: greedy stars try the
    /// longest run first, lazy ones the shortest; the first success wins.
    fn reference_match(toks: &[Tok], value: &[char], at: usize, greedy: bool) -> Option<usize> {
        let Some((tok, rest)) = toks.split_first() else {
            return Some(at);
        };
        match tok {
            Tok::Lit(c) => (value.get(at) == Some(c))
                .then(|| reference_match(rest, value, at + 1, greedy))
                .flatten(),
            Tok::Any => (value.get(at).is_some_and(|&c| c != '\n'))
                .then(|| reference_match(rest, value, at + 1, greedy))
                .flatten(),
            Tok::Star => {
                let run = value
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&c| c != '\n')
                    .count();
                let mut lengths: Vec<usize> = (0..=run).collect();
                if greedy {
                    lengths.reverse();
                }
                lengths
                    .into_iter()
                    .find_map(|len| reference_match(rest, value, at + len, greedy))
            }
        }
    }

    fn byte_offset(chars: &[char], count: usize) -> usize {
        chars.iter().take(count).map(|c| c.len_utf8()).sum()
    }

    #[test]
    fn glob_engine_agrees_with_backtracking_priorities() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        let value_chars = ['a', 'b', 'é', '\n'];
        let pattern_chars = ["a", "b", "é", "?", "*", "\\*"];
        for _ in 0..4000 {
            let value: String = (0..next(9))
                .map(|_| value_chars[next(4) as usize])
                .collect();
            let pattern: String = (0..next(6))
                .map(|_| pattern_chars[next(6) as usize])
                .collect();
            let glob = Glob::compile(&pattern).unwrap();
            // The reference sees the uncollapsed pattern.
            let toks: Vec<Tok> = {
                let mut toks = Vec::new();
                let mut chars = pattern.chars();
                while let Some(c) = chars.next() {
                    toks.push(match c {
                        '*' => Tok::Star,
                        '?' => Tok::Any,
                        '\\' => Tok::Lit(chars.next().unwrap()),
                        c => Tok::Lit(c),
                    });
                }
                toks
            };
            let chars: Vec<char> = value.chars().collect();
            for greedy in [false, true] {
                let expected =
                    reference_match(&toks, &chars, 0, greedy).map(|n| byte_offset(&chars, n));
                assert_eq!(
                    glob.match_prefix(&value, greedy),
                    expected,
                    "prefix {pattern:?} on {value:?} greedy={greedy}"
                );
            }
            for from in 0..=chars.len() {
                let expected = (from..=chars.len()).find_map(|start| {
                    reference_match(&toks, &chars, start, true)
                        .map(|end| (byte_offset(&chars, start), byte_offset(&chars, end)))
                });
                assert_eq!(
                    glob.find(&value, byte_offset(&chars, from)),
                    expected,
                    "find {pattern:?} in {value:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn letter_and_digit_tables() {
        assert!(is_letter('a') && is_letter('Z') && is_letter('ß') && is_letter('한'));
        assert!(is_letter('\u{323af}'), "CJK extension H is in Unicode 15.0");
        assert!(!is_letter('_') && !is_letter('1') && !is_letter('\u{301}'));
        assert!(!is_letter('Ⅻ') && !is_letter('\u{93f}') && is_letter('ª'));
        assert!(is_digit('7') && is_digit('٣') && is_digit('\u{11f50}'));
        assert!(!is_digit('²') && !is_digit('Ⅻ') && !is_digit('a'));
    }
}
