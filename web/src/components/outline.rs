use std::rc::Rc;

use yew::prelude::*;

use super::panel::Panel;
use super::virtual_list::VirtualList;
use super::{same_report, Selection};
use crate::protocol::Report;

/// Height of an outline row in px (`.vrow` in style.css).
const ROW_HEIGHT: f64 = 30.0;

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

/// The instructions, in order; clicking one selects its lines. Only the rows in view are
/// drawn, so a new report for a 3,000-line file re-renders a few dozen rows.
#[component]
pub fn Outline(props: &OutlineProps) -> Html {
    let Some(report) = &props.report else {
        return html! {
            <Panel title="Outline" testid="outline">
                <p class="empty">{ "Waiting for the parser…" }</p>
            </Panel>
        };
    };
    let render_row = {
        let (report, on_select) = (Rc::clone(report), props.on_select.clone());
        Callback::from(move |index: usize| match report.instructions.get(index) {
            Some(entry) => {
                let (first, last) = (entry.line, entry.end_line);
                let onclick =
                    on_select.reform(move |_: MouseEvent| Selection::Lines { first, last });
                let lines = if last > first {
                    format!("lines {first}–{last}")
                } else {
                    format!("line {first}")
                };
                html! {
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
                }
            }
            None => Html::default(),
        })
    };
    html! {
        <Panel title="Outline" testid="outline" count={report.instructions.len()}>
            if report.instructions.is_empty() {
                <p class="empty">{ "No instructions yet." }</p>
            } else {
                <VirtualList len={report.instructions.len()} row_height={ROW_HEIGHT}
                             {render_row} label="Outline" ordered=true />
            }
        </Panel>
    }
}
