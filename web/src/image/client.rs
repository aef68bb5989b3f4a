//! The page's end of the image worker: started on the first image the user opens (never on
//! page load), fed `File`s and commands, and its messages handed to a callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::{File, Worker};
use yew::Callback;

use super::protocol::{self, ImageCommand, ImageId, ImageMessage, IMAGE_WORKER_URL};
use crate::worker_handle::{describe, WorkerHandle};

pub struct ImageClient {
    running: RefCell<Option<Running>>,
    on_message: Callback<ImageMessage>,
}

/// Messages wait here until the worker says it listens: a classic worker drops what arrives
/// before its wasm has installed the handler.
#[derive(Default)]
struct Outbox {
    ready: bool,
    waiting: Vec<(Option<ImageId>, JsValue)>,
    /// Where the waiting messages go once it listens.
    worker: Option<Worker>,
}

struct Running {
    worker: WorkerHandle,
    outbox: Rc<RefCell<Outbox>>,
    /// The worker died (a panic, out of memory); the next request starts a new one.
    crashed: Rc<Cell<bool>>,
}

impl ImageClient {
    pub fn new(on_message: Callback<ImageMessage>) -> Rc<ImageClient> {
        Rc::new(ImageClient {
            running: RefCell::new(None),
            on_message,
        })
    }

    /// Analyses `file` as `image` (verifying every digest when `verify`), starting the
    /// worker if it is not running.
    pub fn open(&self, image: ImageId, file: &File, verify: bool) {
        let message = protocol::encode_open(image, file, verify).map_err(|e| e.to_string());
        self.post(Some(image), message);
    }

    pub fn send(&self, command: &ImageCommand) {
        let image = match command {
            ImageCommand::ReadEntry { image, .. } => Some(*image),
            ImageCommand::Diff => None,
        };
        let message = protocol::encode_command(command).map_err(|e| e.to_string());
        self.post(image, message);
    }

    /// Stops the worker and forgets every image (a new open starts a fresh one).
    pub fn stop(&self) {
        self.running.borrow_mut().take();
    }

    fn post(&self, image: Option<ImageId>, message: Result<JsValue, String>) {
        let posted = message.and_then(|message| {
            self.ensure_started()?;
            let running = self.running.borrow();
            let running = running.as_ref().ok_or("the image worker is not running")?;
            let mut outbox = running.outbox.borrow_mut();
            if !outbox.ready {
                outbox.waiting.push((image, message));
                return Ok(());
            }
            running.worker.post(&message)
        });
        if let Err(message) = posted {
            self.on_message
                .emit(ImageMessage::Failed { image, message });
        }
    }

    fn ensure_started(&self) -> Result<(), String> {
        let crashed = self
            .running
            .borrow()
            .as_ref()
            .is_some_and(|running| running.crashed.get());
        if crashed {
            // Its images are gone with it: start afresh.
            self.running.borrow_mut().take();
        }
        if self.running.borrow().is_some() {
            return Ok(());
        }
        let emit = self.on_message.clone();
        let outbox = Rc::new(RefCell::new(Outbox::default()));
        let flush = Rc::clone(&outbox);
        let on_message = move |data: JsValue| {
            let message =
                protocol::decode_message(data).unwrap_or_else(|error| ImageMessage::Failed {
                    image: None,
                    message: error.to_string(),
                });
            if message == ImageMessage::Ready {
                let (waiting, worker) = {
                    let mut outbox = flush.borrow_mut();
                    outbox.ready = true;
                    (std::mem::take(&mut outbox.waiting), outbox.worker.clone())
                };
                for (image, message) in waiting {
                    let posted = worker.as_ref().map(|worker| worker.post_message(&message));
                    if let Some(Err(error)) = posted {
                        emit.emit(ImageMessage::Failed {
                            image,
                            message: describe(&error),
                        });
                    }
                }
            }
            emit.emit(message);
        };
        let emit = self.on_message.clone();
        let crashed = Rc::new(Cell::new(false));
        let mark_crashed = Rc::clone(&crashed);
        let on_error = move |message: String| {
            mark_crashed.set(true);
            emit.emit(ImageMessage::Failed {
                image: None,
                message: format!(
                    "the image worker stopped: {message} (open the image again to retry)"
                ),
            });
        };
        let worker = WorkerHandle::start(IMAGE_WORKER_URL, on_message, on_error)
            .map_err(|error| format!("could not start the image worker: {error}"))?;
        outbox.borrow_mut().worker = Some(worker.worker().clone());
        *self.running.borrow_mut() = Some(Running {
            worker,
            outbox,
            crashed,
        });
        Ok(())
    }
}
