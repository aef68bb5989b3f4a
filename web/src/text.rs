//! Positions in the editor's text. The parser reports 1-based lines and UTF-16 columns; a
//! `<textarea>` selects by UTF-16 code unit offsets from the start.

/// A range of UTF-16 code units, as `setSelectionRange` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Range {
    pub start: u32,
    pub end: u32,
}

/// Number of lines as an editor shows them: a trailing newline opens one more (empty) line.
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// The UTF-16 offset of a 1-based line and UTF-16 column. Lines and columns past the end
/// clamp to the end of the text and of the line (line endings are never inside a column).
pub fn utf16_offset(text: &str, line: u32, utf16_column: u32) -> u32 {
    let mut offset = 0u32;
    let wanted = line.max(1) as usize - 1;
    for (index, line_text) in text.split('\n').enumerate() {
        let content = line_text.strip_suffix('\r').unwrap_or(line_text);
        let width = utf16_len(content);
        if index == wanted {
            return offset + (utf16_column.max(1) - 1).min(width);
        }
        offset += utf16_len(line_text) + 1;
    }
    utf16_len(text)
}

/// From the start of line `first` to the end of line `last` (1-based, line ending excluded).
pub fn line_range(text: &str, first: u32, last: u32) -> Utf16Range {
    Utf16Range {
        start: utf16_offset(text, first, 1),
        end: utf16_offset(text, last.max(first), u32::MAX),
    }
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The gutter's content: `1\n2\n…\nN`, one number per line.
pub fn gutter(lines: usize) -> String {
    let mut out = String::with_capacity(lines * 5);
    for n in 1..=lines {
        if n > 1 {
            out.push('\n');
        }
        out.push_str(&n.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("FROM a"), 1);
        assert_eq!(line_count("FROM a\n"), 2);
        assert_eq!(line_count("a\r\nb"), 2);
    }

    #[test]
    fn offsets_count_utf16_units() {
        // "é" is one unit, "😀" two; the JS string "FROM é😀\nRUN x" has "RUN" at 9.
        let text = "FROM é😀\nRUN x";
        assert_eq!(utf16_offset(text, 1, 1), 0);
        assert_eq!(utf16_offset(text, 1, 9), 8, "the end of line 1");
        assert_eq!(utf16_offset(text, 2, 1), 9);
        assert_eq!(utf16_offset(text, 2, 5), 13);
    }

    #[test]
    fn offsets_clamp_to_line_and_text_ends() {
        let text = "ab\r\ncd\n";
        assert_eq!(utf16_offset(text, 1, 99), 2, "stops before \\r\\n");
        assert_eq!(utf16_offset(text, 2, 1), 4);
        assert_eq!(utf16_offset(text, 3, 1), 7, "the empty last line");
        assert_eq!(utf16_offset(text, 9, 1), 7, "past the end");
        assert_eq!(utf16_offset(text, 0, 0), 0, "0 is read as 1");
    }

    #[test]
    fn line_ranges_cover_whole_lines() {
        let text = "FROM a\nRUN b \\\n  c\nCOPY d e\n";
        assert_eq!(line_range(text, 2, 3), Utf16Range { start: 7, end: 18 });
        assert_eq!(line_range(text, 4, 4), Utf16Range { start: 19, end: 27 });
        assert_eq!(line_range(text, 2, 1), line_range(text, 2, 2));
    }

    #[test]
    fn gutter_numbers_every_line() {
        assert_eq!(gutter(1), "1");
        assert_eq!(gutter(3), "1\n2\n3");
    }
}
