//! The page's end of the simulation worker, as a hook. The worker is started by the first
//! [`Simulator::submit`], not before: the panel calls it only once it is opened, so a visit
//! that never simulates never downloads the simulator.
//!
//! Latest wins, as for the parser: one request in flight, newer requests replace a waiting
//! one, and only the reply to the newest request is shown.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::protocol::{self, SimMessage, SimRequest, SIM_WORKER_URL};
use super::report::Simulation;
use super::scenario::SimScenario;
use crate::worker_handle::WorkerHandle;

/// What the panel shows about the simulation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimState {
    /// The latest simulation, with the request it answers.
    pub shown: Option<Shown>,
    /// Why the latest request has no simulation.
    pub error: Option<String>,
    /// A request has been made that has no answer yet.
    pub busy: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    pub simulation: Rc<Simulation>,
    pub dockerfile: Rc<str>,
    pub scenario: Rc<SimScenario>,
    pub elapsed_ms: f64,
}

/// What changes the panel's [`SimState`].
pub enum SimEvent {
    Busy,
    Simulated(Shown),
    Failed(String),
}

impl Reducible for SimState {
    type Action = SimEvent;

    fn reduce(self: Rc<Self>, event: SimEvent) -> Rc<Self> {
        let mut next = (*self).clone();
        match event {
            SimEvent::Busy => next.busy = true,
            SimEvent::Simulated(shown) => {
                next.shown = Some(shown);
                next.error = None;
                next.busy = false;
            }
            SimEvent::Failed(message) => {
                next.error = Some(message);
                next.busy = false;
            }
        }
        Rc::new(next)
    }
}

/// The hook's handle: the state to render, and where to send requests.
#[derive(Clone)]
pub struct Simulator {
    state: UseReducerHandle<SimState>,
    client: Rc<RefCell<Option<Rc<RefCell<Client>>>>>,
}

impl PartialEq for Simulator {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.client, &other.client)
    }
}

impl Simulator {
    pub fn state(&self) -> &SimState {
        &self.state
    }

    /// Simulates `dockerfile` with `scenario` once the worker is free (starting it if needed).
    pub fn submit(&self, dockerfile: &str, scenario: &SimScenario) {
        let client = {
            let mut slot = self.client.borrow_mut();
            let dispatch = self.state.dispatcher();
            Rc::clone(slot.get_or_insert_with(|| {
                Rc::new(RefCell::new(Client {
                    worker: None,
                    ready: false,
                    latest: 0,
                    in_flight: None,
                    waiting: None,
                    dispatch,
                }))
            }))
        };
        let needs_worker = {
            let mut inner = client.borrow_mut();
            inner.latest = inner.latest.wrapping_add(1);
            inner.waiting = Some(SimRequest {
                seq: inner.latest,
                dockerfile: dockerfile.to_owned(),
                scenario: scenario.clone(),
            });
            inner.worker.is_none()
        };
        self.state.dispatch(SimEvent::Busy);
        if needs_worker {
            start(&client);
        }
        dispatch_next(&client);
    }
}

#[hook]
pub fn use_simulator() -> Simulator {
    let state = use_reducer(SimState::default);
    let client = use_mut_ref(|| None::<Rc<RefCell<Client>>>);
    // The worker stops with the component: dropping its handle terminates it.
    {
        let client = client.clone();
        use_effect_with((), move |_| move || drop(client.borrow_mut().take()));
    }
    Simulator { state, client }
}

struct Client {
    worker: Option<WorkerHandle>,
    ready: bool,
    latest: u32,
    in_flight: Option<SimRequest>,
    waiting: Option<SimRequest>,
    dispatch: UseReducerDispatcher<SimState>,
}

fn start(client: &Rc<RefCell<Client>>) {
    let (weak, weak_crash) = (Rc::downgrade(client), Rc::downgrade(client));
    let started = WorkerHandle::start(
        SIM_WORKER_URL,
        move |data| on_message(&weak, data),
        move |message| on_crash(&weak_crash, &message),
    );
    match started {
        Ok(worker) => {
            let mut inner = client.borrow_mut();
            inner.ready = false;
            inner.worker = Some(worker);
        }
        Err(error) => {
            let dispatch = client.borrow().dispatch.clone();
            dispatch.dispatch(SimEvent::Failed(format!(
                "could not start the simulator: {error}"
            )));
        }
    }
}

/// Sends the waiting request if the worker is ready and idle.
fn dispatch_next(client: &Rc<RefCell<Client>>) {
    let posted = {
        let mut inner = client.borrow_mut();
        if !inner.ready || inner.in_flight.is_some() {
            return;
        }
        let Some(request) = inner.waiting.take() else {
            return;
        };
        let posted = protocol::encode_request(&request)
            .map_err(|error| error.to_string())
            .and_then(|message| {
                inner
                    .worker
                    .as_ref()
                    .ok_or_else(|| "the simulator is not running".to_owned())?
                    .post(&message)
            });
        if posted.is_ok() {
            inner.in_flight = Some(request);
        }
        posted
    };
    if let Err(message) = posted {
        let dispatch = client.borrow().dispatch.clone();
        dispatch.dispatch(SimEvent::Failed(message));
    }
}

fn on_message(weak: &Weak<RefCell<Client>>, data: JsValue) {
    let Some(client) = weak.upgrade() else {
        return;
    };
    let event = match protocol::decode_message(data) {
        Err(error) => {
            client.borrow_mut().in_flight = None;
            Some(SimEvent::Failed(error.to_string()))
        }
        Ok(SimMessage::Ready) => {
            client.borrow_mut().ready = true;
            None
        }
        Ok(SimMessage::Simulated {
            seq,
            elapsed_ms,
            report,
        }) => {
            let mut inner = client.borrow_mut();
            let answered = inner.in_flight.take().filter(|r| r.seq == seq);
            let latest = inner.latest;
            answered.filter(|r| r.seq == latest).map(|request| {
                SimEvent::Simulated(Shown {
                    simulation: Rc::new(report),
                    dockerfile: request.dockerfile.into(),
                    scenario: Rc::new(request.scenario),
                    elapsed_ms,
                })
            })
        }
        Ok(SimMessage::Failed { seq, message }) => {
            let mut inner = client.borrow_mut();
            inner.in_flight = None;
            let latest = inner.latest;
            (seq.is_none() || seq == Some(latest)).then_some(SimEvent::Failed(message))
        }
    };
    if let Some(event) = event {
        let dispatch = client.borrow().dispatch.clone();
        dispatch.dispatch(event);
    }
    dispatch_next(&client);
}

fn on_crash(weak: &Weak<RefCell<Client>>, message: &str) {
    let Some(client) = weak.upgrade() else {
        return;
    };
    let dead = {
        let mut inner = client.borrow_mut();
        // The request that crashed it is not retried; the next change starts a new worker.
        inner.in_flight = None;
        inner.ready = false;
        inner.worker.take()
    };
    drop(dead);
    let dispatch = client.borrow().dispatch.clone();
    dispatch.dispatch(SimEvent::Failed(format!(
        "the simulator stopped: {message} (it restarts with your next change)"
    )));
}
