//! The lint settings panel: a level (or off) per rule, and a `.hadolint.yaml` to import (typed,
//! pasted or read from a file on this machine; nothing is uploaded). The worker reads the file
//! with the linter's own configuration parser; its errors come back with line and column.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{FileReader, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::panel::Panel;
use crate::protocol::{ConfigProblem, RuleInfo};
use crate::settings::{LintSettings, RuleChoice};

#[derive(Properties, PartialEq)]
pub struct RuleSettingsProps {
    pub rules: Rc<Vec<RuleInfo>>,
    pub settings: LintSettings,
    pub problems: Rc<Vec<ConfigProblem>>,
    pub on_change: Callback<LintSettings>,
}

#[component]
pub fn RuleSettings(props: &RuleSettingsProps) -> Html {
    let filter = use_state(String::new);
    let draft = use_state(|| props.settings.hadolint_yaml.clone());
    let yaml_ref = use_node_ref();
    // Keeps the file reader's callback alive until it has run.
    let reading = use_mut_ref(|| None::<(FileReader, Closure<dyn FnMut()>)>);

    let on_filter = {
        let filter = filter.setter();
        Callback::from(move |event: InputEvent| {
            filter.set(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_draft = {
        let draft = draft.setter();
        Callback::from(move |event: InputEvent| {
            draft.set(event.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let apply_yaml = {
        let (draft, settings, on_change) = (
            draft.clone(),
            props.settings.clone(),
            props.on_change.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            on_change.emit(settings.with_hadolint_yaml((*draft).clone()))
        })
    };
    let clear_yaml = {
        let (draft, settings, on_change) = (
            draft.setter(),
            props.settings.clone(),
            props.on_change.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            draft.set(String::new());
            on_change.emit(settings.with_hadolint_yaml(String::new()));
        })
    };
    let reset_rules = {
        let (settings, on_change) = (props.settings.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            on_change.emit(LintSettings {
                rules: Default::default(),
                ..settings.clone()
            })
        })
    };
    let on_file = {
        let (draft, settings, on_change, reading) = (
            draft.setter(),
            props.settings.clone(),
            props.on_change.clone(),
            reading.clone(),
        );
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let Ok(reader) = FileReader::new() else {
                return;
            };
            let (draft, settings, on_change) = (draft.clone(), settings.clone(), on_change.clone());
            let done_reader = reader.clone();
            let on_load = Closure::<dyn FnMut()>::new(move || {
                let text = done_reader
                    .result()
                    .ok()
                    .and_then(|value| value.as_string())
                    .unwrap_or_default();
                draft.set(text.clone());
                on_change.emit(settings.with_hadolint_yaml(text));
            });
            reader.set_onload(Some(on_load.as_ref().unchecked_ref()));
            if reader.read_as_text(&file).is_ok() {
                *reading.borrow_mut() = Some((reader, on_load));
            }
            // The same file can be picked again after an edit.
            input.set_value("");
        })
    };

    let needle = filter.trim().to_ascii_lowercase();
    let rows = props
        .rules
        .iter()
        .filter(|rule| {
            needle.is_empty()
                || rule.code.to_ascii_lowercase().contains(&needle)
                || rule.summary.to_ascii_lowercase().contains(&needle)
        })
        .map(|rule| {
            let chosen = props.settings.rules.get(&rule.code).copied();
            let onchange = {
                let (code, settings, on_change) =
                    (rule.code.clone(), props.settings.clone(), props.on_change.clone());
                Callback::from(move |event: Event| {
                    let value = event.target_unchecked_into::<HtmlSelectElement>().value();
                    on_change.emit(settings.with_rule(&code, RuleChoice::parse(&value)));
                })
            };
            let default_label = if rule.level == "ignore" {
                "default (off)".to_owned()
            } else {
                format!("default ({})", rule.level)
            };
            html! {
                <li class="rule-setting" data-testid="rule-setting" data-code={rule.code.clone()}>
                    <span class="code-name">{ rule.code.clone() }</span>{ " " }
                    <span class="summary" title={rule.summary.clone()}>{ rule.summary.clone() }</span>
                    <select aria-label={format!("{} level", rule.code)} data-testid="rule-level" {onchange}>
                        <option value="" selected={chosen.is_none()}>{ default_label }</option>
                        { for RuleChoice::ALL.into_iter().map(|choice| html! {
                            <option value={choice.as_str()} selected={chosen == Some(choice)}>{ choice.as_str() }</option>
                        }) }
                    </select>
                </li>
            }
        });
    let changed = props.settings.rules.len();

    html! {
        <Panel title="Rule settings" testid="rule-settings">
            <div class="settings-body" id="rule-settings">
                <section class="yaml-import" aria-label=".hadolint.yaml">
                    <label class="field-label" for="hadolint-yaml">{ ".hadolint.yaml (paste, type or open a file; read here, never uploaded)" }</label>
                    <textarea id="hadolint-yaml" class="yaml" data-testid="hadolint-yaml" ref={yaml_ref}
                              spellcheck="false" rows="5" value={(*draft).clone()} oninput={on_draft}
                              placeholder={"ignored:\n  - DL3008\noverride:\n  error:\n    - DL3006"} />
                    <div class="actions">
                        <button type="button" data-testid="hadolint-yaml-apply" onclick={apply_yaml}>{ "Apply" }</button>
                        <button type="button" onclick={clear_yaml}>{ "Clear" }</button>
                        <label class="file-button">
                            { "Open file…" }
                            <input type="file" accept=".yaml,.yml,text/yaml" data-testid="hadolint-yaml-file" onchange={on_file} />
                        </label>
                    </div>
                    if !props.problems.is_empty() {
                        <ul class="config-problems" role="alert">
                            { for props.problems.iter().map(|p| html! {
                                <li data-testid="config-problem">{
                                    if p.line > 0 {
                                        format!("line {}, col {}: {}", p.line, p.column, p.message)
                                    } else {
                                        p.message.clone()
                                    }
                                }</li>
                            }) }
                        </ul>
                    }
                </section>
                <div class="rules-head">
                    <input type="search" class="rule-filter" placeholder="Filter rules" aria-label="Filter rules"
                           value={(*filter).clone()} oninput={on_filter} />
                    <button type="button" onclick={reset_rules} disabled={changed == 0}>
                        { format!("Reset {changed} changed") }
                    </button>
                </div>
                if props.rules.is_empty() {
                    <p class="empty">{ "Waiting for the linter…" }</p>
                } else {
                    <ul class="rule-list">{ for rows }</ul>
                }
            </div>
        </Panel>
    }
}
