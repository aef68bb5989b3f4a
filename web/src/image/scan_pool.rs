//! Which layer each scan worker reads, decided without the browser (so it is tested natively).
//!
//! The image worker coordinates: after the plan it starts a few scan workers (more copies of
//! itself) and hands out the layers to scan, largest first, one at a time — a worker gets the
//! next layer when it returns one, so a big layer never waits behind small ones and the
//! workers finish close together. A worker that fails gives its layer back to the coordinator,
//! which scans it itself; when no worker is left, the coordinator scans everything still
//! waiting. Every layer is scanned exactly once, whatever fails.

use std::collections::VecDeque;

/// Scan workers never exceed this: past it, reading the one `File` is the limit.
pub const MAX_SCAN_WORKERS: usize = 4;

/// How many scan workers to start for `jobs` layers on a machine that reports
/// `hardware_concurrency` logical cores (`navigator.hardwareConcurrency`; 0 or NaN when the
/// browser does not say).
///
/// One core is left for the page (the coordinator itself only relays messages while the
/// layers are scanned), but with two or more layers there are always at least two workers:
/// a scan is not pure computation — each worker waits on its `FileReaderSync` slices, and
/// while one waits the other hashes and inflates — and on a two-core machine
/// (`hardwareConcurrency` 2, where "cores − 1" would give one worker) the idle coordinator
/// leaves both cores to the two workers. Two workers there scan a multi-layer image
/// measurably faster than one (see README.md, "Image explorer scan").
pub fn scan_worker_count(hardware_concurrency: f64, jobs: usize) -> usize {
    let cores = if hardware_concurrency.is_finite() && hardware_concurrency >= 1.0 {
        hardware_concurrency as usize
    } else {
        2
    };
    let mut workers = cores.saturating_sub(1).max(1);
    if jobs >= 2 {
        workers = workers.max(2);
    }
    workers.min(jobs).min(MAX_SCAN_WORKERS)
}

/// One layer to scan: its position in the plan and its blob's place in the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanJob {
    pub layer: usize,
    pub offset: u64,
    pub size: u64,
}

/// What a scan worker is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Helper {
    /// Started, not yet listening.
    Starting,
    Idle,
    Busy(ScanJob),
    /// Finished with (nothing left for it) or failed: never given a job again.
    Gone,
}

/// The hand-out of layers to `helpers` scan workers (numbered from 0) and the coordinator.
///
/// The coordinator reports what happens ([`Schedule::ready`], [`Schedule::returned`],
/// [`Schedule::failed`]) and then does what [`Schedule::assign`] says. A worker that has
/// scanned a layer takes another only while more layers wait than workers are still starting:
/// every worker that starts gets a layer (a small image is not all scanned by the first worker
/// up while the second is still compiling), and none ever waits for a worker that failed.
#[derive(Debug)]
pub struct Schedule {
    waiting: VecDeque<ScanJob>,
    helpers: Vec<Helper>,
    /// Layers the coordinator must scan itself (`take_local`).
    local: Vec<ScanJob>,
    /// Layers not yet scanned by anyone.
    outstanding: usize,
    /// Layers each helper returned; the coordinator's count last.
    scanned_by: Vec<usize>,
}

/// What the coordinator does next: send these layers, stop these workers (nothing is left for
/// them).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Assignment {
    pub send: Vec<(usize, ScanJob)>,
    pub stop: Vec<usize>,
}

impl Schedule {
    pub fn new(mut jobs: Vec<ScanJob>, helpers: usize) -> Schedule {
        // Largest first; equal sizes in layer order, so the schedule is the same every time.
        jobs.sort_by(|a, b| b.size.cmp(&a.size).then(a.layer.cmp(&b.layer)));
        let outstanding = jobs.len();
        let mut schedule = Schedule {
            waiting: jobs.into(),
            helpers: vec![Helper::Starting; helpers],
            local: Vec::new(),
            outstanding,
            scanned_by: vec![0; helpers + 1],
        };
        schedule.rescue();
        schedule
    }

