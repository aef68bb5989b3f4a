//! The page's end of the parser worker: starts it, sends edits through the [`Scheduler`],
//! turns replies into [`ParserEvent`]s, and starts a new worker after a crash.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::JsValue;
use yew::Callback;

use crate::protocol::{self, ConfigProblem, Report, RuleInfo, WorkerMessage, WORKER_URL};
use crate::scheduler::Scheduler;
use crate::settings::LintSettings;
use crate::worker_handle::WorkerHandle;

/// What the page learns from the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum ParserEvent {
    Ready {
        version: String,
        rules: Rc<Vec<RuleInfo>>,
    },
    /// A report for the latest edit. Replies to older edits are never reported.
    Parsed {
        text: Rc<str>,
        report: Rc<Report>,
        elapsed_ms: f64,
        config_problems: Rc<Vec<ConfigProblem>>,
    },
    /// The latest edit could not be parsed, or the worker could not be reached.
    Failed {
        message: String,
        /// The text that failed, when the failure is about one request.
        text: Option<Rc<str>>,
    },
}

pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    scheduler: Scheduler,
    worker: Option<WorkerHandle>,
    on_event: Callback<ParserEvent>,
}

impl WorkerClient {
    /// Starts the worker. `on_event` is called outside any borrow, so it may call back in.
    pub fn new(on_event: Callback<ParserEvent>) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            scheduler: Scheduler::new(),
            worker: None,
            on_event,
        }));
        start(&inner);
        WorkerClient { inner }
    }

    /// Parses and lints `text` as soon as the worker is free; newer texts replace waiting ones.
    pub fn submit(&self, text: String, settings: LintSettings) {
        let (request, no_worker) = {
            let mut inner = self.inner.borrow_mut();
            (
                inner.scheduler.submit(text, settings),
                inner.worker.is_none(),
            )
        };
        if no_worker {
            // The last worker crashed: this edit gets a new one and is sent when it is ready.
            start(&self.inner);
        }
        if let Some(request) = request {
            send(&self.inner, &request);
        }
    }
}

fn start(inner_rc: &Rc<RefCell<Inner>>) {
    let (weak, weak_crash) = (Rc::downgrade(inner_rc), Rc::downgrade(inner_rc));
    let started = WorkerHandle::start(
        WORKER_URL,
        move |data| on_message(&weak, data),
        move |message| on_crash(&weak_crash, &format!("the parser stopped: {message}")),
    );
    match started {
        Ok(worker) => inner_rc.borrow_mut().worker = Some(worker),
        Err(error) => {
            let on_event = inner_rc.borrow().on_event.clone();
            on_event.emit(ParserEvent::Failed {
                message: format!("could not start the parser: {error}"),
                text: None,
            });
        }
    }
}

fn send(inner_rc: &Rc<RefCell<Inner>>, request: &protocol::ParseRequest) {
    let posted = protocol::encode_request(request)
        .map_err(|error| error.to_string())
        .and_then(|message| {
            let inner = inner_rc.borrow();
            let running = inner.worker.as_ref().ok_or("no parser is running")?;
            running.post(&message)
        });
    if let Err(message) = posted {
        // Nothing will answer this request: free the slot so later edits still go out.
        let reply = inner_rc.borrow_mut().scheduler.reply(request.seq);
        let on_event = inner_rc.borrow().on_event.clone();
        on_event.emit(ParserEvent::Failed {
            message,
            text: reply.shown.map(Rc::from),
        });
        if let Some(next) = reply.next {
            send(inner_rc, &next);
        }
    }
}

fn on_message(weak: &Weak<RefCell<Inner>>, data: JsValue) {
    let Some(inner_rc) = weak.upgrade() else {
        return;
    };
    let message = match protocol::decode_message(data) {
        Ok(message) => message,
        Err(error) => {
            // Most likely the answer to the request in flight: free its slot, or no later
            // edit would ever be sent.
            let next = inner_rc.borrow_mut().scheduler.unreadable();
            if let Some(next) = next {
                send(&inner_rc, &next);
            }
            let on_event = inner_rc.borrow().on_event.clone();
            on_event.emit(ParserEvent::Failed {
                message: error.to_string(),
                text: None,
            });
            return;
        }
    };
    let (event, next) = {
        let mut inner = inner_rc.borrow_mut();
        match message {
            WorkerMessage::Ready { version, rules } => (
                Some(ParserEvent::Ready {
                    version,
                    rules: Rc::new(rules),
                }),
                inner.scheduler.ready(),
            ),
            WorkerMessage::Parsed {
                seq,
                elapsed_ms,
                report,
                config_problems,
            } => {
                let reply = inner.scheduler.reply(seq);
                let event = reply.shown.map(|text| ParserEvent::Parsed {
                    text: text.into(),
                    report: Rc::new(report),
                    elapsed_ms,
                    config_problems: Rc::new(config_problems),
                });
                (event, reply.next)
            }
            WorkerMessage::Failed {
                seq: Some(seq),
                message,
            } => {
                let reply = inner.scheduler.reply(seq);
                // A failure for an edit that is already superseded is not worth showing.
                let event = reply.shown.map(|text| ParserEvent::Failed {
                    message,
                    text: Some(text.into()),
                });
                (event, reply.next)
            }
            WorkerMessage::Failed { seq: None, message } => (
                Some(ParserEvent::Failed {
                    message,
                    text: None,
                }),
                inner.scheduler.unreadable(),
            ),
        }
    };
    if let Some(next) = next {
        send(&inner_rc, &next);
    }
    if let Some(event) = event {
        let on_event = inner_rc.borrow().on_event.clone();
        on_event.emit(event);
    }
}

fn on_crash(weak: &Weak<RefCell<Inner>>, message: &str) {
    let Some(inner_rc) = weak.upgrade() else {
        return;
    };
    let dead = {
        let mut inner = inner_rc.borrow_mut();
        inner.scheduler.worker_lost();
        inner.worker.take()
    };
    // Dropped outside the borrow. This also drops the closure that is running right now:
    // wasm-bindgen defers freeing a closure until its current call returns.
    drop(dead);
    let on_event = inner_rc.borrow().on_event.clone();
    on_event.emit(ParserEvent::Failed {
        message: format!("{message} (it restarts with your next edit)"),
        text: None,
    });
}
