//! Byte offsets to line/column, computed on demand at the edges (CLI, wasm, editors).

use serde::Serialize;

/// A 1-based line and column. `column` counts Unicode scalar values; `utf16_column` counts
/// UTF-16 code units, as JavaScript editors do (both 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
    pub utf16_column: usize,
}

/// Start offsets of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        // `match_indices` of a char searches with memchr, several times faster than a byte loop.
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped
    /// to the nearest character boundary before them.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let prefix = &self.text[self.line_starts[line]..offset];
        LineCol {
            line: line + 1,
            column: prefix.chars().count() + 1,
            utf16_column: prefix.encode_utf16().count() + 1,
        }
    }

    /// The offset of a UTF-16 position (0-based line and code unit), for editors that speak
    /// UTF-16. Positions past the end of a line clamp to its end.
    pub fn offset_of_utf16(&self, line: usize, utf16_column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= utf16_column || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_utf16_units() {
        let text = "a\né😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        assert_eq!(
            index.line_col(x),
            LineCol {
                line: 2,
                column: 3,
                utf16_column: 4
            }
        );
        assert_eq!(index.offset_of_utf16(1, 3), x);
        assert_eq!(index.line_col(0).line, 1);
        assert_eq!(index.line_col(text.len()).line, 3);
    }
}
