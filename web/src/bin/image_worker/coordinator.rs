//! Opening an image: the plan, then the layer scans spread over scan workers, then the report.
//!
//! The image worker coordinates. After posting the plan it starts up to
//! [`scan_pool::MAX_SCAN_WORKERS`] scan workers — the same script started again (its own
//! `location`: `image_worker_loader.js` on the site, the Blob URL it was started from in the
//! single-file build), so nothing more is downloaded — and hands each one layer at a time,
//! largest first ([`Schedule`]). A scan worker reads the `File` itself (the structured clone of
//! a `File` is a handle, not a copy), posts progress, which is passed on to the page as is, and
//! returns the `LayerScan` encoded as bytes in a transferred `ArrayBuffer`.
//!
//! Nothing can hang or lose a layer: a scan worker that cannot be started (`new Worker`
//! throws, or it errors or stays silent before its first message), crashes, or returns
//! something unreadable gives its layer back, and the coordinator scans it itself — all of
//! them when no scan worker is left. Archives that must be read front to back (an outer
//! `.tar.gz`) are scanned here, one layer after another, as before.
//!
//! One image is scanned at a time: an image opened meanwhile waits its turn, and a new image
//! for a slot drops the one being read there (a new first image drops both).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use layerlab_image::inspect::{self, Plan};
use layerlab_image::report;
use layerlab_image::scan::{LayerScan, ScanOptions};
use layerlab_web::image::protocol::{self, HelperReply, ImageId, ScanJob};
use layerlab_web::image::scan_pool::{scan_worker_count, Schedule};
use layerlab_web::worker_handle::describe;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, Event, File, MessageEvent, Worker};

use super::file_source::FileSource;
use super::{failed, listing, now, plan_view, post, wasm_memory_bytes, Loaded, Outgoing, IMAGES};

/// Progress is posted at most once per this many compressed bytes of a layer.
const PROGRESS_STEP: u64 = 4 << 20;

/// Layers smaller than this in all are scanned here: starting scan workers takes 100–200 ms,
/// about what scanning 16 MiB takes with every digest verified.
const PARALLEL_MIN_BYTES: u64 = 16 << 20;

/// A scan worker that has not said it listens after this long is given up on (its layers are
/// scanned by the others, or here). Starting one takes well under a second.
const START_TIMEOUT_MS: i32 = 20_000;

/// How every layer is scanned, here and in scan workers: fingerprints let the diff tell
/// rebuilt-but-identical files from changed ones; `verify` is the page's choice.
pub fn scan_options(verify: bool) -> ScanOptions {
    ScanOptions {
        verify,
        content_hashes: true,
        ..ScanOptions::default()
    }
}

/// Whether progress at `done` of `total` bytes is worth a message after `last` was posted.
pub fn progress_due(last: &mut u64, done: u64, total: u64) -> bool {
    if done >= last.saturating_add(PROGRESS_STEP) || (done >= total && *last < total) {
        *last = done;
        true
    } else {
        false
    }
}

