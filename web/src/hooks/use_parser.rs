use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::protocol::{ConfigProblem, Report, RuleInfo};
use crate::settings::LintSettings;
use crate::worker_client::{ParserEvent, WorkerClient};

/// What the page knows about parsing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParserState {
    /// The parser's version, once its worker has started.
    pub version: Option<String>,
    /// The linter's rules, once its worker has started.
    pub rules: Rc<Vec<RuleInfo>>,
    /// The latest report, with the text it belongs to.
    pub parsed: Option<Parsed>,
    /// Why the latest edit has no report, if it failed.
    pub error: Option<ParseError>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub message: String,
    /// The text that failed; `None` when the worker itself failed.
    pub text: Option<Rc<str>>,
}

impl ParseError {
    /// Whether this failure is why `text` has no report.
    pub fn concerns(&self, text: &str) -> bool {
        self.text.as_deref().is_none_or(|failed| failed == text)
    }
}

#[derive(Clone, Debug)]
pub struct Parsed {
    pub text: Rc<str>,
    pub report: Rc<Report>,
    pub elapsed_ms: f64,
    /// What was wrong with the lint settings it was made with.
    pub config_problems: Rc<Vec<ConfigProblem>>,
}

/// By identity: every report the worker sends is new, and comparing thousands of entries on
/// each keystroke's render would be waste.
impl PartialEq for Parsed {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

impl Reducible for ParserState {
    type Action = ParserEvent;

    fn reduce(self: Rc<Self>, event: ParserEvent) -> Rc<Self> {
        let mut next = (*self).clone();
        match event {
            ParserEvent::Ready { version, rules } => {
                next.version = Some(version);
                next.rules = rules;
            }
            ParserEvent::Parsed {
                text,
                report,
                elapsed_ms,
                config_problems,
            } => {
                next.parsed = Some(Parsed {
                    text,
                    report,
                    elapsed_ms,
                    config_problems,
                });
                next.error = None;
            }
            ParserEvent::Failed { message, text } => {
                next.error = Some(ParseError { message, text });
            }
        }
        Rc::new(next)
    }
}

/// The parser, running in a Web Worker for as long as the calling component is mounted.
#[derive(Clone)]
pub struct UseParserHandle {
    state: UseReducerHandle<ParserState>,
    client: Rc<RefCell<Client>>,
}

/// The worker starts in an effect, after the first render; texts submitted before that wait.
enum Client {
    Starting(Option<(String, LintSettings)>),
    Running(WorkerClient),
}

impl UseParserHandle {
    pub fn state(&self) -> &ParserState {
        &self.state
    }

    /// Parses and lints `text` when the worker is free. Only the newest text's report is shown.
    pub fn submit(&self, text: String, settings: LintSettings) {
        match &mut *self.client.borrow_mut() {
            Client::Starting(waiting) => *waiting = Some((text, settings)),
            Client::Running(client) => client.submit(text, settings),
        }
    }
}

#[hook]
pub fn use_parser() -> UseParserHandle {
    let state = use_reducer(ParserState::default);
    let client = use_mut_ref(|| Client::Starting(None));
    {
        let client = client.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let running = WorkerClient::new(Callback::from(move |event| {
                dispatcher.dispatch(event);
            }));
            let previous = std::mem::replace(&mut *client.borrow_mut(), Client::Running(running));
            if let (Client::Starting(Some((text, settings))), Client::Running(running)) =
                (previous, &*client.borrow())
            {
                running.submit(text, settings);
            }
            // Unmounting drops the client, which terminates the worker.
            move || {
                drop(std::mem::replace(
                    &mut *client.borrow_mut(),
                    Client::Starting(None),
                ))
            }
        });
    }
    UseParserHandle { state, client }
}
