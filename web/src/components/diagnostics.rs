use std::rc::Rc;

use yew::prelude::*;

use super::panel::Panel;
use super::{same_report, Selection};
use crate::protocol::{Diagnostic, Report, Severity};

#[derive(Properties)]
pub struct DiagnosticsProps {
    pub report: Option<Rc<Report>>,
    pub on_select: Callback<Selection>,
}

impl PartialEq for DiagnosticsProps {
    fn eq(&self, other: &Self) -> bool {
        same_report(&self.report, &other.report) && self.on_select == other.on_select
    }
}

/// Errors and warnings in source order; clicking one selects its range in the editor.
#[component]
pub fn Diagnostics(props: &DiagnosticsProps) -> Html {
    let Some(report) = &props.report else {
        return html! {
            <Panel title="Problems" testid="problems">
                <p class="empty">{ "Waiting for the parser…" }</p>
            </Panel>
        };
    };
    let rows = report.diagnostics.iter().map(|diagnostic| {
        html! {
            <DiagnosticRow diagnostic={diagnostic.clone()} on_select={props.on_select.clone()} />
        }
    });
    html! {
        <Panel title="Problems" testid="problems" count={report.diagnostics.len()}>
            if report.diagnostics.is_empty() {
                <p class="empty ok">{ "No problems found." }</p>
            } else {
                <ul class="rows">{ for rows }</ul>
            }
        </Panel>
    }
}

#[derive(Properties, PartialEq)]
struct DiagnosticRowProps {
    diagnostic: Diagnostic,
    on_select: Callback<Selection>,
}

/// A component per row: see `outline::OutlineRow`.
#[component]
fn DiagnosticRow(props: &DiagnosticRowProps) -> Html {
    let diagnostic = &props.diagnostic;
    let (start, end) = (diagnostic.start, diagnostic.end);
    let onclick = props
        .on_select
        .reform(move |_: MouseEvent| Selection::Range { start, end });
    let (class, label) = match diagnostic.severity {
        Severity::Error => ("row diagnostic error", "error"),
        Severity::Warning => ("row diagnostic warning", "warning"),
        Severity::Info => ("row diagnostic info", "info"),
        Severity::Style => ("row diagnostic style", "style"),
    };
    html! {
        <li>
            <button type="button" {class} data-testid="diagnostic" {onclick}>
                // Spaces between the parts: see `outline::OutlineRow`.
                <span class="severity">{ label }</span>{ " " }
                <span class="message">{ diagnostic.message.clone() }</span>{ " " }
                <span class="where">{ format!("line {}, col {}", start.line, start.column) }</span>{ " " }
                <span class="code-name">{ diagnostic.code.clone() }</span>
            </button>
        </li>
    }
}
