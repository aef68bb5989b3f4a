//! Applying a finding's fix in the editor. A fix is a list of edits by UTF-8 byte offsets into
//! the text the report was made from; the editor replaces text by UTF-16 offsets. So a fix
//! becomes one replacement of the smallest range that covers its edits, which the editor
//! applies as a single undoable input (see `components::editor::replace`).

use crate::protocol::Fix;
use crate::text::Utf16Range;

/// One replacement in the editor: put `text` where `range` is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub range: Utf16Range,
    pub text: String,
}

/// The replacement that applies `fix` to `text` (the text its report was made from), as
/// `layerlab_lint::apply_fixes` would: edits in order, an edit overlapping an earlier one is
/// skipped. `None` when the fix has no edit that fits the text.
pub fn replacement(text: &str, fix: &Fix) -> Option<Replacement> {
    let mut edits: Vec<_> = fix
        .edits
        .iter()
        .filter(|e| e.span.start <= e.span.end && e.span.end <= text.len())
        .filter(|e| text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end))
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let first = edits.first()?.span.start;
    let mut out = String::new();
    let mut position = first;
    for edit in edits {
        if edit.span.start < position {
            continue;
        }
        out.push_str(text.get(position..edit.span.start)?);
        out.push_str(&edit.replacement);
        position = edit.span.end;
    }
    Some(Replacement {
        range: Utf16Range {
            start: utf16_len(text.get(..first)?),
            end: utf16_len(text.get(..position)?),
        },
        text: out,
    })
}

/// The whole text after the replacement (for tests and for editors without `insertText`).
pub fn apply(text: &str, replacement: &Replacement) -> String {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let end = (replacement.range.end as usize).min(units.len());
    let start = (replacement.range.start as usize).min(end);
    units.splice(start..end, replacement.text.encode_utf16());
    String::from_utf16_lossy(&units)
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Report;

    fn report(text: &str) -> Report {
        let written = serde_json::to_value(layerlab_wasm::analysis(text)).expect("serializes");
        serde_json::from_value(written).expect("the mirror reads it")
    }

    /// Every fix the linter offers on these texts gives, applied here, what the linter's own
    /// `apply_fixes` gives for that one finding.
    #[test]
    fn matches_the_linters_own_fixing() {
        let texts = [
            "FROM alpine:3.20\nADD app.py /app/\n",
            "from alpine:3.20 as Build\nrun cd /x && make\n",
            "FROM debian:12\n# é 😀\nRUN apt-get install -y curl\nWORKDIR app\n",
            "FROM alpine:3.20\nRUN echo $HOME | wc -c\nMAINTAINER me\n",
        ];
        let mut checked = 0;
        for text in texts {
            let findings = layerlab_lint::lint(text, &layerlab_lint::LintOptions::default());
            let report = report(text);
            for (finding, diagnostic) in findings.iter().zip(&report.diagnostics) {
                assert_eq!(finding.code, diagnostic.code);
                let Some(fix) = &diagnostic.fix else { continue };
                let (expected, _) =
                    layerlab_lint::apply_fixes(text, std::slice::from_ref(finding), true);
                let replacement = replacement(text, fix).expect("the fix fits the text");
                assert_eq!(apply(text, &replacement), expected, "{}", finding.code);
                checked += 1;
            }
        }
        assert!(checked >= 5, "only {checked} fixes were checked");
    }

    #[test]
    fn counts_utf16_units_and_skips_edits_that_do_not_fit() {
        use crate::protocol::{ByteSpan, TextEdit};
        let text = "é😀 ADD x";
        let fix = Fix {
            title: "use COPY".into(),
            safe: true,
            edits: vec![
                TextEdit {
                    span: ByteSpan { start: 7, end: 10 },
                    replacement: "COPY".into(),
                },
                TextEdit {
                    span: ByteSpan { start: 1, end: 2 },
                    replacement: "inside é".into(),
                },
                TextEdit {
                    span: ByteSpan { start: 8, end: 99 },
                    replacement: "past the end".into(),
                },
            ],
        };
        let replacement = replacement(text, &fix).expect("one edit fits");
        assert_eq!(replacement.range, Utf16Range { start: 4, end: 7 });
        assert_eq!(apply(text, &replacement), "é😀 COPY x");
        let none = Fix {
            edits: Vec::new(),
            ..fix
        };
        assert_eq!(super::replacement(text, &none), None);
    }
}