    /// Helper `helper` listens.
    pub fn ready(&mut self, helper: usize) {
        if let Some(state @ Helper::Starting) = self.helpers.get_mut(helper) {
            *state = Helper::Idle;
        }
    }

    /// The layers to send and the workers to stop now. Each layer goes to one idle worker,
    /// largest layer first, workers that have scanned least first.
    pub fn assign(&mut self) -> Assignment {
        let mut assignment = Assignment::default();
        let mut idle: Vec<usize> = (0..self.helpers.len())
            .filter(|helper| self.helpers[*helper] == Helper::Idle)
            .collect();
        idle.sort_by_key(|helper| (self.scanned_by[*helper], *helper));
        for helper in idle {
            let starting = self
                .helpers
                .iter()
                .filter(|state| **state == Helper::Starting)
                .count();
            if self.waiting.is_empty() {
                self.helpers[helper] = Helper::Gone;
                assignment.stop.push(helper);
            } else if self.scanned_by[helper] == 0 || self.waiting.len() > starting {
                if let Some(job) = self.waiting.pop_front() {
                    self.helpers[helper] = Helper::Busy(job);
                    assignment.send.push((helper, job));
                }
            }
        }
        assignment
    }

    /// The layer helper `helper` is scanning.
    pub fn running(&self, helper: usize) -> Option<ScanJob> {
        match self.helpers.get(helper) {
            Some(Helper::Busy(job)) => Some(*job),
            _ => None,
        }
    }

    /// Whether helper `helper` has not said it listens yet.
    pub fn starting(&self, helper: usize) -> bool {
        self.helpers.get(helper) == Some(&Helper::Starting)
    }

    /// Helper `helper` returned the scan of `layer`. False (and nothing changes) when that is
    /// not the layer it was given.
    pub fn returned(&mut self, helper: usize, layer: usize) -> bool {
        let Some(state) = self.helpers.get_mut(helper) else {
            return false;
        };
        match state {
            Helper::Busy(job) if job.layer == layer => {
                *state = Helper::Idle;
                self.outstanding -= 1;
                self.scanned_by[helper] += 1;
                true
            }
            _ => false,
        }
    }

    /// Helper `helper` failed (did not start, crashed, sent something unreadable): its layer
    /// goes to the coordinator, and so does everything waiting once no helper is left.
    pub fn failed(&mut self, helper: usize) {
        let Some(state) = self.helpers.get_mut(helper) else {
            return;
        };
        if let Helper::Busy(job) = *state {
            self.local.push(job);
        }
        *state = Helper::Gone;
        self.rescue();
    }

    /// With no helper starting or working, nobody would take the waiting layers.
    fn rescue(&mut self) {
        let alive = self
            .helpers
            .iter()
            .any(|helper| !matches!(helper, Helper::Gone));
        if !alive {
            self.local.extend(self.waiting.drain(..));
        }
    }

    /// Layers for the coordinator to scan now (each is then `scanned_locally`).
    pub fn take_local(&mut self) -> Vec<ScanJob> {
        std::mem::take(&mut self.local)
    }

    pub fn scanned_locally(&mut self) {
        self.outstanding = self.outstanding.saturating_sub(1);
        if let Some(count) = self.scanned_by.last_mut() {
            *count += 1;
        }
    }

    /// Every layer is scanned.
    pub fn finished(&self) -> bool {
        self.outstanding == 0
    }

    /// Helpers that are neither done nor failed.
    pub fn helpers_alive(&self) -> usize {
        self.helpers
            .iter()
            .filter(|helper| !matches!(helper, Helper::Gone))
            .count()
    }

