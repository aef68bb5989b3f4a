//! The exec-form argument list: a JSON array of strings, accepted exactly as Go's
//! `encoding/json`'s `Decoder.Decode` accepts it into `[]interface{}` (BuildKit's `parseJSON`):
//! the first JSON value is decoded and anything after it is ignored (`["a"] b` is exec form).

use std::ops::Range;

/// What `parseJSON` makes of an argument string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonArgs {
    /// A valid array of strings: each decoded value with the byte range of its literal.
    Strings(Vec<(String, Range<usize>)>),
    /// Valid JSON, but an element is not a string: BuildKit's hard error.
    NotStrings,
    /// Not a JSON array: BuildKit falls back to the shell form.
    Invalid,
}

/// Go's decoder refuses nesting deeper than this.
const MAX_DEPTH: usize = 10_000;

pub(crate) fn parse_json_args(text: &str) -> JsonArgs {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    parser.skip_whitespace();
    parser.array().unwrap_or(JsonArgs::Invalid)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    fn array(&mut self) -> Option<JsonArgs> {
        self.eat(b'[')?;
        let mut strings = Vec::new();
        let mut all_strings = true;
        self.skip_whitespace();
        if self.eat(b']').is_none() {
            loop {
                self.skip_whitespace();
                if self.peek() == Some(b'"') {
                    let start = self.pos;
                    let value = self.string()?;
                    strings.push((value, start..self.pos));
                } else {
                    all_strings = false;
                    self.value()?;
                }
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        // Go's `json.Decoder.Decode` stops after the first value: trailing text is ignored.
        Some(if all_strings {
            JsonArgs::Strings(strings)
        } else {
            JsonArgs::NotStrings
        })
    }

    /// Validates one non-string element without recursion (nesting depth is attacker-chosen).
    fn value(&mut self) -> Option<()> {
        // Containers still open: true for an object (expects `"key":` before each value).
        let mut open: Vec<bool> = Vec::new();
        loop {
            // Expect a value.
            self.skip_whitespace();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' | b'{' => {
                    let is_object = self.peek() == Some(b'{');
                    self.pos += 1;
                    // The outer array is depth 1.
                    if open.len() + 2 > MAX_DEPTH {
                        return None;
                    }
                    open.push(is_object);
                    self.skip_whitespace();
                    let close = if is_object { b'}' } else { b']' };
                    if self.eat(close).is_some() {
                        open.pop();
                    } else {
                        if is_object {
                            self.object_key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&is_object) = open.last() else {
                    return Some(());
                };
                self.skip_whitespace();
                let close = if is_object { b'}' } else { b']' };
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if is_object {
                            self.skip_whitespace();
                            self.object_key()?;
                        }
                        break;
                    }
                    b if b == close => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    fn object_key(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.skip_whitespace();
        self.eat(b':')
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        if self.text.get(self.pos..)?.starts_with(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        if self.eat(b'0').is_none() && self.digits() == 0 {
            return None;
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A string literal, decoded as Go does (lone surrogates become U+FFFD).
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            let c = rest.chars().next()?;
            match c {
                '"' => {
                    self.pos += 1;
                    return Some(out);
                }
                '\\' => {
                    self.pos += 1;
                    let escape = self.peek()?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            out.push(self.surrogate_pair(unit));
                        }
                        _ => return None,
                    }
                }
                c if (c as u32) < 0x20 => return None,
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn surrogate_pair(&mut self, unit: u32) -> char {
        if (0xD800..0xDC00).contains(&unit) && self.text[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Some(low) = self.hex4().filter(|low| (0xDC00..0xE000).contains(low)) {
                let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(combined).unwrap_or('\u{fffd}');
            }
            self.pos = save;
        }
        char::from_u32(unit).unwrap_or('\u{fffd}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        match parse_json_args(text) {
            JsonArgs::Strings(items) => items.into_iter().map(|(s, _)| s).collect(),
            other => vec![format!("{other:?}")],
        }
    }

    #[test]
    fn accepts_string_arrays() {
        assert_eq!(strings(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(strings(" [ ] "), Vec::<String>::new());
        assert_eq!(strings(r#"["\u0041\/\n\ud83d\ude00"]"#), ["A/\n😀"]);
        assert_eq!(strings(r#"["\ud800x"]"#), ["\u{fffd}x"]);
        assert_eq!(strings(r#"["a"] trailing text"#), ["a"]);
        assert_eq!(strings(r#"["a"]]"#), ["a"]);
    }

    #[test]
    fn non_strings_are_a_hard_error() {
        for text in [
            "[1]",
            r#"["a", 1.5e3]"#,
            "[true]",
            "[null]",
            r#"[["a"]]"#,
            r#"[{"a": [1, {}]}]"#,
        ] {
            assert_eq!(parse_json_args(text), JsonArgs::NotStrings, "{text}");
        }
    }

    #[test]
    fn anything_else_falls_back() {
        for text in [
            "['a']",
            r#"["a""#,
            r#"["a",]"#,
            "[01]",
            "[1.]",
            "[\"a\tb\"]",
            r#"["\x"]"#,
            r#"[{"a"}]"#,
            "echo [",
            "[-]",
        ] {
            assert_eq!(parse_json_args(text), JsonArgs::Invalid, "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("[{}{}]", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse_json_args(&deep), JsonArgs::Invalid);
        let ok = format!("[{}{}]", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_json_args(&ok), JsonArgs::NotStrings);
    }
}
