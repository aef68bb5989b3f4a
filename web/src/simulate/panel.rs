//! The cache simulation panel: the virtual build context, `.dockerignore`, build args, target,
//! the "what if I change …" toggles, and the results. The simulator runs in its own worker,
//! started when the panel is first opened.

use gloo_timers::callback::Timeout;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::client::use_simulator;
use super::folder;
use super::results::Results;
use super::scenario::{BuildArg, BuilderChoice, FileChange, FileContent, SimScenario};
use crate::components::Selection;

/// Quiet time after the last change before simulating again.
const DEBOUNCE_MS: u32 = 150;

#[derive(Properties, PartialEq)]
pub struct SimulationPanelProps {
    /// The Dockerfile in the editor.
    pub dockerfile: AttrValue,
    /// The scenario (owned by the playground, so a share link can carry it).
    pub scenario: UseStateHandle<SimScenario>,
    pub on_select: Callback<Selection>,
    /// Open from the start (a share link with a scenario), starting the simulator at once.
    #[prop_or_default]
    pub open: bool,
}

fn input_value(event: &Event) -> String {
    event
        .target_dyn_into::<HtmlInputElement>()
        .map(|input| input.value())
        .or_else(|| {
            event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|select| select.value())
        })
        .or_else(|| {
            event
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|area| area.value())
        })
        .unwrap_or_default()
}

fn checked(event: &Event) -> bool {
    event
        .target_dyn_into::<HtmlInputElement>()
        .is_some_and(|input| input.checked())
}

/// A callback that edits the scenario with `edit(scenario, value of the event's control)`.
fn edit<E: AsRef<Event> + 'static>(
    scenario: &UseStateHandle<SimScenario>,
    edit: impl Fn(&mut SimScenario, &Event) + 'static,
) -> Callback<E> {
    let scenario = scenario.clone();
    Callback::from(move |event: E| {
        let mut next = (*scenario).clone();
        edit(&mut next, event.as_ref());
        scenario.set(next);
    })
}

