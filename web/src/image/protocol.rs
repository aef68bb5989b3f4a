//! The messages between the page and the image worker (web/src/bin/image_worker), and how
//! they cross `postMessage`.
//!
//! Page → worker: [`encode_open`] (a `File` cannot go through serde, so that message is a
//! plain object built by hand) and [`ImageCommand`]s. Worker → page: [`ImageMessage`]. The
//! worker serialises the core's own `Report` and `ImageDiff` into it; the page reads them into
//! the mirrors below, which keep only what the explorer shows (`tests::report_contract`
//! checks that the two agree).
//!
//! Between the image worker and its scan workers (copies of itself, see
//! `super::scan_pool`): [`encode_scan`] (the `File` and one layer), answered by `Ready` and
//! `Progress` messages as above and [`encode_scanned`] (the `LayerScan`'s bytes in a
//! transferred `ArrayBuffer`), read with [`decode_helper_reply`].

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub use super::scan_pool::ScanJob;

/// The image worker's loader script (public/image_worker_loader.js). The worker is started
/// only when the user opens an image, so none of its files are part of the first load.
pub const IMAGE_WORKER_URL: &str = "./image_worker_loader.js";

/// Bytes of a file the text viewer shows at most.
pub const VIEWER_MAX_BYTES: u32 = 64 * 1024;

/// Which of the two images a message is about: 0 is the image explored, 1 the one it is
/// compared with.
pub type Slot = u8;

/// One opening of a file in a slot. The page numbers every file it opens, and the worker
/// names that number in everything it says about the image, so that what is still on its
/// way about an image the page has since replaced is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageId {
    pub slot: Slot,
    pub open: u32,
}

/// Page → worker, besides `open`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageCommand {
    /// Read the start of one entry of one layer for the text viewer.
    ReadEntry {
        image: ImageId,
        request: u32,
        layer: u32,
        entry: u32,
        path: String,
    },
    /// Compare the two analysed images.
    Diff,
}

/// The `open` message: analyse `file` as `image`, hashing every byte to verify the digests
/// when `verify` (off, a scan is several times faster: SHA-256 is most of its work in wasm).
pub fn encode_open(
    image: ImageId,
    file: &web_sys::File,
    verify: bool,
) -> Result<JsValue, ProtocolError> {
    let message = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        js_sys::Reflect::set(&message, &JsValue::from_str(key), value)
            .map(|_| ())
            .map_err(|_| ProtocolError("cannot build the open message".to_owned()))
    };
    set("kind", &JsValue::from_str("open"))?;
    set("slot", &JsValue::from(image.slot))?;
    set("open", &JsValue::from(image.open))?;
    set("file", file.as_ref())?;
    set("verify", &JsValue::from_bool(verify))?;
    Ok(message.into())
}

/// Image worker → scan worker: scan `job` of `file`, posting progress as `image`.
pub fn encode_scan(
    image: ImageId,
    job: &ScanJob,
    file: &web_sys::File,
    verify: bool,
) -> Result<JsValue, ProtocolError> {
    let message = js_sys::Object::new();
    set(&message, "kind", &JsValue::from_str("scan"))?;
    set(&message, "slot", &JsValue::from(image.slot))?;
    set(&message, "open", &JsValue::from(image.open))?;
    set(&message, "file", file.as_ref())?;
    set(&message, "layer", &JsValue::from(job.layer as f64))?;
    set(&message, "offset", &JsValue::from(job.offset as f64))?;
    set(&message, "size", &JsValue::from(job.size as f64))?;
    set(&message, "verify", &JsValue::from_bool(verify))?;
    Ok(message.into())
}

