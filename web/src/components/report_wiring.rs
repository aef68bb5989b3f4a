//! What the playground and the embed mode wire the same way between the worker's latest
//! report and the editor: the marks the editor draws, selecting what a panel points at, and
//! applying a finding's fix.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::editor::{self, Marks};
use crate::components::{same_report, Selection};
use crate::fixes;
use crate::hooks::ParserState;
use crate::marks::LineMarks;
use crate::protocol::Report;
use crate::text::{line_range, utf16_offset, Utf16Range};

pub struct ReportWiring {
    pub report: Option<Rc<Report>>,
    /// The report belongs to the text in the editor (fixes apply only then).
    pub up_to_date: bool,
    pub marks: Marks,
    /// Selects a range or lines of the text in the editor.
    pub on_select: Callback<Selection>,
    /// Applies finding `index`'s fix to the text its report was made from, if that is still
    /// the text in the editor.
    pub on_fix: Callback<usize>,
}

#[hook]
pub fn use_report_wiring(
    state: &ParserState,
    text: &str,
    editor_ref: &NodeRef,
    on_input: &Callback<String>,
) -> ReportWiring {
    // Resolved against the text in the editor now, which the selection applies to.
    let on_select = {
        let editor_ref = editor_ref.clone();
        use_callback((), move |selection: Selection, _| {
            if let Some(text) = editor::text(&editor_ref) {
                let (range, line) = resolve(&text, selection);
                editor::select(&editor_ref, range, line);
            }
        })
    };

    let parsed = state.parsed.as_ref();
    let report = parsed.map(|p| Rc::clone(&p.report));
    let up_to_date = parsed.is_some_and(|p| *p.text == *text);
    let marks = use_memo(ReportIdentity(report.clone()), |key| {
        Marks(Rc::new(LineMarks::new(key.0.clone())))
    });

    let on_fix = {
        let (editor_ref, on_input) = (editor_ref.clone(), on_input.clone());
        use_callback(state.parsed.clone(), move |index: usize, parsed| {
            let Some(parsed) = parsed else { return };
            if editor::text(&editor_ref).as_deref() != Some(&*parsed.text) {
                return;
            }
            let fix = parsed
                .report
                .diagnostics
                .get(index)
                .and_then(|d| d.fix.as_ref());
            if let Some(replacement) = fix.and_then(|fix| fixes::replacement(&parsed.text, fix)) {
                editor::replace(&editor_ref, replacement.range, &replacement.text, &on_input);
            }
        })
    };

    ReportWiring {
        report,
        up_to_date,
        marks: (*marks).clone(),
        on_select,
        on_fix,
    }
}

/// A report as a memo key: by identity (each report from the worker is new).
struct ReportIdentity(Option<Rc<Report>>);

impl PartialEq for ReportIdentity {
    fn eq(&self, other: &Self) -> bool {
        same_report(&self.0, &other.0)
    }
}

/// The UTF-16 range to select and the line to scroll to.
fn resolve(text: &str, selection: Selection) -> (Utf16Range, u32) {
    match selection {
        Selection::Lines { first, last } => (line_range(text, first, last), first),
        Selection::Range { start, end } => {
            let range = Utf16Range {
                start: utf16_offset(text, start.line, start.utf16_column),
                end: utf16_offset(text, end.line, end.utf16_column),
            };
            (range, start.line)
        }
    }
}
