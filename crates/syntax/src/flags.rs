//! Builder flags (`--from=build`, `--link`) at the start of an instruction's arguments,
//! extracted as BuildKit's `extractBuilderFlags` does for every instruction.

use std::ops::Range;

/// A flag word as BuildKit stores it, with the byte range of its source text in the line.
pub(crate) struct RawFlag {
    pub text: String,
    pub range: Range<usize>,
}

/// Splits `line` into its leading flags and the offset where the remaining arguments start.
///
/// BuildKit scans bytes, not characters: each byte of a multi-byte character is appended to a
/// flag as the Latin-1 character of the same value (Go's `string(rune(b))`), and the bytes
/// 0x85 and 0xA0 count as white space. We reproduce both, so flags print exactly as BuildKit's
/// `Dump` prints them.
pub(crate) fn extract_flags(line: &str, escape: char) -> (Vec<RawFlag>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let bytes = line.as_bytes();
    // Escape tokens are ASCII; anything else never matches a byte.
    let escape = u8::try_from(escape).unwrap_or(b'\\');
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= bytes.len() {
        let at_end = pos == bytes.len();
        let byte = bytes.get(pos).copied().unwrap_or(0);
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_go_space_byte(byte) {
                pos += 1;
                continue;
            }
            if byte != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (flags, next_boundary(line, pos));
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(RawFlag {
                    text: word,
                    range: word_start..pos,
                });
            }
            return (flags, bytes.len());
        }
        match phase {
            Phase::Word => {
                if is_go_space_byte(byte) {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (flags, next_boundary(line, pos));
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(RawFlag {
                            text: std::mem::take(&mut word),
                            range: word_start..next_boundary(line, pos),
                        });
                    }
                    word.clear();
                    blank_ok = false;
                } else if byte == b'\'' || byte == b'"' {
                    phase = Phase::Quote(byte);
                    blank_ok = true;
                } else if byte == escape {
                    // A trailing escape is dropped; otherwise it makes the next byte literal.
                    if pos + 1 < bytes.len() {
                        pos += 1;
                        word.push(char::from(bytes[pos]));
                    }
                } else {
                    word.push(char::from(byte));
                }
            }
            Phase::Quote(quote) => {
                if byte == quote {
                    phase = Phase::Word;
                } else if byte == escape {
                    if pos + 1 < bytes.len() {
                        pos += 1;
                        word.push(char::from(bytes[pos]));
                    } else {
                        phase = Phase::Word;
                    }
                } else {
                    word.push(char::from(byte));
                }
            }
            Phase::Spaces => {}
        }
        pos += 1;
    }
    (flags, bytes.len())
}

/// Go's `unicode.IsSpace(rune(b))` for a single byte.
fn is_go_space_byte(byte: u8) -> bool {
    matches!(
        byte,
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0
    )
}

/// BuildKit may cut a line inside a multi-byte character (after a 0x85/0xA0 byte); a Rust
/// string cannot start there, so the arguments start at the next character instead.
fn next_boundary(line: &str, mut pos: usize) -> usize {
    while !line.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (Vec<String>, &str) {
        let (flags, rest) = extract_flags(line, '\\');
        (flags.into_iter().map(|f| f.text).collect(), &line[rest..])
    }

    #[test]
    fn extracts_leading_flags() {
        assert_eq!(
            split("--from=build --chown=1:1 src dst"),
            (vec!["--from=build".into(), "--chown=1:1".into()], "src dst")
        );
        assert_eq!(split("--link"), (vec!["--link".into()], ""));
        assert_eq!(split("src --from=x"), (vec![], "src --from=x"));
        assert_eq!(split("-x a"), (vec![], "-x a"));
    }

    #[test]
    fn double_dash_ends_flags() {
        assert_eq!(split("--a -- --b c"), (vec!["--a".into()], " --b c"));
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        assert_eq!(
            split(r#"--mount="type=cache,target=/x" --x=a\ b c"#),
            (
                vec!["--mount=type=cache,target=/x".into(), "--x=a b".into()],
                "c"
            )
        );
        assert_eq!(split("--x='' y"), (vec!["--x=".into()], "y"));
        assert_eq!(
            split(r#"--x="unterminated"#),
            (vec!["--x=unterminated".into()], "")
        );
    }

    #[test]
    fn bytes_become_latin1_like_go() {
        assert_eq!(split("--x=é y"), (vec!["--x=Ã©".into()], "y"));
    }
}

#[cfg(test)]
mod boundary_tests {
    use super::*;

    #[test]
    fn flag_ranges_end_on_character_boundaries() {
        // 0xA0 inside `\u{a0}` ends the flag word for BuildKit; the range must still end on a
        // character boundary (found by fuzzing).
        let line = "--\u{a0}p";
        let (flags, rest) = extract_flags(line, '\\');
        assert_eq!(flags[0].text, "--\u{c2}");
        assert!(line.is_char_boundary(flags[0].range.end));
        assert!(line.is_char_boundary(rest));
    }
}
