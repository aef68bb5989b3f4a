//! The Dockerfile playground view: the editor, its problems and outline, parsed and linted
//! in the worker as you type; quick fixes, rule settings and the examples gallery.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::components::diagnostics::Diagnostics;
use crate::components::editor::{self, Editor};
use crate::components::example_picker::ExamplePicker;
use crate::components::outline::Outline;
use crate::components::report_wiring::{use_report_wiring, ReportWiring};
use crate::components::rule_settings::RuleSettings;
use crate::components::status::Status;
use crate::gallery::Example;
use crate::hooks::use_parser;
use crate::sample::SAMPLE_DOCKERFILE;
use crate::settings::LintSettings;
use crate::share::{Restored, ShareButton};
use crate::simulate::SimulationPanel;

/// Quiet time after the last keystroke before the text goes to the parser.
const DEBOUNCE_MS: u32 = 100;

/// The Dockerfile playground: editor on the left, problems and outline on the right.
#[component]
pub fn Playground() -> Html {
    // A share link (#/?s=…) restores its Dockerfile, lint settings and scenario
    // (web/src/share.rs).
    let restored = use_memo((), |_| Restored::from_location());
    let text = use_state(|| restored.dockerfile_or(SAMPLE_DOCKERFILE));
    let scenario = use_state(|| restored.state.scenario.clone().unwrap_or_default());
    let parser = use_parser();
    let editor_ref = use_node_ref();
    // Replacing the timeout drops (and so cancels) the previous one.
    let debounce = use_mut_ref(|| None::<Timeout>);
    let settings = use_state(|| restored.settings());
    // The settings as the debounced submit sees them (its callback is made once).
    let current_settings = use_mut_ref(|| restored.settings());
    let settings_open = use_state(|| false);

    {
        let parser = parser.clone();
        let (initial_text, initial_settings) = (text.to_string(), (*settings).clone());
        use_effect_with((), move |_| parser.submit(initial_text, initial_settings));
    }

    // Both callbacks are made once: a new callback on every keystroke would count as new
    // props and re-render the panels.
    let on_input = {
        let (set_text, parser) = (text.setter(), parser.clone());
        let current_settings = current_settings.clone();
        use_callback((), move |value: String, _| {
            set_text.set(AttrValue::from(value.clone()));
            let (parser, settings) = (parser.clone(), current_settings.borrow().clone());
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                parser.submit(value, settings)
            }));
        })
    };

    let on_settings = {
        let (settings, parser, editor_ref) = (settings.clone(), parser.clone(), editor_ref.clone());
        use_callback((), move |next: LintSettings, _| {
            *current_settings.borrow_mut() = next.clone();
            settings.set(next.clone());
            // Relint now: no typing to wait for.
            if let Some(text) = editor::text(&editor_ref) {
                parser.submit(text, next);
            }
        })
    };

    let on_pick = {
        let (editor_ref, on_input) = (editor_ref.clone(), on_input.clone());
        use_callback((), move |example: &'static Example, _| {
            editor::replace_all(&editor_ref, example.text, &on_input);
        })
    };

    let toggle_settings = {
        let settings_open = settings_open.clone();
        Callback::from(move |_: MouseEvent| settings_open.set(!*settings_open))
    };

    let state = parser.state();
    let parsed = state.parsed.as_ref();
    let ReportWiring {
        report,
        up_to_date,
        marks,
        on_select,
        on_fix,
    } = use_report_wiring(state, &text, &editor_ref, &on_input);
    let config_problems = parsed
        .map(|p| Rc::clone(&p.config_problems))
        .unwrap_or_default();

    html! {
        <>
            <div class="toolbar">
                <span class="tagline">{ "Dockerfile playground — parsed in your browser, as BuildKit does" }</span>
                <ShareButton dockerfile={(*text).clone()} settings={(*settings).clone()}
                             scenario={(*scenario).clone()} />
                <ExamplePicker {on_pick} />
                <button type="button" class="toggle" data-testid="rules-toggle" onclick={toggle_settings}
                        aria-expanded={(*settings_open).to_string()} aria-controls="rule-settings">
                    { if settings.rules.is_empty() && settings.hadolint_yaml.is_empty() {
                        "Rule settings".to_owned()
                    } else {
                        format!("Rule settings ({} changed{})", settings.rules.len(),
                            if settings.hadolint_yaml.is_empty() { "" } else { ", .hadolint.yaml" })
                    } }
                </button>
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
                    <Editor value={(*text).clone()} {on_input} node_ref={editor_ref}
                            marks={marks} on_fix={on_fix.clone()} can_fix={up_to_date} />
                </section>
                <aside class="side-pane">
                    if *settings_open {
                        <RuleSettings rules={state.rules.clone()} settings={(*settings).clone()}
                                      problems={config_problems} on_change={on_settings} />
                    }
                    <Diagnostics report={report.clone()} on_select={on_select.clone()}
                                 {on_fix} can_fix={up_to_date} />
                    <Outline {report} on_select={on_select.clone()} />
                    <SimulationPanel dockerfile={(*text).clone()} scenario={scenario.clone()} {on_select}
                                     open={restored.state.scenario.is_some()} />
                </aside>
            </main>
        </>
    }
}