/// Scan worker → image worker: the encoded `LayerScan` of `layer`. Returns the message and
/// the list of objects to transfer with it (its buffer: moved, not copied).
/// `memory_bytes`: the scan worker's wasm memory, for the summary.
pub fn encode_scanned(
    layer: usize,
    bytes: &[u8],
    memory_bytes: f64,
) -> Result<(JsValue, js_sys::Array), ProtocolError> {
    let array = js_sys::Uint8Array::from(bytes);
    let buffer = array.buffer();
    let message = js_sys::Object::new();
    set(&message, "kind", &JsValue::from_str("scanned"))?;
    set(&message, "layer", &JsValue::from(layer as f64))?;
    set(&message, "bytes", &buffer)?;
    set(&message, "memory", &JsValue::from(memory_bytes))?;
    Ok((message.into(), js_sys::Array::of1(&buffer)))
}

/// What a scan worker said.
#[derive(Debug, PartialEq)]
pub enum HelperReply {
    /// It listens (the worker's `Ready`).
    Ready,
    /// Progress of its layer: an [`ImageMessage::Progress`], passed on to the page as it is.
    Progress,
    Scanned {
        layer: usize,
        bytes: Vec<u8>,
        /// Its wasm memory after the scan (0 when it did not say).
        memory_bytes: f64,
    },
    Failed {
        message: String,
    },
    /// Anything else (a message this build does not know).
    Unknown,
}

pub fn decode_helper_reply(data: &JsValue) -> HelperReply {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    match get("kind").and_then(|kind| kind.as_string()).as_deref() {
        Some("ready") => HelperReply::Ready,
        Some("progress") => HelperReply::Progress,
        Some("failed") => HelperReply::Failed {
            message: get("message")
                .and_then(|message| message.as_string())
                .unwrap_or_default(),
        },
        Some("scanned") => {
            let layer = get("layer").and_then(|layer| layer.as_f64());
            let buffer =
                get("bytes").and_then(|bytes| bytes.dyn_into::<js_sys::ArrayBuffer>().ok());
            match (layer, buffer) {
                (Some(layer), Some(buffer)) if layer >= 0.0 && layer.fract() == 0.0 => {
                    HelperReply::Scanned {
                        layer: layer as usize,
                        bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
                        memory_bytes: get("memory")
                            .and_then(|memory| memory.as_f64())
                            .unwrap_or(0.0),
                    }
                }
                _ => HelperReply::Failed {
                    message: "a scan came back without its layer or bytes".to_owned(),
                },
            }
        }
        _ => HelperReply::Unknown,
    }
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), ProtocolError> {
    js_sys::Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| ProtocolError(format!("cannot build a message ({key})")))
}

/// What the worker was asked.
pub enum ImageRequest {
    Open {
        image: ImageId,
        file: web_sys::File,
        verify: bool,
    },
    /// Only scan workers get this (from the image worker that started them).
    Scan {
        image: ImageId,
        job: ScanJob,
        file: web_sys::File,
        verify: bool,
    },
    Command(ImageCommand),
}

pub fn decode_request(data: JsValue) -> Result<ImageRequest, ProtocolError> {
    let get = |key: &str| js_sys::Reflect::get(&data, &JsValue::from_str(key)).ok();
    let kind = get("kind")
        .and_then(|kind| kind.as_string())
        .unwrap_or_default();
    if kind != "open" && kind != "scan" {
        return serde_wasm_bindgen::from_value(data)
            .map(ImageRequest::Command)
            .map_err(|error| ProtocolError(format!("unreadable request: {error}")));
    }
    // `open` and `scan` carry a `File`, so they are plain objects read field by field.
    let number = |key: &str| {
        get(key)
            .and_then(|value| value.as_f64())
            .filter(|value| *value >= 0.0 && value.fract() == 0.0)
            .ok_or_else(|| ProtocolError(format!("{kind}: no {key}")))
    };
    let slot = number("slot")?;
    let open = number("open")?;
    if slot > 1.0 || open > f64::from(u32::MAX) {
        return Err(ProtocolError(format!(
            "{kind}: slot must be 0 or 1 and open a u32"
        )));
    }
    let image = ImageId {
        slot: slot as Slot,
        open: open as u32,
    };
    let file = get("file")
        .and_then(|file| file.dyn_into::<web_sys::File>().ok())
        .ok_or_else(|| ProtocolError(format!("{kind}: no file")))?;
    // Verifying is the default: only an explicit `false` turns it off.
    let verify = get("verify")
        .and_then(|verify| verify.as_bool())
        .unwrap_or(true);
    if kind == "open" {
        return Ok(ImageRequest::Open {
            image,
            file,
            verify,
        });
    }
    Ok(ImageRequest::Scan {
        image,
        job: ScanJob {
            layer: number("layer")? as usize,
            offset: number("offset")? as u64,
            size: number("size")? as u64,
        },
        file,
        verify,
    })
}