#[component]
pub fn SimulationPanel(props: &SimulationPanelProps) -> Html {
    let open = use_state(|| props.open);
    let simulator = use_simulator();
    let debounce = use_mut_ref(|| None::<Timeout>);
    let rename_error = use_state(|| None::<String>);
    let folder_message = use_state(|| None::<String>);
    let expanded = use_state(|| None::<usize>);

    {
        let simulator = simulator.clone();
        let scenario = (*props.scenario).clone();
        let dockerfile = props.dockerfile.clone();
        use_effect_with(
            (*open, dockerfile, scenario),
            move |(open, dockerfile, scenario)| {
                if *open {
                    let (dockerfile, scenario) = (dockerfile.clone(), scenario.clone());
                    *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                        simulator.submit(&dockerfile, &scenario)
                    }));
                }
            },
        );
    }

    if !*open {
        let onclick = {
            let open = open.clone();
            Callback::from(move |_: MouseEvent| open.set(true))
        };
        return html! {
            <section class="panel sim-panel" data-testid="simulation" aria-label="Cache simulation">
                <h2 class="panel-title">{ "Cache simulation" }</h2>
                <div class="panel-body">
                    <p class="sim-intro">
                        { "Which steps of the next build hit the cache, and why — for a build context you describe or pick from disk (read here, never uploaded)." }
                    </p>
                    <button type="button" class="sim-button primary" data-testid="sim-open" {onclick}>
                        { "Simulate the build cache" }
                    </button>
                </div>
            </section>
        };
    }

    let scenario = &props.scenario;
    let state = simulator.state();
    let stages = state
        .shown
        .as_ref()
        .map(|shown| shown.simulation.stages())
        .unwrap_or_default();
    let moving_tags: Vec<String> = {
        let mut tags = state
            .shown
            .as_ref()
            .map(|shown| shown.simulation.moving_tags.clone())
            .unwrap_or_default();
        for tag in &scenario.base_changed {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        tags
    };
    let up_to_date = state.shown.as_ref().is_some_and(|shown| {
        *shown.dockerfile == *props.dockerfile && *shown.scenario == **scenario
    });

    // The virtual context.
    let files = scenario.files.iter().enumerate().map(|(index, file)| {
        let rename = {
            let scenario = scenario.clone();
            let rename_error = rename_error.clone();
            Callback::from(move |event: Event| {
                let mut next = (*scenario).clone();
                match next.rename_file(index, &input_value(&event)) {
                    Ok(()) => {
                        rename_error.set(None);
                        scenario.set(next);
                    }
                    Err(message) => {
                        rename_error.set(Some(message));
                        // Show the old name again.
                        if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                            if let Some(file) = scenario.files.get(index) {
                                input.set_value(&file.path);
                            }
                        }
                    }
                }
            })
        };
        let change = edit(scenario, move |s, event| {
            if let Some(file) = s.files.get_mut(index) {
                file.change = FileChange::parse(&input_value(event));
            }
        });
        let remove = {
            let scenario = scenario.clone();
            let expanded = expanded.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*scenario).clone();
                if index < next.files.len() {
                    next.files.remove(index);
                }
                expanded.set(None);
                scenario.set(next)
            })
        };
        let toggle = {
            let expanded = expanded.clone();
            let is_open = *expanded == Some(index);
            Callback::from(move |_: MouseEvent| expanded.set((!is_open).then_some(index)))
        };
        let options = FileChange::ALL.map(|option| {
            html! {
                <option value={option.as_str()} selected={option == file.change}>{ option.label() }</option>
            }
        });
        let (size, editor) = match &file.content {
            FileContent::Text { text } => {
                let on_text = edit(scenario, move |s, event| {
                    if let Some(file) = s.files.get_mut(index) {
                        file.content = FileContent::Text { text: input_value(event) };
                    }
                });
                let editor = (*expanded == Some(index)).then(|| html! {
                    <textarea class="sim-file-text" data-testid="sim-file-text" rows="6"
                        spellcheck="false" aria-label={format!("Content of {}", file.path)}
                        value={text.clone()} onchange={on_text} />
                });
                (format!("{} bytes", text.len()), editor)
            }
            FileContent::Local { size, .. } => (format!("{size} bytes, read from disk"), None),
        };
        let editable = matches!(file.content, FileContent::Text { .. });
        html! {
            <li class="sim-file" data-testid="sim-file" data-path={file.path.clone()}>
                <div class="sim-file-row">
                    <input class="sim-file-path" data-testid="sim-file-path" value={file.path.clone()}
                        aria-label="Path in the context" spellcheck="false" onchange={rename} />
                    <select class="sim-file-change" data-testid="sim-file-change"
                        aria-label={format!("What if {} changes", file.path)} onchange={change}>
                        { for options }
                    </select>
                    <span class="sim-file-size">{ size }</span>
                    if editable {
                        <button type="button" class="sim-button" onclick={toggle}
                            aria-expanded={(*expanded == Some(index)).to_string()}>{ "Edit" }</button>
                    }
                    <button type="button" class="sim-button" onclick={remove}
                        aria-label={format!("Remove {} from the context", file.path)}>{ "Remove" }</button>
                </div>
                { for editor }
            </li>
        }
    });
    let add_file = {
        let scenario = scenario.clone();
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*scenario).clone();
            next.add_file();
            expanded.set(Some(next.files.len() - 1));
            scenario.set(next);
        })
    };
    let load_files = {
        let scenario = scenario.clone();
        let folder_message = folder_message.clone();
        move |picked: Vec<folder::Picked>| {
            let scenario = scenario.clone();
            let folder_message = folder_message.clone();
            folder_message.set(Some(format!("Reading {} files…", picked.len())));
            wasm_bindgen_futures::spawn_local(async move {
                let read = folder::read(picked).await;
                let mut next = (*scenario).clone();
                let count = read.files.len();
                next.merge_files(read.files);
                if let Some(ignore) = read.dockerignore {
                    next.dockerignore = ignore;
                }
                let mut message = format!("Read {count} files from disk (nothing was uploaded).");
                for skipped in read.skipped {
                    message.push_str(&format!(" Skipped: {skipped}."));
                }
                folder_message.set(Some(message));
                scenario.set(next);
            });
        }
    };
    let on_folder = {
        let load_files = load_files.clone();
        Callback::from(move |event: Event| {
            if let Some(files) = event
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|input| input.files())
            {
                load_files(folder::picked_from_input(&files));
            }
        })
    };
    let on_drop = Callback::from(move |event: DragEvent| {
        event.prevent_default();
        let entries = folder::drop_entries(&event);
        let load_files = load_files.clone();
        wasm_bindgen_futures::spawn_local(async move {
            load_files(folder::picked_from_drop(entries).await);
        });
    });
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());

    // Build args.
    let args = scenario.build_args.iter().enumerate().map(|(index, arg)| {
        let name = edit(scenario, move |s, event| {
            if let Some(arg) = s.build_args.get_mut(index) {
                arg.name = input_value(event).trim().to_owned();
            }
        });
        let value = edit(scenario, move |s, event| {
            if let Some(arg) = s.build_args.get_mut(index) {
                arg.value = input_value(event);
            }
        });
        let changed = edit(scenario, move |s, event| {
            if let Some(arg) = s.build_args.get_mut(index) {
                arg.previous_value = checked(event).then(String::new);
            }
        });
        let previous = edit(scenario, move |s, event| {
            if let Some(arg) = s.build_args.get_mut(index) {
                arg.previous_value = Some(input_value(event));
            }
        });
        let remove = edit(scenario, move |s, _| {
            if index < s.build_args.len() {
                s.build_args.remove(index);
            }
        });
        html! {
            <li class="sim-arg" data-testid="sim-arg">
                <input class="sim-arg-name" placeholder="NAME" aria-label="Build arg name"
                    value={arg.name.clone()} onchange={name} spellcheck="false" />
                { "=" }
                <input class="sim-arg-value" placeholder="value" aria-label="Build arg value"
                    value={arg.value.clone()} onchange={value} spellcheck="false" />
                <label class="sim-check">
                    <input type="checkbox" checked={arg.previous_value.is_some()} onchange={changed}
                        data-testid="sim-arg-changed" />
                    { "what if it was different last time:" }
                </label>
                if let Some(previous_value) = &arg.previous_value {
                    <input class="sim-arg-value" placeholder="previous value"
                        aria-label="Previous value" value={previous_value.clone()} onchange={previous} />
                }
                <button type="button" class="sim-button" onclick={remove}>{ "Remove" }</button>
            </li>
        }
    });
    let add_arg = edit(scenario, |s, _| s.build_args.push(BuildArg::default()));

    // Whole-build toggles.
    let builder = edit(scenario, |s, event| {
        s.builder = if input_value(event) == "legacy" {
            BuilderChoice::Legacy
        } else {
            BuilderChoice::Buildkit
        };
    });
    let target = edit(scenario, |s, event| s.target = input_value(event));
    let no_cache = edit(scenario, |s, event| s.no_cache = checked(event));
    let assume_tags = edit(scenario, |s, event| {
        s.assume_tags_unchanged = checked(event)
    });
    let dockerignore = edit(scenario, |s, event| s.dockerignore = input_value(event));
    let record = {
        let scenario = scenario.clone();
        let dockerfile = props.dockerfile.clone();
        let recorded = scenario.previous_dockerfile.is_some();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*scenario).clone();
            next.previous_dockerfile = (!recorded).then(|| dockerfile.to_string());
            scenario.set(next);
        })
    };
    let bases = moving_tags.iter().map(|image| {
        let moved = {
            let image = image.clone();
            edit(scenario, move |s, event| s.set_base_changed(&image, checked(event)))
        };
        html! {
            <label class="sim-check">
                <input type="checkbox" data-testid="sim-base-moved" checked={scenario.base_changed.contains(image)}
                    onchange={moved} />
                { format!("what if {image} moved to a new image") }
            </label>
        }
    });
    let target_options = stages.iter().map(|stage| {
        html! { <option value={stage.clone()} selected={*stage == scenario.target}>{ stage.clone() }</option> }
    });

    html! {
        <section class="panel sim-panel" data-testid="simulation" aria-label="Cache simulation">
            <h2 class="panel-title">
                { "Cache simulation" }
                <span class="count">{ format!("{} what-ifs on", scenario.changes_count()) }</span>
                <span class="sim-state" data-testid="sim-state"
                    data-state={if up_to_date && !state.busy { "idle" } else { "simulating" }}>
                    { match &state.shown {
                        Some(shown) if up_to_date && !state.busy => {
                            format!("simulated in {:.1} ms", shown.elapsed_ms)
                        }
                        _ => "simulating…".to_owned(),
                    } }
                </span>
            </h2>
            <div class="panel-body sim-body">
                if let Some(error) = &state.error {
                    <p class="alert" role="alert" data-testid="sim-error">{ error.clone() }</p>
                }
                <fieldset class="sim-group">
                    <legend>{ "Build" }</legend>
                    <label class="sim-field">{ "Builder " }
                        <select data-testid="sim-builder" onchange={builder}>
                            <option value="buildkit" selected={scenario.builder == BuilderChoice::Buildkit}>{ "BuildKit" }</option>
                            <option value="legacy" selected={scenario.builder == BuilderChoice::Legacy}>{ "classic (DOCKER_BUILDKIT=0)" }</option>
                        </select>
                    </label>
                    <label class="sim-field">{ "Target " }
                        <select data-testid="sim-target" onchange={target}>
                            <option value="" selected={scenario.target.is_empty()}>{ "last stage" }</option>
                            { for target_options }
                            if !scenario.target.is_empty() && !stages.contains(&scenario.target) {
                                <option value={scenario.target.clone()} selected=true>{ scenario.target.clone() }</option>
                            }
                        </select>
                    </label>
                    <label class="sim-check">
                        <input type="checkbox" data-testid="sim-assume-tags" checked={scenario.assume_tags_unchanged} onchange={assume_tags} />
                        { "base image tags did not move" }
                    </label>
                </fieldset>
                <fieldset class="sim-group">
                    <legend>{ "What if I change …" }</legend>
                    <button type="button" class="sim-button" data-testid="sim-record-dockerfile" onclick={record}>
                        { if scenario.previous_dockerfile.is_some() {
                            "Forget the recorded Dockerfile"
                        } else {
                            "Record this Dockerfile as the previous build (then edit it)"
                        } }
                    </button>
                    if scenario.previous_dockerfile.is_some() {
                        <p class="sim-hint">{ "Edits to the Dockerfile since it was recorded count as changes." }</p>
                    }
                    { for bases }
                    <label class="sim-check">
                        <input type="checkbox" data-testid="sim-no-cache" checked={scenario.no_cache} onchange={no_cache} />
                        { "build with --no-cache" }
                    </label>
                    <p class="sim-hint">{ "Per file and per build arg: the choices below." }</p>
                </fieldset>
                <fieldset class="sim-group" ondrop={on_drop} ondragover={on_drag_over} data-testid="sim-context">
                    <legend>{ format!("Build context ({} files)", scenario.files.len()) }</legend>
                    <ul class="sim-files">{ for files }</ul>
                    if let Some(message) = &*rename_error {
                        <p class="alert" role="alert">{ message.clone() }</p>
                    }
                    <div class="sim-actions">
                        <button type="button" class="sim-button" data-testid="sim-add-file" onclick={add_file}>{ "Add a file" }</button>
                        <label class="sim-button">
                            { "Pick a folder…" }
                            <input type="file" class="visually-hidden" data-testid="sim-folder-input"
                                webkitdirectory=true multiple=true onchange={on_folder} />
                        </label>
                        <span class="sim-hint">{ "or drop a folder here" }</span>
                    </div>
                    if let Some(message) = &*folder_message {
                        <p class="sim-hint" data-testid="sim-folder-message">{ message.clone() }</p>
                    }
                    <label class="sim-field sim-block">{ ".dockerignore" }
                        <textarea data-testid="sim-dockerignore" rows="3" spellcheck="false"
                            value={scenario.dockerignore.clone()} onchange={dockerignore} />
                    </label>
                </fieldset>
                <fieldset class="sim-group">
                    <legend>{ "Build args" }</legend>
                    <ul class="sim-args">{ for args }</ul>
                    <button type="button" class="sim-button" data-testid="sim-add-arg" onclick={add_arg}>{ "Add a build arg" }</button>
                </fieldset>
                if let Some(shown) = &state.shown {
                    <Results simulation={shown.simulation.clone()} on_select={props.on_select.clone()} />
                } else if state.error.is_none() {
                    <p class="empty">{ "Starting the simulator…" }</p>
                }
            </div>
        </section>
    }
}
