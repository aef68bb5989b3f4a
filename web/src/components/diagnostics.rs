use std::rc::Rc;

use yew::prelude::*;

use super::editor::rule_page;
use super::panel::Panel;
use super::virtual_list::VirtualList;
use super::{same_report, Selection};
use crate::marks::severity_name;
use crate::protocol::Report;

/// Height of a problem row in px (`.vrow` in style.css).
const ROW_HEIGHT: f64 = 30.0;

#[derive(Properties)]
pub struct DiagnosticsProps {
    pub report: Option<Rc<Report>>,
    pub on_select: Callback<Selection>,
    /// Applies the fix of the finding with this index.
    pub on_fix: Callback<usize>,
    /// Whether the report belongs to the text in the editor (fixes apply only then).
    pub can_fix: bool,
}

impl PartialEq for DiagnosticsProps {
    fn eq(&self, other: &Self) -> bool {
        same_report(&self.report, &other.report)
            && self.on_select == other.on_select
            && self.on_fix == other.on_fix
            && self.can_fix == other.can_fix
    }
}

/// Findings in source order; clicking one (or Enter) selects its range in the editor. Each has
/// a link to its rule's page and, when the rule can fix it, a quick-fix button. Only the rows
/// in view are drawn.
#[component]
pub fn Diagnostics(props: &DiagnosticsProps) -> Html {
    let Some(report) = &props.report else {
        return html! {
            <Panel title="Problems" testid="problems">
                <p class="empty">{ "Waiting for the parser…" }</p>
            </Panel>
        };
    };
    let render_row = {
        let (report, on_select, on_fix, can_fix) = (
            Rc::clone(report),
            props.on_select.clone(),
            props.on_fix.clone(),
            props.can_fix,
        );
        Callback::from(move |index: usize| match report.diagnostics.get(index) {
            Some(diagnostic) => {
                let (start, end) = (diagnostic.start, diagnostic.end);
                let onclick =
                    on_select.reform(move |_: MouseEvent| Selection::Range { start, end });
                let severity = severity_name(diagnostic.severity);
                let on_fix_click = on_fix.reform(move |_: MouseEvent| index);
                html! {
                    <div class="diagnostic-row">
                        <button type="button" class={classes!("row", "diagnostic", severity)}
                                data-testid="diagnostic" title={diagnostic.message.clone()} {onclick}>
                            // Spaces between the parts: see `outline`.
                            <span class="severity">{ severity }</span>{ " " }
                            <span class="message">{ diagnostic.message.clone() }</span>{ " " }
                            <span class="where">{ format!("line {}, col {}", start.line, start.column) }</span>{ " " }
                            <span class="code-name">{ diagnostic.code.clone() }</span>
                        </button>
                        <a class="row-link" href={rule_page(&diagnostic.code)} target="_blank" rel="noopener"
                           aria-label={format!("{} documentation", diagnostic.code)}>{ "docs" }</a>
                        if let Some(fix) = &diagnostic.fix {
                            <button type="button" class="fix-button" data-testid="quickfix"
                                    title={fix.title.clone()} disabled={!can_fix}
                                    aria-label={format!("Fix {}: {}", diagnostic.code, fix.title)}
                                    onclick={on_fix_click}>
                                { "Fix" }
                            </button>
                        }
                    </div>
                }
            }
            None => Html::default(),
        })
    };
    html! {
        <Panel title="Problems" testid="problems" count={report.diagnostics.len()}>
            if report.diagnostics.is_empty() {
                <p class="empty ok">{ "No problems found." }</p>
            } else {
                <VirtualList len={report.diagnostics.len()} row_height={ROW_HEIGHT}
                             {render_row} label="Problems" />
            }
        </Panel>
    }
}
