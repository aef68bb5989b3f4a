//! Where the editor draws a report's findings: squiggles per line (by UTF-16 column, as the
//! report gives them) and the gutter's marker per line. Built once per report, so drawing the
//! lines on screen looks up only those lines.

use std::rc::Rc;

use crate::protocol::{Report, Severity};

/// A finding's squiggle on one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// 0-based UTF-16 columns; `end: None` runs to the end of the line.
    pub start: u32,
    pub end: Option<u32>,
    pub severity: Severity,
    /// Index of the finding in the report's diagnostics.
    pub finding: usize,
}

/// Lines with more squiggles than this show the first ones only: a line is only so wide.
const MAX_MARKS_PER_LINE: usize = 32;

#[derive(Debug, Default)]
pub struct LineMarks {
    pub report: Option<Rc<Report>>,
    /// Index: line - 1.
    marks: Vec<Vec<Mark>>,
    /// The most severe finding that starts on each line (index: line - 1).
    gutter: Vec<Option<Severity>>,
}

impl LineMarks {
    pub fn new(report: Option<Rc<Report>>) -> LineMarks {
        let mut marks: Vec<Vec<Mark>> = Vec::new();
        let mut gutter: Vec<Option<Severity>> = Vec::new();
        if let Some(report) = &report {
            for (finding, d) in report.diagnostics.iter().enumerate() {
                let (first, last) = (d.start.line.max(1), d.end.line.max(d.start.line.max(1)));
                let needed = last as usize;
                if marks.len() < needed {
                    marks.resize_with(needed, Vec::new);
                    gutter.resize(needed, None);
                }
                let slot = &mut gutter[first as usize - 1];
                if slot.is_none_or(|s| rank(d.severity) < rank(s)) {
                    *slot = Some(d.severity);
                }
                for line in first..=last {
                    let line_marks = &mut marks[line as usize - 1];
                    if line_marks.len() >= MAX_MARKS_PER_LINE {
                        continue;
                    }
                    line_marks.push(Mark {
                        start: if line == first {
                            d.start.utf16_column.saturating_sub(1)
                        } else {
                            0
                        },
                        end: (line == last).then(|| d.end.utf16_column.saturating_sub(1)),
                        severity: d.severity,
                        finding,
                    });
                }
            }
        }
        LineMarks {
            report,
            marks,
            gutter,
        }
    }

    /// The squiggles on a 1-based line.
    pub fn on_line(&self, line: usize) -> &[Mark] {
        line.checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The gutter marker of a 1-based line.
    pub fn gutter(&self, line: usize) -> Option<Severity> {
        line.checked_sub(1)
            .and_then(|i| self.gutter.get(i).copied())
            .flatten()
    }

    /// The findings whose range holds a 1-based line and 0-based UTF-16 column.
    pub fn at(&self, line: usize, column: u32) -> Vec<usize> {
        self.on_line(line)
            .iter()
            .filter(|m| m.start <= column && m.end.is_none_or(|end| column <= end))
            .map(|m| m.finding)
            .collect()
    }
}

/// Most severe first.
pub fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Style => 3,
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Style => "style",
    }
}

/// The byte index of a 0-based UTF-16 column in `line` (clamped to its end).
pub fn byte_index(line: &str, utf16_column: u32) -> usize {
    let mut units = 0u32;
    for (index, c) in line.char_indices() {
        if units >= utf16_column {
            return index;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Rc<Report> {
        let written = serde_json::to_value(layerlab_wasm::analysis(text)).expect("serializes");
        Rc::new(serde_json::from_value(written).expect("the mirror reads it"))
    }

    #[test]
    fn marks_each_line_of_a_finding_and_the_gutter_at_its_start() {
        let text = "FROM alpine:3.20\nADD app.py /app/\nRUN cd /x && \\\n  make\n";
        let marks = LineMarks::new(Some(report(text)));
        let add = marks.on_line(2);
        assert!(!add.is_empty());
        let report = marks.report.as_ref().expect("kept");
        let dl3020 = add
            .iter()
            .find(|m| report.diagnostics[m.finding].code == "DL3020")
            .expect("DL3020 on line 2");
        // The source operand, `app.py`.
        assert_eq!((dl3020.start, dl3020.end), (4, Some(10)));
        assert_eq!(marks.gutter(2), Some(Severity::Error));
        assert!(marks.at(2, 5).contains(&dl3020.finding));
        assert!(!marks.at(2, 1).contains(&dl3020.finding));
        assert_eq!(marks.on_line(99), []);
        assert_eq!(marks.gutter(0), None);
    }

    #[test]
    fn byte_index_counts_utf16_units() {
        assert_eq!(byte_index("é😀x", 0), 0);
        assert_eq!(byte_index("é😀x", 1), 2);
        assert_eq!(byte_index("é😀x", 3), 6);
        assert_eq!(byte_index("é😀x", 99), 7);
    }
}