pub fn encode_command(command: &ImageCommand) -> Result<JsValue, ProtocolError> {
    to_js(command)
}

/// Worker → page. `R` and `D` are the report and diff: the core's types in the worker, the
/// mirrors below on the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageMessage<R = ReportView, D = DiffView> {
    /// The worker listens; messages sent before this were queued by the browser.
    Ready,
    /// The layer list, before any layer is decompressed.
    Planned {
        image: ImageId,
        plan: PlanView,
        /// Time to index the archive and read its JSON, inside the worker.
        elapsed_ms: f64,
    },
    /// Compressed bytes of one layer read so far.
    Progress {
        image: ImageId,
        layer: u32,
        done: f64,
        total: f64,
    },
    Analyzed {
        image: ImageId,
        report: R,
        files: FileListing,
        /// Time spent scanning layers, and the uncompressed tar bytes scanned.
        scan_ms: f64,
        tar_bytes: f64,
        /// The image worker's wasm memory after the analysis (it only grows), and the most any
        /// of its scan workers used (0 without scan workers; they stop when the scan is done).
        memory_bytes: f64,
        scan_worker_memory_bytes: f64,
        /// Workers that scanned layers: the image worker's scan workers, and the image worker
        /// itself when it scanned any (1 when it scanned them all).
        workers: u32,
    },
    Content(EntryText),
    Diffed {
        /// The two images compared.
        images: [ImageId; 2],
        diff: D,
        /// Full lengths of the lists, which are cut to [`DIFF_ROWS`] rows.
        totals: DiffTotals,
    },
    /// Something could not be done; `image` names the image when it is about one.
    Failed {
        image: Option<ImageId>,
        message: String,
    },
}

/// Rows of each diff list the worker sends.
pub const DIFF_ROWS: usize = 2_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffTotals {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// The start of a file inside the image, for the text viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryText {
    pub slot: Slot,
    pub request: u32,
    pub path: String,
    pub layer: u32,
    /// The file's size in the layer.
    pub size: f64,
    /// The bytes read, decoded as UTF-8 (invalid sequences replaced); empty for binaries.
    pub text: String,
    pub truncated: bool,
    /// A NUL byte in what was read: not shown as text.
    pub binary: bool,
}

/// The layer list, known before any layer is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub format: String,
    pub platform: String,
    pub layers: Vec<PlannedLayer>,
    pub problems: Vec<ProblemView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedLayer {
    pub index: u32,
    /// The blob digest the manifest claims.
    pub digest: Option<String>,
    pub diff_id: Option<String>,
    pub media_type: Option<String>,
    /// The blob's bytes in the archive.
    pub compressed_size: f64,
    pub created_by: Option<String>,
    /// An earlier layer with the same blob (scanned once).
    pub same_as: Option<u32>,
}

