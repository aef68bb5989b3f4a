//! The image worker. Trunk builds it from /index.html (`data-bin="image_worker"`); the page
//! starts it through public/image_worker_loader.js only when the user opens an image, so none
//! of it is part of the first load. It is the only binary that links `layerlab-image`.
//!
//! For each `open` it reads the posted `File` in slices (never the whole file): first the
//! plan — the layer list, with no layer decompressed — then every layer once, with progress,
//! then the report and the file listing. The layers are scanned by scan workers, copies of
//! this worker that it starts and feeds one layer at a time (`coordinator.rs`); a copy is told
//! by its first message, a `scan`, that it is one. It keeps the analysis of up to two images,
//! for the text viewer (which re-reads one layer up to one entry) and the diff.

mod coordinator;
mod file_source;

use std::cell::RefCell;

use layerlab_image::diff::{self, ImageDiff, Side};
use layerlab_image::entry_content::read_entry_content;
use layerlab_image::inspect::Plan;
use layerlab_image::merge::{Change, Merged};
use layerlab_image::model::LayerEntries;
use layerlab_image::report::{Analysis, Report};
use layerlab_image::scan::LayerScan;
use layerlab_web::image::protocol::{
    self, DiffTotals, EntryText, FileListing, FileRecord, ImageCommand, ImageId, ImageMessage,
    ImageRequest, Mark, PlanView, PlannedLayer, ProblemView, DIFF_ROWS, VIEWER_MAX_BYTES,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use file_source::FileSource;

type Outgoing<'a> = ImageMessage<&'a Report, &'a ImageDiff>;

/// One analysed image.
struct Loaded {
    /// The page's number for this opening of the file.
    open: u32,
    file: File,
    plan: Plan,
    scans: Vec<Option<LayerScan>>,
    analysis: Analysis,
}

thread_local! {
    static IMAGES: RefCell<[Option<Loaded>; 2]> = const { RefCell::new([None, None]) };
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        handle(&reply_to, event.data());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    post(&scope, &Outgoing::Ready);
}

fn handle(scope: &DedicatedWorkerGlobalScope, data: JsValue) {
    match protocol::decode_request(data) {
        Ok(ImageRequest::Open {
            image,
            file,
            verify,
        }) => coordinator::open(image, file, verify),
        Ok(ImageRequest::Scan {
            image,
            job,
            file,
            verify,
        }) => {
            coordinator::scan_for_coordinator(image, job, file, verify);
        }
        Ok(ImageRequest::Command(ImageCommand::ReadEntry {
            image,
            request,
            layer,
            entry,
            path,
        })) => read_entry(scope, image, request, layer, entry, path),
        Ok(ImageRequest::Command(ImageCommand::Diff)) => compare(scope),
        Err(error) => post(
            scope,
            &Outgoing::Failed {
                image: None,
                message: error.to_string(),
            },
        ),
    }
}

fn failed(scope: &DedicatedWorkerGlobalScope, image: Option<ImageId>, message: String) {
    post(scope, &Outgoing::Failed { image, message });
}

fn plan_view(plan: &Plan) -> PlanView {
    PlanView {
        format: serde_name(&plan.format),
        platform: plan.platform().text(),
        layers: plan
            .layers
            .iter()
            .map(|job| PlannedLayer {
                index: job.index as u32,
                digest: job.reference.digest.clone(),
                diff_id: job.diff_id.clone(),
                media_type: job.reference.media_type.clone(),
                compressed_size: job.region.map_or(0.0, |(_, size)| size as f64),
                created_by: job.created_by.clone(),
                same_as: job.same_as.map(|twin| twin as u32),
            })
            .collect(),
        problems: plan
            .problems
            .iter()
            .map(|problem| ProblemView {
                severity: serde_name(&problem.severity),
                message: problem.message.clone(),
            })
            .collect(),
    }
}

/// A unit enum's serde name (`oci-archive`, `error`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    protocol::to_js(value)
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

/// The scan of `layer`, or of the earlier layer with the same blob.
fn scan_of<'a>(plan: &Plan, scans: &'a [Option<LayerScan>], layer: usize) -> Option<&'a LayerScan> {
    let job = plan.layers.get(layer)?;
    scans.get(job.same_as.unwrap_or(layer))?.as_ref()
}

fn mark(merged: &Merged, layer: usize, path: &str) -> Option<Mark> {
    Some(match merged.change(layer, path)? {
        Change::Added => Mark::Added,
        Change::Modified => Mark::Modified,
        Change::Removed => Mark::Removed,
    })
}

