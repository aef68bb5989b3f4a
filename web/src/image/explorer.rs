//! The image explorer view (`#/image`): pick or drop one or two image archives; the analysis
//! runs in the image worker, and the view shows the layer list as soon as the worker has it,
//! a progress bar per layer, then the file tree, the waste, the insights and, for two images,
//! their diff. Every name and content from an archive is rendered as text.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};
use yew::prelude::*;

use super::client::ImageClient;
use super::files::{FileTree, OpenFile, Viewer};
use super::format;
use super::layers::LayerList;
use super::panels::{DiffPanel, InsightsPanel, WastePanel};
use super::protocol::{ImageCommand, ImageId, Slot};
use super::state::{Action, Explorer, ImageState};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

#[component]
pub fn ImageExplorer() -> Html {
    let state = use_reducer(Explorer::default);
    let client = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| {
            ImageClient::new(Callback::from(move |message| {
                dispatch.dispatch(Action::Message(Box::new(message), now()));
            }))
        })
    };
    // The layer the file tree shows (None: the merged filesystem).
    let tree_layer = use_state(|| None::<u32>);
    let dragging = use_state(|| false);
    // Read when an image is opened, also by the drop listener registered once; the state
    // only redraws the checkbox.
    let verify = use_mut_ref(|| true);
    let verify_shown = use_state(|| true);
    // Numbers every file opened (see `ImageId`).
    let opened = use_mut_ref(|| 0u32);

    let open: Callback<(Vec<File>, Slot)> = {
        let client = Rc::clone(&client);
        let dispatch = state.dispatcher();
        let tree_layer = tree_layer.setter();
        let verify = Rc::clone(&verify);
        let opened = Rc::clone(&opened);
        Callback::from(move |(files, first_slot): (Vec<File>, Slot)| {
            let chosen: Vec<(ImageId, File)> = files
                .into_iter()
                .take(2)
                .enumerate()
                .map(|(i, file)| {
                    let mut opened = opened.borrow_mut();
                    *opened = opened.wrapping_add(1);
                    let slot = first_slot.saturating_add(i as Slot).min(1);
                    (
                        ImageId {
                            slot,
                            open: *opened,
                        },
                        file,
                    )
                })
                .collect();
            if chosen.is_empty() {
                return;
            }
            if first_slot == 0 {
                tree_layer.set(None);
            }
            dispatch.dispatch(Action::Opened {
                files: chosen
                    .iter()
                    .map(|(image, file)| (*image, file.name(), file.size()))
                    .collect(),
                at: now(),
            });
            let verify = *verify.borrow();
            for (image, file) in &chosen {
                client.open(*image, file, verify);
            }
        })
    };

    // Drop anywhere on the page while the explorer is shown.
    {
        let open = open.clone();
        let dragging = dragging.setter();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let set_dragging = dragging.clone();
            let on_dragover = Closure::<dyn Fn(DragEvent)>::new(move |event: DragEvent| {
                event.prevent_default();
                set_dragging.set(true);
            });
            let set_dragging = dragging.clone();
            let on_dragleave = Closure::<dyn Fn(DragEvent)>::new(move |event: DragEvent| {
                // Leaving the window, not moving between elements.
                if event.related_target().is_none() {
                    set_dragging.set(false);
                }
            });
            let on_drop = Closure::<dyn Fn(DragEvent)>::new(move |event: DragEvent| {
                event.prevent_default();
                dragging.set(false);
                let files = files_of(event.data_transfer().and_then(|d| d.files()));
                open.emit((files, 0));
            });
            let listeners: [(&str, &js_sys::Function); 3] = [
                ("dragover", on_dragover.as_ref().unchecked_ref()),
                ("dragleave", on_dragleave.as_ref().unchecked_ref()),
                ("drop", on_drop.as_ref().unchecked_ref()),
            ];
            if let Some(window) = &window {
                for (name, listener) in listeners {
                    let _ = window.add_event_listener_with_callback(name, listener);
                }
            }
            move || {
                if let Some(window) = window {
                    let listeners: [(&str, &js_sys::Function); 3] = [
                        ("dragover", on_dragover.as_ref().unchecked_ref()),
                        ("dragleave", on_dragleave.as_ref().unchecked_ref()),
                        ("drop", on_drop.as_ref().unchecked_ref()),
                    ];
                    for (name, listener) in listeners {
                        let _ = window.remove_event_listener_with_callback(name, listener);
                    }
                }
            }
        });
    }

    // Two analysed images: ask for their diff once.
    {
        let client = Rc::clone(&client);
        let dispatch = state.dispatcher();
        let wants = state.wants_diff();
        use_effect_with(wants, move |wants| {
            if *wants {
                dispatch.dispatch(Action::DiffRequested);
                client.send(&ImageCommand::Diff);
            }
        });
    }

    let on_pick = |first_slot: Slot| {
        let open = open.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            open.emit((files_of(input.files()), first_slot));
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };

    let on_open_file = {
        let client = Rc::clone(&client);
        let dispatch = state.dispatcher();
        let request = state.next_request;
        let explored = state.images[0].as_ref().map(|image| ImageId {
            slot: 0,
            open: image.open,
        });
        Callback::from(move |file: OpenFile| {
            let Some(image) = explored else {
                return;
            };
            dispatch.dispatch(Action::ViewerRequested {
                request,
                path: file.path.clone(),
            });
            client.send(&ImageCommand::ReadEntry {
                image,
                request,
                layer: file.layer,
                entry: file.entry,
                path: file.path,
            });
        })
    };
    let on_close_viewer = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ViewerClosed))
    };
    let on_verify = {
        let verify = Rc::clone(&verify);
        let verify_shown = verify_shown.setter();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                *verify.borrow_mut() = input.checked();
                verify_shown.set(input.checked());
            }
        })
    };
    let on_select_layer = {
        let tree_layer = tree_layer.clone();
        Callback::from(move |layer: Option<u32>| tree_layer.set(layer))
    };

    let first = state.images[0].as_ref();
    let has_first = first.is_some_and(|image| image.report.is_some());

    html! {
        <main class={classes!("image-explorer", dragging.then_some("dragging"))} data-testid="image-explorer">
            <section class="image-open" aria-label="Open images">
                <label class="image-pick">
                    <span>{ "Image archive(s)" }</span>
                    <input type="file" multiple=true data-testid="image-input"
                        accept=".tar,.tar.gz,.tgz,.tar.zst,application/x-tar,application/gzip"
                        onchange={on_pick(0)} />
                </label>
                <label class={classes!("image-pick", (!has_first).then_some("disabled"))}>
                    <span>{ "Compare with" }</span>
                    <input type="file" data-testid="image-compare-input" disabled={!has_first}
                        accept=".tar,.tar.gz,.tgz,.tar.zst,application/x-tar,application/gzip"
                        onchange={on_pick(1)} />
                </label>
                <label class="image-verify" title="SHA-256 of every byte: the slowest part of a scan. \
                    Off, digests show as unchecked.">
                    <input type="checkbox" data-testid="verify-digests" checked={*verify_shown}
                        onchange={on_verify} />
                    { "Verify digests" }
                </label>
                <p class="hint">
                    { "Or drop one or two docker save / OCI archives anywhere on the page. \
                       They are read here, in your browser, and never uploaded." }
                </p>
            </section>
            if let Some(error) = &state.error {
                <p class="alert" role="alert">{ error.clone() }</p>
            }
            if first.is_none() {
                <p class="empty">{ "No image opened yet." }</p>
            }
            { for state.images.iter().enumerate().filter_map(|(slot, image)| {
                image.as_ref().map(|image| html! {
                    <ImageSummary slot={slot as u8} image={image.clone()} />
                })
            }) }
            if let Some(image) = first {
                <div class="image-grid">
                    if let Some(plan) = &image.plan {
                        <LayerList plan={Rc::clone(plan)} report={image.report.clone()}
                            progress={image.progress.clone()} selected={*tree_layer}
                            on_select={on_select_layer.clone()} />
                    }
                    if let Some(files) = &image.files {
                        <FileTree files={files.clone()} layer={*tree_layer}
                            on_select_layer={on_select_layer} on_open={on_open_file} />
                    }
                    if state.viewer.is_some() || state.viewer_waiting.is_some() {
                        <Viewer content={state.viewer.clone()}
                            waiting={state.viewer_waiting.as_ref().map(|(_, path)| path.clone())}
                            on_close={on_close_viewer} />
                    }
                    if let Some(report) = &image.report {
                        <WastePanel report={Rc::clone(report)} />
                        <InsightsPanel report={Rc::clone(report)} />
                    }
                    if let Some(diff) = &state.diff {
                        <DiffPanel diff={Rc::clone(diff)}
                            first={image.name.clone()}
                            second={state.images[1].as_ref().map(|i| i.name.clone()).unwrap_or_default()} />
                    }
                </div>
            }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ImageSummaryProps {
    slot: Slot,
    image: ImageState,
}

/// The image's name, format and platform, its timings, and where it stands.
#[component]
fn ImageSummary(props: &ImageSummaryProps) -> Html {
    let image = &props.image;
    let role = if props.slot == 0 {
        "Image"
    } else {
        "Compared with"
    };
    let state = if image.error.is_some() {
        "failed"
    } else if image.report.is_some() {
        "done"
    } else if image.plan.is_some() {
        "scanning"
    } else {
        "indexing"
    };
    html! {
        <section class="image-summary" data-testid="image-summary" data-slot={props.slot.to_string()}
            data-state={state} aria-label={role}>
            <h2 class="panel-title">{ role }{ ": " }<span class="image-name">{ image.name.clone() }</span></h2>
            <p class="facts">
                <span>{ format::bytes(image.file_size) }</span>
                if let Some(plan) = &image.plan {
                    <span>{ plan.format.clone() }</span>
                    <span>{ plan.platform.clone() }</span>
                    <span>{ format!("{} layers", plan.layers.len()) }</span>
                }
                if let Some(report) = &image.report {
                    if let Some(id) = &report.config_digest {
                        <span title={id.clone()}>{ "ID " }{ format::short_digest(id) }</span>
                    }
                    <span>{ format!("config {}", report.verified.config.as_str()) }</span>
                    <span>{ format!("manifest {}", report.verified.manifest.as_str()) }</span>
                }
            </p>
            <p class="timings">
                if let (Some(shown), Some(worker)) = (image.plan_shown_ms, image.plan_worker_ms) {
                    <span data-testid="plan-time" data-ms={format!("{shown:.1}")} data-worker-ms={format!("{worker:.1}")}>
                        { format!("layer list after {shown:.0} ms (indexing {worker:.1} ms)") }
                    </span>
                }
                if image.report.is_some() {
                    <span data-testid="scan-speed" data-ms={format!("{:.1}", image.scan_ms)}
                        data-tar-bytes={format!("{:.0}", image.tar_bytes)}
                        data-memory-bytes={format!("{:.0}", image.memory_bytes)}
                        data-scan-worker-memory-bytes={format!("{:.0}", image.scan_worker_memory_bytes)}
                        data-workers={image.workers.to_string()}>
                        { format!("scanned {} of tar in {:.0} ms ({}) by {}; worker memory {}{}",
                            format::bytes(image.tar_bytes), image.scan_ms,
                            speed(image.tar_bytes, image.scan_ms), workers(image.workers),
                            format::bytes(image.memory_bytes),
                            if image.scan_worker_memory_bytes > 0.0 {
                                format!(", each scan worker up to {}", format::bytes(image.scan_worker_memory_bytes))
                            } else {
                                String::new()
                            }) }
                    </span>
                } else if image.error.is_none() {
                    <span class="busy" role="status">{ if image.plan.is_some() { "Reading layers…" } else { "Indexing…" } }</span>
                }
            </p>
            if let Some(error) = &image.error {
                <p class="alert" role="alert">{ error.clone() }</p>
            }
        </section>
    }
}

fn workers(count: u32) -> String {
    if count == 1 {
        "1 worker".to_owned()
    } else {
        format!("{count} workers")
    }
}

fn speed(bytes: f64, ms: f64) -> String {
    if ms > 0.0 {
        format!("{}/s", format::bytes(bytes / ms * 1000.0))
    } else {
        "—".to_owned()
    }
}