/// What the explorer shows of `layerlab_image::report::Report`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ReportView {
    pub format: String,
    pub platform: String,
    #[serde(default)]
    pub repo_tags: Vec<String>,
    pub config_digest: Option<String>,
    pub manifest_digest: Option<String>,
    pub verified: ManifestChecks,
    pub layers: Vec<LayerView>,
    pub merged: MergedView,
    pub reclaimable_bytes: f64,
    pub waste_top: Vec<PathWasteView>,
    pub largest_files: Vec<LargeFileView>,
    pub dive: DiveView,
    pub packages: Vec<PackageView>,
    pub findings: Vec<FindingView>,
    pub problems: Vec<ProblemView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Ok,
    Mismatch,
    Unchecked,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Ok => "ok",
            Check::Mismatch => "mismatch",
            Check::Unchecked => "unchecked",
        }
    }

    /// Two checks of one thing as one status: any mismatch wins, then any unchecked.
    pub fn both(self, other: Check) -> Check {
        match (self, other) {
            (Check::Mismatch, _) | (_, Check::Mismatch) => Check::Mismatch,
            (Check::Ok, Check::Ok) => Check::Ok,
            _ => Check::Unchecked,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ManifestChecks {
    pub config: Check,
    pub manifest: Check,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LayerChecks {
    pub digest: Check,
    pub diff_id: Check,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LayerView {
    pub index: u32,
    pub digest: Option<String>,
    pub diff_id: Option<String>,
    pub compression: Option<String>,
    pub compressed_size: f64,
    pub size: f64,
    pub entries: u64,
    pub added: u64,
    pub modified: u64,
    pub removed: u64,
    pub created_by: Option<String>,
    pub verified: LayerChecks,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MergedView {
    pub entries: u64,
    pub files: u64,
    pub bytes: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PathWasteView {
    pub path: String,
    pub bytes: f64,
    pub versions: u64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LargeFileView {
    pub path: String,
    pub size: f64,
    pub layer: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DiveView {
    pub efficiency: f64,
    pub wasted_bytes: f64,
    pub user_wasted_percent: Option<f64>,
    pub size_bytes: f64,
    pub user_size_bytes: f64,
    pub inefficiencies: Vec<InefficiencyView>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct InefficiencyView {
    pub path: String,
    pub count: u64,
    pub cumulative_size: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PackageView {
    pub manager: String,
    pub name: String,
    pub version: Option<String>,
    pub layer: u32,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FindingView {
    pub kind: String,
    pub path: String,
    pub layer: u32,
    pub detail: String,
    pub visible: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    pub severity: String,
    pub message: String,
}

/// Every path of the merged filesystem and of each layer, for the file tree.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileListing {
    pub merged: Vec<FileRecord>,
    pub layers: Vec<Vec<FileRecord>>,
}

/// One path of the merged tree or of one layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    /// `file`, `dir`, `symlink`, `hardlink`, `char`, `block`, `fifo`, `other`, or `removed`
    /// for a path a layer deleted.
    pub kind: String,
    pub size: f64,
    /// The layer that wrote it.
    pub layer: u32,
    /// Its position among that layer's entries (for the viewer); None for implicit
    /// directories and removals.
    pub entry: Option<u32>,
    pub mode: u32,
    /// What the layer that wrote it did to the path.
    pub mark: Option<Mark>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// How a layer changed a path (the core's `merge::Change`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Added,
    Modified,
    Removed,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Modified => "modified",
            Mark::Removed => "removed",
        }
    }
}

/// What the explorer shows of `layerlab_image::diff::ImageDiff`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DiffView {
    pub shared_layers: Vec<String>,
    pub only_in_first: Vec<String>,
    pub only_in_second: Vec<String>,
    pub added: Vec<FileDiffView>,
    pub removed: Vec<FileDiffView>,
    pub changed: Vec<FileDiffView>,
    pub size_delta: f64,
    pub compressed_delta: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FileDiffView {
    pub path: String,
    pub before: Option<FileStateView>,
    pub after: Option<FileStateView>,
    #[serde(default)]
    pub what: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FileStateView {
    pub kind: String,
    pub size: f64,
    pub layer: u32,
}

pub fn decode_message(data: JsValue) -> Result<ImageMessage, ProtocolError> {
    serde_wasm_bindgen::from_value(data).map_err(|error| {
        ProtocolError(format!("unreadable message from the image worker: {error}"))
    })
}

/// Plain JS objects and arrays (no `Map`s), numbers as numbers.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ProtocolError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| ProtocolError(format!("cannot encode a message: {error}")))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