/// Every visible path, and every layer's entries plus the paths it removed.
fn listing(plan: &Plan, scans: &[Option<LayerScan>], merged: &Merged) -> FileListing {
    let merged_records = merged
        .nodes()
        .map(|node| FileRecord {
            path: node.path.to_string(),
            kind: node.kind.as_str().to_owned(),
            size: node.resolved_size.unwrap_or(node.size) as f64,
            layer: node.layer as u32,
            entry: node.entry.map(|entry| entry as u32),
            mode: node.mode,
            mark: mark(merged, node.layer, &node.path),
            link: node.link_target.as_deref().map(str::to_owned),
        })
        .collect();
    let layers = (0..plan.layers.len())
        .map(|layer| {
            let mut records: Vec<FileRecord> = scan_of(plan, scans, layer)
                .map(|scan| scan.layer.entries.as_slice())
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(_, entry)| !entry.kind.is_marker())
                .map(|(index, entry)| FileRecord {
                    path: entry.path.to_string(),
                    kind: entry.kind.as_str().to_owned(),
                    size: entry.size as f64,
                    layer: layer as u32,
                    entry: Some(index as u32),
                    mode: entry.mode,
                    mark: mark(merged, layer, &entry.path),
                    link: entry.link_target.as_deref().map(str::to_owned),
                })
                .collect();
            records.extend(
                merged
                    .changed_paths(layer)
                    .into_iter()
                    .filter(|change| change.change == Change::Removed)
                    .map(|change| FileRecord {
                        path: change.path.to_string(),
                        kind: "removed".to_owned(),
                        size: 0.0,
                        layer: layer as u32,
                        entry: None,
                        mode: 0,
                        mark: Some(Mark::Removed),
                        link: None,
                    }),
            );
            records
        })
        .collect();
    FileListing {
        merged: merged_records,
        layers,
    }
}

fn read_entry(
    scope: &DedicatedWorkerGlobalScope,
    image: ImageId,
    request: u32,
    layer: u32,
    entry: u32,
    path: String,
) {
    let result = IMAGES.with(|images| {
        let images = images.borrow();
        let loaded = images[usize::from(image.slot & 1)]
            .as_ref()
            .filter(|loaded| loaded.open == image.open)
            .ok_or_else(|| "that image is no longer open".to_owned())?;
        let source = FileSource::new(loaded.file.clone().into())?;
        read_entry_content(
            &loaded.plan,
            &source,
            layer as usize,
            entry as usize,
            VIEWER_MAX_BYTES as usize,
        )
    });
    match result {
        Ok(content) => {
            let binary = content.bytes.iter().take(8192).any(|&byte| byte == 0);
            let text = if binary {
                String::new()
            } else {
                String::from_utf8_lossy(&content.bytes).into_owned()
            };
            post(
                scope,
                &Outgoing::Content(EntryText {
                    slot: image.slot,
                    request,
                    path,
                    layer,
                    size: content.size as f64,
                    text,
                    truncated: content.truncated,
                    binary,
                }),
            );
        }
        Err(message) => failed(scope, Some(image), format!("cannot show {path}: {message}")),
    }
}

fn compare(scope: &DedicatedWorkerGlobalScope) {
    IMAGES.with(|images| {
        let images = images.borrow();
        let [Some(first), Some(second)] = &*images else {
            return failed(scope, None, "the diff needs two analysed images".to_owned());
        };
        let empty = LayerEntries::default();
        let (a_layers, b_layers) = (layer_entries(first, &empty), layer_entries(second, &empty));
        let a = Side {
            report: &first.analysis.report,
            merged: &first.analysis.merged,
            layers: &a_layers,
        };
        let b = Side {
            report: &second.analysis.report,
            merged: &second.analysis.merged,
            layers: &b_layers,
        };
        let mut result = diff::diff(&a, &b);
        let totals = DiffTotals {
            added: result.added.len(),
            removed: result.removed.len(),
            changed: result.changed.len(),
        };
        result.added.truncate(DIFF_ROWS);
        result.removed.truncate(DIFF_ROWS);
        result.changed.truncate(DIFF_ROWS);
        post(
            scope,
            &Outgoing::Diffed {
                images: [
                    ImageId {
                        slot: 0,
                        open: first.open,
                    },
                    ImageId {
                        slot: 1,
                        open: second.open,
                    },
                ],
                diff: &result,
                totals,
            },
        );
    });
}

/// Each layer's scanned entries (a duplicate layer shares its twin's; a missing one is empty).
fn layer_entries<'a>(loaded: &'a Loaded, empty: &'a LayerEntries) -> Vec<&'a LayerEntries> {
    (0..loaded.plan.layers.len())
        .map(|layer| scan_of(&loaded.plan, &loaded.scans, layer).map_or(empty, |scan| &scan.layer))
        .collect()
}

fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|memory| memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |buffer| f64::from(buffer.byte_length()))
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().map_or(0.0, |p| p.now())
}

fn post(scope: &DedicatedWorkerGlobalScope, message: &Outgoing<'_>) {
    let posted = protocol::to_js(message)
        .map_err(|error| JsValue::from_str(&error.to_string()))
        .and_then(|message| scope.post_message(&message));
    if let Err(error) = posted {
        web_sys::console::error_2(&JsValue::from_str("layerlab image worker:"), &error);
    }
}