/// One image being scanned by scan workers.
struct Session {
    id: u32,
    image: ImageId,
    file: File,
    verify: bool,
    source: FileSource,
    plan: Plan,
    scans: Vec<Option<LayerScan>>,
    schedule: Schedule,
    /// The scan workers, by the schedule's numbering (None once stopped).
    helpers: Vec<Option<Worker>>,
    /// Progress posted for the layers scanned here.
    last_posted: Vec<u64>,
    /// The most wasm memory a scan worker reported.
    scan_worker_memory: f64,
    scan_started: f64,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// Images opened while another was being scanned, in order.
    static WAITING: RefCell<VecDeque<Opened>> = const { RefCell::new(VecDeque::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// The scan workers' event handlers: made once, shared by every scan worker (the worker
    /// an event is about is its target), and never dropped.
    static HANDLERS: Handlers = Handlers::new();
}

struct Handlers {
    message: Closure<dyn FnMut(MessageEvent)>,
    error: Closure<dyn FnMut(Event)>,
    /// setTimeout's callback, given `session id * 8 + scan worker`.
    start_timeout: Closure<dyn FnMut(JsValue)>,
}

impl Handlers {
    fn new() -> Handlers {
        Handlers {
            message: Closure::new(|event: MessageEvent| on_helper_message(&event)),
            error: Closure::new(|event: Event| {
                // Handled: the layer is scanned elsewhere, not reported as an uncaught error.
                event.prevent_default();
                let message = event
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map_or_else(|| event.type_(), |error| error.message());
                on_helper_event(event.target().map(JsValue::from), |session, helper| {
                    session.fail(helper, &message);
                });
            }),
            start_timeout: Closure::new(|key: JsValue| {
                let key = key.as_f64().unwrap_or(-1.0);
                if key < 0.0 {
                    return;
                }
                let (id, helper) = ((key as u64 / 8) as u32, (key as u64 % 8) as usize);
                let finished = SESSION.with(|cell| {
                    let mut guard = cell.borrow_mut();
                    let session = guard.as_mut().filter(|session| session.id == id)?;
                    if !session.schedule.starting(helper) {
                        return None;
                    }
                    session.fail(helper, "it did not start");
                    Some(session.settle())
                });
                if finished == Some(true) {
                    finish_session();
                }
            }),
        }
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// An image the page asked for.
struct Opened {
    image: ImageId,
    file: File,
    verify: bool,
}

/// Analyses `file` as `image` (the page's `open`).
pub fn open(image: ImageId, file: File, verify: bool) {
    let slot = image.slot;
    WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        if slot == 0 {
            waiting.clear();
        } else {
            waiting.retain(|opened| opened.image.slot != slot);
        }
    });
    let running = SESSION.with(|cell| cell.borrow().as_ref().map(|session| session.image.slot));
    match running {
        Some(running) if slot == 0 || running == slot => {
            if let Some(mut session) = SESSION.with(|cell| cell.borrow_mut().take()) {
                session.stop_helpers();
            }
        }
        Some(_) => {
            WAITING.with(|waiting| {
                waiting.borrow_mut().push_back(Opened {
                    image,
                    file,
                    verify,
                })
            });
            return;
        }
        None => {}
    }
    run(Opened {
        image,
        file,
        verify,
    });
}

/// Starts `file`, then each waiting image that can be done at once, until one is left
/// running with scan workers (its last event starts the next).
fn run(opened: Opened) {
    let mut next = Some(opened);
    while let Some(opened) = next {
        if start(opened) {
            return;
        }
        next = WAITING.with(|waiting| waiting.borrow_mut().pop_front());
    }
}

/// Plans `file` and starts its scan; true when scan workers are still at it.
fn start(
    Opened {
        image,
        file,
        verify,
    }: Opened,
) -> bool {
    let scope = scope();
    // A new image replaces the old one in its slot; free it before reading the new one.
    IMAGES.with(|images| images.borrow_mut()[usize::from(image.slot & 1)] = None);
    let source = match FileSource::new(file.clone().into()) {
        Ok(source) => source,
        Err(error) => {
            failed(
                &scope,
                Some(image),
                format!("cannot read the file: {error}"),
            );
            return false;
        }
    };
    let started = now(&scope);
    let plan = match inspect::plan(&source, None) {
        Ok(plan) => plan,
        Err(error) => {
            failed(&scope, Some(image), error.to_string());
            return false;
        }
    };
    post(
        &scope,
        &Outgoing::Planned {
            image,
            plan: plan_view(&plan),
            elapsed_ms: now(&scope) - started,
        },
    );

    let scan_started = now(&scope);
    let jobs: Vec<ScanJob> = plan
        .jobs_to_scan()
        .filter_map(|job| {
            job.region.map(|(offset, size)| ScanJob {
                layer: job.index,
                offset,
                size,
            })
        })
        .collect();
    let bytes_to_scan: u64 = jobs.iter().map(|job| job.size).sum();
    if !plan.archive.is_random_access() || bytes_to_scan < PARALLEL_MIN_BYTES {
        // Read front to back, or too little to be worth starting scan workers (or nothing to
        // read): here, one layer after another.
        let mut last_posted = vec![0; plan.layers.len()];
        let mut progress = |layer: usize, done: u64, total: u64| {
            if let Some(last) = last_posted.get_mut(layer) {
                if progress_due(last, done, total) {
                    post_progress(&scope, image, layer, done, total);
                }
            }
        };
        let scans = plan.scan(&source, &scan_options(verify), &mut progress);
        let stats = ScanStats {
            ms: now(&scope) - scan_started,
            workers: 1,
            scan_worker_memory: 0.0,
        };
        complete(image, file, plan, scans, stats);
        return false;
    }

    let count = scan_worker_count(scope.navigator().hardware_concurrency(), jobs.len());
    let id = NEXT_ID.with(|next| {
        let id = next.get();
        // Timer keys are `id * 8 + helper` in an f64: exact, as a u32 id is far below 2^50.
        next.set(id.checked_add(1).unwrap_or(1));
        id
    });
    let mut session = Session {
        id,
        image,
        file,
        verify,
        source,
        scans: vec![None; plan.layers.len()],
        last_posted: vec![0; plan.layers.len()],
        scan_worker_memory: 0.0,
        plan,
        schedule: Schedule::new(jobs, count),
        helpers: Vec::with_capacity(count),
        scan_started,
    };
    let url = own_script_url(&scope);
    for helper in 0..count {
        match start_helper(&url, id, helper) {
            Ok(worker) => session.helpers.push(Some(worker)),
            Err(error) => {
                session.helpers.push(None);
                session.fail(helper, &error);
            }
        }
    }
    if session.settle() {
        session.complete();
        return false;
    }
    SESSION.with(|cell| *cell.borrow_mut() = Some(session));
    true
}

/// Where this worker's own script is, to start copies of it: its `location`, except in the
/// single-file build, where the page hands each worker its script as a Blob
/// (`self.layerlabScript`, xtask/src/single_file.rs) because the page's Blob URL cannot start
/// a worker from inside a worker of a `file://` page; a Blob URL made here can.
fn own_script_url(scope: &DedicatedWorkerGlobalScope) -> String {
    thread_local! {
        static MADE: RefCell<Option<String>> = const { RefCell::new(None) };
    }
    if let Some(url) = MADE.with(|made| made.borrow().clone()) {
        return url;
    }
    let script = js_sys::Reflect::get(scope, &JsValue::from_str("layerlabScript"))
        .ok()
        .and_then(|script| script.dyn_into::<web_sys::Blob>().ok());
    match script.map(|blob| web_sys::Url::create_object_url_with_blob(&blob)) {
        Some(Ok(url)) => {
            MADE.with(|made| *made.borrow_mut() = Some(url.clone()));
            url
        }
        _ => scope.location().href(),
    }
}

/// Starts scan worker `helper` of session `id`; it says `ready` when it listens.
fn start_helper(url: &str, id: u32, helper: usize) -> Result<Worker, String> {
    let worker = Worker::new(url).map_err(|error| describe(&error))?;
    HANDLERS
        .with(|handlers| {
            worker.set_onmessage(Some(handlers.message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(handlers.error.as_ref().unchecked_ref()));
            worker.set_onmessageerror(Some(handlers.error.as_ref().unchecked_ref()));
            let key = JsValue::from(f64::from(id) * 8.0 + helper as f64);
            scope()
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    handlers.start_timeout.as_ref().unchecked_ref(),
                    START_TIMEOUT_MS,
                    &key,
                )
                .map(|_| ())
        })
        .map_err(|error| {
            worker.terminate();
            describe(&error)
        })?;
    Ok(worker)
}

fn on_helper_message(event: &MessageEvent) {
    let data = event.data();
    let scope = scope();
    on_helper_event(event.target().map(JsValue::from), |session, helper| {
        match protocol::decode_helper_reply(&data) {
            HelperReply::Ready => session.schedule.ready(helper),
            HelperReply::Progress => {
                if let Err(error) = scope.post_message(&data) {
                    web_sys::console::warn_1(&error);
                }
            }
            HelperReply::Scanned {
                layer,
                bytes,
                memory_bytes,
            } => match LayerScan::decode(&bytes) {
                Ok(scan) if session.schedule.returned(helper, layer) => {
                    session.scan_worker_memory = session.scan_worker_memory.max(memory_bytes);
                    if let Some(slot) = session.scans.get_mut(layer) {
                        *slot = Some(scan);
                    }
                }
                Ok(_) => session.fail(helper, "it returned a layer it was not given"),
                Err(error) => session.fail(helper, &error.to_string()),
            },
            HelperReply::Failed { message } => session.fail(helper, &message),
            HelperReply::Unknown => {}
        }
    });
}

/// Runs `what` on the current session and the number of the scan worker `target` is, if it
/// is one of its workers; then scans here what was given back, and finishes the image when
/// every layer is in.
fn on_helper_event(target: Option<JsValue>, what: impl FnOnce(&mut Session, usize)) {
    let Some(target) = target else {
        return;
    };
    let finished = SESSION.with(|cell| {
        let mut guard = cell.borrow_mut();
        let session = guard.as_mut()?;
        let helper = session.helpers.iter().position(|worker| {
            worker
                .as_ref()
                .is_some_and(|w| AsRef::<JsValue>::as_ref(w) == &target)
        })?;
        what(session, helper);
        Some(session.settle())
    });
    if finished == Some(true) {
        finish_session();
    }
}

fn finish_session() {
    if let Some(session) = SESSION.with(|cell| cell.borrow_mut().take()) {
        session.complete();
    }
    if let Some(opened) = WAITING.with(|waiting| waiting.borrow_mut().pop_front()) {
        run(opened);
    }
}

impl Session {
    /// Sends the scan workers the layers the schedule gives them, and stops those it is
    /// done with.
    fn dispatch(&mut self) {
        // A failed send changes the schedule: go on until it has nothing more to say.
        loop {
            let assignment = self.schedule.assign();
            if assignment.send.is_empty() && assignment.stop.is_empty() {
                return;
            }
            for helper in assignment.stop {
                self.stop(helper);
            }
            for (helper, job) in assignment.send {
                let sent = match self.helpers.get(helper).and_then(Option::as_ref) {
                    Some(worker) => {
                        protocol::encode_scan(self.image, &job, &self.file, self.verify)
                            .map_err(|error| error.to_string())
                            .and_then(|message| {
                                worker.post_message(&message).map_err(|e| describe(&e))
                            })
                    }
                    None => Err("it is gone".to_owned()),
                };
                if let Err(error) = sent {
                    self.fail(helper, &error);
                }
            }
        }
    }

    /// Scan worker `helper` failed: stopped, its layer scanned here instead.
    fn fail(&mut self, helper: usize, why: &str) {
        let layer = self.schedule.running(helper).map(|job| job.layer);
        self.schedule.failed(helper);
        self.stop(helper);
        let left = self.schedule.helpers_alive();
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "layerlab image worker: scan worker {helper} failed ({why}); {}",
            match (layer, left) {
                (Some(layer), _) => format!("layer {layer} is scanned by the image worker"),
                (None, 0) => "the image worker scans the layers left".to_owned(),
                (None, _) => "the other scan workers take its layers".to_owned(),
            }
        )));
    }

    fn stop(&mut self, helper: usize) {
        if let Some(worker) = self.helpers.get_mut(helper).and_then(Option::take) {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.set_onmessageerror(None);
            worker.terminate();
        }
    }

    fn stop_helpers(&mut self) {
        for helper in 0..self.helpers.len() {
            self.stop(helper);
        }
    }

    /// Hands out layers, and scans here what the scan workers gave back; true when every
    /// layer is in.
    fn settle(&mut self) -> bool {
        self.dispatch();
        let scope = scope();
        loop {
            let jobs = self.schedule.take_local();
            if jobs.is_empty() {
                break;
            }
            let options = scan_options(self.verify);
            for job in jobs {
                let (image, last_posted) = (self.image, &mut self.last_posted);
                let mut progress = |layer: usize, done: u64, total: u64| {
                    if let Some(last) = last_posted.get_mut(layer) {
                        if progress_due(last, done, total) {
                            post_progress(&scope, image, layer, done, total);
                        }
                    }
                };
                let scan = inspect::scan_region(
                    &self.source,
                    job.layer,
                    (job.offset, job.size),
                    &options,
                    &mut progress,
                );
                if let Some(slot) = self.scans.get_mut(job.layer) {
                    *slot = Some(scan);
                }
                self.schedule.scanned_locally();
            }
        }
        self.schedule.finished()
    }

    fn complete(mut self) {
        self.stop_helpers();
        let stats = ScanStats {
            ms: now(&scope()) - self.scan_started,
            workers: self.schedule.workers_used(),
            scan_worker_memory: self.scan_worker_memory,
        };
        complete(self.image, self.file, self.plan, self.scans, stats);
    }
}

