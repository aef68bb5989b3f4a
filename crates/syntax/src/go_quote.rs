//! Go's string formatting as BuildKit's `Node.Dump` uses it: `strconv.Quote`, `%q` on a string
//! slice, `strings.ToLower` and `strings.TrimSpace`.

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// Go's `fmt.Sprintf("%q", []string{...})`: `["a" "b"]`.
pub fn quote_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `strings.ToLower`: rune by rune, without context-sensitive special casing.
pub fn to_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            // Rust lower-cases U+0130 to "i\u{307}"; Go's unicode.ToLower maps it to 'i'.
            '\u{130}' => 'i',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if is_print(c) => out.push(c),
        c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and U+0020.
///
/// Separators, controls, format characters and private-use code points are not printable.
/// Unassigned code points are treated as printable apart from the non-characters: Go's answer
/// for them depends on its Unicode tables and no Dockerfile relies on it.
fn is_print(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return (0x20..0x7f).contains(&cp);
    }
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    !(is_format(cp) || is_private_use(cp) || is_noncharacter(cp))
}

fn is_format(cp: u32) -> bool {
    matches!(cp,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

fn is_private_use(cp: u32) -> bool {
    matches!(cp, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

fn is_noncharacter(cp: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE
}

/// Go's `strings.TrimSpace` (Unicode white space, same set as Rust's `char::is_whitespace`).
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\t\n\r\u{7}\u{8}\u{b}\u{c}"), r#""\t\n\r\a\b\v\f""#);
        assert_eq!(quote("\u{1}\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(quote("é ü 日本 😀"), "\"é ü 日本 😀\"");
        assert_eq!(quote("\u{a0}\u{85}\u{200b}"), r#""\u00a0\u0085\u200b""#);
        assert_eq!(quote("\u{e0001}"), r#""\U000e0001""#);
        assert_eq!(quote(""), r#""""#);
    }

    #[test]
    fn lists_like_go_percent_q() {
        assert_eq!(
            quote_list(["--from=build", "--chown=1"]),
            r#"["--from=build" "--chown=1"]"#
        );
    }

    #[test]
    fn lowercases_like_go() {
        assert_eq!(to_lower("RUN"), "run");
        assert_eq!(to_lower("WORKDİR"), "workdir");
        assert_eq!(to_lower("\u{212A}"), "k");
        assert_eq!(to_lower("ΣΣ"), "σσ");
    }
}
