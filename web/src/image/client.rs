//! The page's end of the image worker: started on the first image the user opens (never on
//! page load), fed `File`s and commands, and its messages handed to a callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, File, MessageEvent, Worker};
use yew::Callback;

use super::protocol::{self, ImageCommand, ImageId, ImageMessage, IMAGE_WORKER_URL};

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
}

struct Running {
    worker: Worker,
    outbox: Rc<RefCell<Outbox>>,
    /// The worker died (a panic, out of memory); the next request starts a new one.
    crashed: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
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
            running
                .worker
                .post_message(&message)
                .map_err(|error| describe(&error))
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
        let worker = Worker::new(IMAGE_WORKER_URL)
            .map_err(|error| format!("could not start the image worker: {}", describe(&error)))?;
        let emit = self.on_message.clone();
        let outbox = Rc::new(RefCell::new(Outbox::default()));
        let flush_to = (worker.clone(), Rc::clone(&outbox));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let message = protocol::decode_message(event.data()).unwrap_or_else(|error| {
                ImageMessage::Failed {
                    image: None,
                    message: error.to_string(),
                }
            });
            if message == ImageMessage::Ready {
                let (worker, outbox) = &flush_to;
                let waiting = {
                    let mut outbox = outbox.borrow_mut();
                    outbox.ready = true;
                    std::mem::take(&mut outbox.waiting)
                };
                for (image, message) in waiting {
                    if let Err(error) = worker.post_message(&message) {
                        emit.emit(ImageMessage::Failed {
                            image,
                            message: describe(&error),
                        });
                    }
                }
            }
            emit.emit(message);
        });
        let emit = self.on_message.clone();
        let crashed = Rc::new(Cell::new(false));
        let mark_crashed = Rc::clone(&crashed);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            mark_crashed.set(true);
            emit.emit(ImageMessage::Failed {
                image: None,
                message: format!(
                    "the image worker stopped: {} (open the image again to retry)",
                    event.message()
                ),
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.running.borrow_mut() = Some(Running {
            worker,
            outbox,
            crashed,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
