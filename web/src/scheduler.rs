//! Which text goes to the worker, and which replies are shown: pure bookkeeping, tested
//! natively, driven by [`crate::worker_client`].
//!
//! - Every edit gets the next sequence number, so a reply can be matched to its edit.
//! - At most one request is in flight. Edits made meanwhile overwrite one pending slot: the
//!   worker never works through a backlog of texts nobody will see.
//! - A reply is shown only if it answers the latest edit; older ones are dropped.

use crate::protocol::ParseRequest;
use crate::settings::LintSettings;

#[derive(Debug, Default)]
pub struct Scheduler {
    latest: u32,
    ready: bool,
    in_flight: Option<ParseRequest>,
    pending: Option<ParseRequest>,
}

/// What to do with a reply.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    /// It answers the latest edit: show it. This is the text that was parsed.
    pub shown: Option<String>,
    /// Send this next (the latest edit, if it was waiting).
    pub next: Option<ParseRequest>,
}

impl Scheduler {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new text (or new settings); returns the request to send now, if the worker is free.
    pub fn submit(&mut self, text: String, settings: LintSettings) -> Option<ParseRequest> {
        self.latest = self.latest.wrapping_add(1);
        self.pending = Some(ParseRequest {
            seq: self.latest,
            text,
            settings,
        });
        self.dispatch()
    }

    /// The worker has started (or restarted) and listens.
    pub fn ready(&mut self) -> Option<ParseRequest> {
        self.ready = true;
        self.dispatch()
    }

    /// The worker answered `seq` (with a report or a failure).
    pub fn reply(&mut self, seq: u32) -> Reply {
        let answered = match &self.in_flight {
            Some(request) if request.seq == seq => self.in_flight.take(),
            _ => None,
        };
        let latest = self.latest;
        Reply {
            shown: answered.filter(|r| r.seq == latest).map(|r| r.text),
            next: self.dispatch(),
        }
    }

    /// The worker could not read the request in flight, so its reply has no `seq`. Only one
    /// request is ever in flight, so that is the one; returns what to send next.
    pub fn unreadable(&mut self) -> Option<ParseRequest> {
        self.in_flight = None;
        self.dispatch()
    }

    /// The worker died. Nothing is in flight any more; the request that killed it is not
    /// retried, but an edit that was waiting is kept for the next worker.
    pub fn worker_lost(&mut self) {
        self.ready = false;
        self.in_flight = None;
    }

    /// Whether the worker is busy or an edit waits: the shown report may be out of date.
    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some() || self.pending.is_some()
    }

    fn dispatch(&mut self) -> Option<ParseRequest> {
        if !self.ready || self.in_flight.is_some() {
            return None;
        }
        let request = self.pending.take()?;
        self.in_flight = Some(request.clone());
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(request: Option<ParseRequest>) -> Option<u32> {
        request.map(|r| r.seq)
    }

    #[test]
    fn waits_for_the_worker_then_sends_only_the_latest_text() {
        let mut s = Scheduler::new();
        assert_eq!(s.submit("a".into(), LintSettings::default()), None);
        assert_eq!(s.submit("ab".into(), LintSettings::default()), None);
        let first = s.ready().expect("sent once ready");
        assert_eq!((first.seq, first.text.as_str()), (2, "ab"));
        assert!(s.is_busy());
        assert_eq!(
            s.reply(2),
            Reply {
                shown: Some("ab".into()),
                next: None
            }
        );
        assert!(!s.is_busy());
    }

    #[test]
    fn one_request_in_flight_and_stale_replies_are_dropped() {
        let mut s = Scheduler::new();
        s.ready();
        assert_eq!(seq(s.submit("1".into(), LintSettings::default())), Some(1));
        // Edits while the worker is busy wait in one slot; the newest wins.
        assert_eq!(s.submit("2".into(), LintSettings::default()), None);
        assert_eq!(s.submit("3".into(), LintSettings::default()), None);

        let reply = s.reply(1);
        assert_eq!(reply.shown, None, "reply 1 is older than edit 3");
        assert_eq!(seq(reply.next), Some(3));
        // A duplicate or unknown reply is ignored.
        assert_eq!(
            s.reply(1),
            Reply {
                shown: None,
                next: None
            }
        );

        assert_eq!(s.reply(3).shown.as_deref(), Some("3"));
    }

    #[test]
    fn an_unreadable_request_frees_the_slot() {
        let mut s = Scheduler::new();
        s.ready();
        assert_eq!(seq(s.submit("1".into(), LintSettings::default())), Some(1));
        assert_eq!(s.submit("2".into(), LintSettings::default()), None);
        assert_eq!(seq(s.unreadable()), Some(2));
        assert_eq!(s.reply(2).shown.as_deref(), Some("2"));
    }

    #[test]
    fn a_lost_worker_keeps_the_waiting_edit_for_the_next_one() {
        let mut s = Scheduler::new();
        s.ready();
        assert_eq!(
            seq(s.submit("boom".into(), LintSettings::default())),
            Some(1)
        );
        assert_eq!(s.submit("fixed".into(), LintSettings::default()), None);
        s.worker_lost();
        assert_eq!(
            s.submit("fixed!".into(), LintSettings::default()),
            None,
            "no worker to send to"
        );
        let next = s.ready().expect("the new worker gets the latest edit");
        assert_eq!((next.seq, next.text.as_str()), (3, "fixed!"));
        // A late reply from the dead worker changes nothing.
        assert_eq!(
            s.reply(1),
            Reply {
                shown: None,
                next: None
            }
        );
        assert!(s.is_busy());
    }
}