    /// Workers that scanned at least one layer, the coordinator included; at least 1 (the
    /// coordinator, when there was nothing to scan).
    pub fn workers_used(&self) -> usize {
        self.scanned_by
            .iter()
            .filter(|count| **count > 0)
            .count()
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(layer: usize, size: u64) -> ScanJob {
        ScanJob {
            layer,
            offset: layer as u64 * 1000,
            size,
        }
    }

    #[test]
    fn worker_count_leaves_a_core_but_runs_two_for_two_layers() {
        assert_eq!(scan_worker_count(8.0, 9), 4, "never more than four");
        assert_eq!(scan_worker_count(4.0, 9), 3, "one core left for the page");
        assert_eq!(scan_worker_count(2.0, 9), 2, "two cores: still two workers");
        assert_eq!(scan_worker_count(1.0, 9), 2);
        assert_eq!(scan_worker_count(8.0, 2), 2, "never more than the layers");
        assert_eq!(scan_worker_count(8.0, 1), 1);
        assert_eq!(scan_worker_count(2.0, 1), 1);
        assert_eq!(scan_worker_count(8.0, 0), 0);
        assert_eq!(scan_worker_count(f64::NAN, 5), 2, "unknown: as two cores");
        assert_eq!(scan_worker_count(0.0, 5), 2);
    }

    fn send(pairs: &[(usize, ScanJob)]) -> Assignment {
        Assignment {
            send: pairs.to_vec(),
            stop: Vec::new(),
        }
    }

    #[test]
    fn largest_layers_go_first_one_at_a_time() {
        let mut schedule = Schedule::new(
            vec![
                job(0, 10),
                job(1, 300),
                job(2, 20),
                job(3, 300),
                job(4, 5),
                job(5, 1),
            ],
            2,
        );
        assert!(schedule.starting(0));
        assert_eq!(
            schedule.assign(),
            Assignment::default(),
            "nobody listens yet"
        );
        // Helper 1 listens first: it gets the largest layer (the earlier of two equal ones).
        schedule.ready(1);
        assert_eq!(schedule.assign(), send(&[(1, job(1, 300))]));
        assert_eq!(
            schedule.assign(),
            Assignment::default(),
            "one layer at a time"
        );
        schedule.ready(0);
        assert_eq!(schedule.assign(), send(&[(0, job(3, 300))]));
        assert_eq!(schedule.running(0), Some(job(3, 300)));
        assert!(schedule.returned(1, 1));
        assert_eq!(schedule.assign(), send(&[(1, job(2, 20))]));
        assert!(schedule.returned(1, 2));
        assert_eq!(schedule.assign(), send(&[(1, job(0, 10))]));
        // Both idle at once: the one that scanned less goes first.
        assert!(schedule.returned(0, 3));
        assert!(schedule.returned(1, 0));
        assert_eq!(schedule.assign(), send(&[(0, job(4, 5)), (1, job(5, 1))]));
        assert!(schedule.returned(0, 4));
        assert!(!schedule.finished());
        assert_eq!(
            schedule.assign(),
            Assignment {
                send: Vec::new(),
                stop: vec![0]
            },
            "nothing left: helper 0 stops"
        );
        assert!(schedule.returned(1, 5));
        assert!(schedule.finished());
        assert_eq!(schedule.workers_used(), 2);
        assert!(schedule.take_local().is_empty());
    }

    #[test]
    fn every_worker_that_starts_gets_a_layer() {
        let mut schedule = Schedule::new(vec![job(0, 4), job(1, 3), job(2, 2), job(3, 1)], 2);
        schedule.ready(0);
        assert_eq!(schedule.assign(), send(&[(0, job(0, 4))]));
        assert!(schedule.returned(0, 0));
        // Three wait and one worker is starting: helper 0 takes more…
        assert_eq!(schedule.assign(), send(&[(0, job(1, 3))]));
        assert!(schedule.returned(0, 1));
        assert_eq!(schedule.assign(), send(&[(0, job(2, 2))]));
        assert!(schedule.returned(0, 2));
        // …but leaves the last one for helper 1.
        assert_eq!(schedule.assign(), Assignment::default());
        schedule.ready(1);
        assert_eq!(
            schedule.assign(),
            Assignment {
                send: vec![(1, job(3, 1))],
                stop: vec![0]
            }
        );
        assert!(schedule.returned(1, 3));
        assert!(schedule.finished());
        assert_eq!(schedule.workers_used(), 2);
    }

    #[test]
    fn a_layer_kept_for_a_worker_that_fails_to_start_goes_to_another() {
        let mut schedule = Schedule::new(vec![job(0, 2), job(1, 1)], 2);
        schedule.ready(0);
        assert_eq!(schedule.assign(), send(&[(0, job(0, 2))]));
        assert!(schedule.returned(0, 0));
        assert_eq!(
            schedule.assign(),
            Assignment::default(),
            "kept for helper 1"
        );
        schedule.failed(1);
        assert!(schedule.take_local().is_empty(), "helper 0 is still there");
        assert_eq!(schedule.assign(), send(&[(0, job(1, 1))]));
        assert!(schedule.returned(0, 1));
        assert!(schedule.finished());
        assert_eq!(schedule.workers_used(), 1);
    }

    #[test]
    fn a_wrong_or_unasked_layer_is_not_counted() {
        let mut schedule = Schedule::new(vec![job(0, 1), job(1, 1)], 2);
        assert!(!schedule.returned(0, 0), "not given anything yet");
        schedule.ready(0);
        assert_eq!(schedule.assign(), send(&[(0, job(0, 1))]));
        assert!(!schedule.returned(0, 1), "not the layer it was given");
        assert!(!schedule.returned(7, 0), "no such helper");
        assert!(schedule.returned(0, 0));
        assert!(!schedule.returned(0, 0), "not twice");
    }

    #[test]
    fn a_failed_helpers_layer_goes_to_the_coordinator() {
        let mut schedule = Schedule::new(vec![job(0, 30), job(1, 20), job(2, 10)], 2);
        schedule.ready(0);
        schedule.ready(1);
        assert_eq!(schedule.assign(), send(&[(0, job(0, 30)), (1, job(1, 20))]));
        schedule.failed(0);
        assert_eq!(schedule.take_local(), vec![job(0, 30)]);
        schedule.ready(0);
        assert!(!schedule.starting(0));
        schedule.scanned_locally();
        // Helper 1 is still there: the waiting layer stays for it.
        assert!(schedule.take_local().is_empty());
        assert!(schedule.returned(1, 1));
        assert_eq!(
            schedule.assign(),
            send(&[(1, job(2, 10))]),
            "never the failed one"
        );
        assert!(schedule.returned(1, 2));
        assert!(schedule.finished());
        assert_eq!(schedule.workers_used(), 2, "helper 1 and the coordinator");
    }

    #[test]
    fn with_no_helper_left_the_coordinator_scans_the_rest() {
        let mut schedule = Schedule::new(vec![job(0, 30), job(1, 20), job(2, 10)], 2);
        schedule.ready(0);
        assert_eq!(schedule.assign(), send(&[(0, job(0, 30))]));
        // Helper 1 never starts; helper 0 then crashes.
        schedule.failed(1);
        assert!(
            schedule.take_local().is_empty(),
            "helper 0 is still working"
        );
        schedule.failed(0);
        let local = schedule.take_local();
        assert_eq!(local, vec![job(0, 30), job(1, 20), job(2, 10)]);
        for _ in &local {
            schedule.scanned_locally();
        }
        assert!(schedule.finished());
        assert_eq!(schedule.workers_used(), 1);
        assert_eq!(schedule.helpers_alive(), 0);
    }

    #[test]
    fn no_helpers_means_the_coordinator_scans_everything() {
        let mut schedule = Schedule::new(vec![job(0, 1), job(1, 2)], 0);
        assert_eq!(schedule.take_local(), vec![job(1, 2), job(0, 1)]);
        schedule.scanned_locally();
        schedule.scanned_locally();
        assert!(schedule.finished());
        let empty = Schedule::new(Vec::new(), 2);
        assert!(empty.finished());
        assert_eq!(empty.workers_used(), 1);
    }

    #[test]
    fn a_helper_with_nothing_left_stops_and_failing_later_changes_nothing() {
        let mut schedule = Schedule::new(vec![job(0, 1)], 2);
        schedule.ready(0);
        schedule.ready(1);
        assert_eq!(
            schedule.assign(),
            Assignment {
                send: vec![(0, job(0, 1))],
                stop: vec![1]
            }
        );
        assert_eq!(schedule.helpers_alive(), 1);
        schedule.failed(1);
        assert!(schedule.take_local().is_empty());
        assert!(schedule.returned(0, 0));
        assert!(schedule.finished());
    }
}
