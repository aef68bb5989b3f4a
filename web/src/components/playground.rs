//! The Dockerfile playground view: the editor, its problems and outline, parsed and linted
//! in the worker as you type.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::components::diagnostics::Diagnostics;
use crate::components::editor::{self, Editor};
use crate::components::outline::Outline;
use crate::components::status::Status;
use crate::components::Selection;
use crate::hooks::use_parser;
use crate::sample::SAMPLE_DOCKERFILE;
use crate::share::{Restored, ShareButton};
use crate::simulate::SimulationPanel;
use crate::text::{line_range, utf16_offset, Utf16Range};

/// Quiet time after the last keystroke before the text goes to the parser.
const DEBOUNCE_MS: u32 = 100;

/// The Dockerfile playground: editor on the left, problems and outline on the right.
#[component]
pub fn Playground() -> Html {
    // A share link (#/?s=…) restores its Dockerfile and scenario (web/src/share.rs).
    let restored = use_memo((), |_| Restored::from_location());
    let text = use_state(|| restored.dockerfile_or(SAMPLE_DOCKERFILE));
    let scenario = use_state(|| restored.state.scenario.clone().unwrap_or_default());
    let parser = use_parser();
    let editor_ref = use_node_ref();
    // Replacing the timeout drops (and so cancels) the previous one.
    let debounce = use_mut_ref(|| None::<Timeout>);

    {
        let parser = parser.clone();
        let initial_text = text.to_string();
        use_effect_with((), move |_| parser.submit(initial_text));
    }

    // Both callbacks are made once: a new callback on every keystroke would count as new
    // props and re-render every outline row.
    let on_input = {
        let (set_text, parser) = (text.setter(), parser.clone());
        use_callback((), move |value: String, _| {
            set_text.set(AttrValue::from(value.clone()));
            let parser = parser.clone();
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || parser.submit(value)));
        })
    };

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

    let state = parser.state();
    let parsed = state.parsed.as_ref();
    let report = parsed.map(|p| Rc::clone(&p.report));
    let up_to_date = parsed.is_some_and(|p| *p.text == **text);

    html! {
        <>
            <div class="toolbar">
                <span class="tagline">{ "Dockerfile playground — parsed in your browser, as BuildKit does" }</span>
                <ShareButton dockerfile={(*text).clone()} scenario={(*scenario).clone()} />
                <Status
                    {up_to_date}
                    has_report={parsed.is_some()}
                    failed={state.error.as_ref().is_some_and(|e| e.concerns(&text))}
                    elapsed_ms={parsed.map(|p| p.elapsed_ms)}
                    version={state.version.clone().map(AttrValue::from)}
                />
            </div>
            if let Some(error) = &state.error {
                <p class="alert" role="alert" data-testid="parser-error">{ error.message.clone() }</p>
            }
            if let Some(error) = &restored.error {
                <p class="alert" role="alert" data-testid="share-error">{ format!("This share link could not be opened: {error}") }</p>
            }
            <main class="workspace">
                <section class="editor-pane" aria-label="Editor">
                    <Editor value={(*text).clone()} {on_input} node_ref={editor_ref} />
                </section>
                <aside class="side-pane">
                    <Diagnostics report={report.clone()} on_select={on_select.clone()} />
                    <Outline {report} on_select={on_select.clone()} />
                    <SimulationPanel dockerfile={(*text).clone()} scenario={scenario.clone()} {on_select}
                                     open={restored.state.scenario.is_some()} />
                </aside>
            </main>
        </>
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
