use std::rc::Rc;

use yew::prelude::*;

use super::panel::Panel;
use super::{same_report, Selection};
use crate::protocol::{OutlineEntry, Report};

#[derive(Properties)]
pub struct OutlineProps {
    pub report: Option<Rc<Report>>,
    pub on_select: Callback<Selection>,
}

impl PartialEq for OutlineProps {
    fn eq(&self, other: &Self) -> bool {
        same_report(&self.report, &other.report) && self.on_select == other.on_select
    }
}

/// The instructions, in order; clicking one selects its lines.
#[component]
pub fn Outline(props: &OutlineProps) -> Html {
    let Some(report) = &props.report else {
        return html! {
            <Panel title="Outline" testid="outline">
                <p class="empty">{ "Waiting for the parser…" }</p>
            </Panel>
        };
    };
    let rows = report.instructions.iter().map(|entry| {
        html! { <OutlineRow entry={entry.clone()} on_select={props.on_select.clone()} /> }
    });
    html! {
        <Panel title="Outline" testid="outline" count={report.instructions.len()}>
            if report.instructions.is_empty() {
                <p class="empty">{ "No instructions yet." }</p>
            } else {
                <ol class="rows">{ for rows }</ol>
            }
        </Panel>
    }
}

#[derive(Properties, PartialEq)]
struct OutlineRowProps {
    entry: OutlineEntry,
    on_select: Callback<Selection>,
}

/// A component per row, so a new report re-renders only the rows that changed: typing in a
/// 3,000-line file changes one or two.
#[component]
fn OutlineRow(props: &OutlineRowProps) -> Html {
    let entry = &props.entry;
    let (first, last) = (entry.line, entry.end_line);
    let onclick = props
        .on_select
        .reform(move |_: MouseEvent| Selection::Lines { first, last });
    let lines = if last > first {
        format!("lines {first}–{last}")
    } else {
        format!("line {first}")
    };
    html! {
        <li>
            <button type="button" class="row outline-row" data-testid="outline-item" {onclick}>
                // The spaces keep the row's text readable (copy, screen readers, tests);
                // flex layout does not render them.
                <span class="keyword">{ entry.keyword.clone() }</span>{ " " }
                <span class="where">{ lines }</span>{ " " }
                <span class="summary">{ entry.summary.clone() }</span>
                if let Some(stage) = &entry.stage {
                    { " " }<span class="stage" title="build stage">{ stage.clone() }</span>
                }
            </button>
        </li>
    }
}