/// How a scan went, for the summary.
struct ScanStats {
    ms: f64,
    workers: usize,
    scan_worker_memory: f64,
}

/// Every layer is scanned: the report and the listing to the page, the image kept for the
/// viewer and the diff.
fn complete(
    image: ImageId,
    file: File,
    plan: Plan,
    scans: Vec<Option<LayerScan>>,
    stats: ScanStats,
) {
    let scope = scope();
    let tar_bytes: u64 = scans.iter().flatten().map(|scan| scan.tar_size).sum();
    let analysis = report::analyze(&plan, &scans);
    let files = listing(&plan, &scans, &analysis.merged);
    post(
        &scope,
        &Outgoing::Analyzed {
            image,
            report: &analysis.report,
            files,
            scan_ms: stats.ms,
            tar_bytes: tar_bytes as f64,
            memory_bytes: wasm_memory_bytes(),
            scan_worker_memory_bytes: stats.scan_worker_memory,
            workers: stats.workers as u32,
        },
    );
    IMAGES.with(|images| {
        images.borrow_mut()[usize::from(image.slot & 1)] = Some(Loaded {
            open: image.open,
            file,
            plan,
            scans,
            analysis,
        });
    });
}

pub fn post_progress(
    scope: &DedicatedWorkerGlobalScope,
    image: ImageId,
    layer: usize,
    done: u64,
    total: u64,
) {
    post(
        scope,
        &Outgoing::Progress {
            image,
            layer: layer as u32,
            done: done as f64,
            total: total as f64,
        },
    );
}

/// A scan worker's one task: scan `job` of `file`, and return the scan as bytes.
pub fn scan_for_coordinator(image: ImageId, job: ScanJob, file: File, verify: bool) {
    let scope = scope();
    let source = match FileSource::new(file.into()) {
        Ok(source) => source,
        Err(error) => {
            return failed(
                &scope,
                Some(image),
                format!("cannot read the file: {error}"),
            )
        }
    };
    let mut last = 0;
    let mut progress = |layer: usize, done: u64, total: u64| {
        if progress_due(&mut last, done, total) {
            post_progress(&scope, image, layer, done, total);
        }
    };
    let scan = inspect::scan_region(
        &source,
        job.layer,
        (job.offset, job.size),
        &scan_options(verify),
        &mut progress,
    );
    let bytes = scan.encode();
    drop(scan);
    let sent = protocol::encode_scanned(job.layer, &bytes, wasm_memory_bytes())
        .map_err(|error| JsValue::from_str(&error.to_string()))
        .and_then(|(message, transfer)| scope.post_message_with_transfer(&message, &transfer));
    if let Err(error) = sent {
        failed(
            &scope,
            Some(image),
            format!("cannot return the scan: {}", describe(&error)),
        );
    }
}
