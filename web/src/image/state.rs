//! What the explorer knows about the images it was given, updated by the worker's messages
//! (a reducer: pure, so the order of plan, progress and report is tested without a browser).

use std::rc::Rc;

use super::protocol::{
    DiffTotals, DiffView, EntryText, FileListing, ImageId, ImageMessage, PlanView, ReportView,
};

/// A value compared by identity: the listing of 100,000 paths is never compared by content.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One image, from the moment it was opened.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageState {
    /// The page's number for this opening: messages naming another are about an image
    /// this one replaced.
    pub open: u32,
    pub name: String,
    pub file_size: f64,
    /// `performance.now()` on the page when the file was handed to the worker.
    pub opened_at: f64,
    pub plan: Option<Rc<PlanView>>,
    /// From opening to the layer list arriving on the page.
    pub plan_shown_ms: Option<f64>,
    /// Indexing time inside the worker.
    pub plan_worker_ms: Option<f64>,
    /// Compressed bytes read and total, per layer.
    pub progress: Vec<(f64, f64)>,
    pub report: Option<Rc<ReportView>>,
    pub files: Option<Shared<FileListing>>,
    pub scan_ms: f64,
    pub tar_bytes: f64,
    pub memory_bytes: f64,
    pub scan_worker_memory_bytes: f64,
    /// Workers that scanned the layers.
    pub workers: u32,
    pub error: Option<String>,
}

impl ImageState {
    pub fn new(open: u32, name: String, file_size: f64, opened_at: f64) -> Self {
        ImageState {
            open,
            name,
            file_size,
            opened_at,
            plan: None,
            plan_shown_ms: None,
            plan_worker_ms: None,
            progress: Vec::new(),
            report: None,
            files: None,
            scan_ms: 0.0,
            tar_bytes: 0.0,
            memory_bytes: 0.0,
            scan_worker_memory_bytes: 0.0,
            workers: 0,
            error: None,
        }
    }

    /// Whether the worker is still reading this image.
    pub fn busy(&self) -> bool {
        self.report.is_none() && self.error.is_none()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explorer {
    pub images: [Option<ImageState>; 2],
    pub diff: Option<Rc<(DiffView, DiffTotals)>>,
    pub diff_requested: bool,
    /// The file the viewer shows, or the one it waits for (request number and path).
    pub viewer: Option<EntryText>,
    pub viewer_waiting: Option<(u32, String)>,
    pub next_request: u32,
    /// Trouble not tied to one image (the worker crashed, a message was unreadable).
    pub error: Option<String>,
}

pub enum Action {
    /// Files were handed to the worker: `(image, name, size)`; a lone first image forgets
    /// the second one.
    Opened {
        files: Vec<(ImageId, String, f64)>,
        at: f64,
    },
    /// A message from the worker, and when it arrived (`performance.now()`).
    Message(Box<ImageMessage>, f64),
    DiffRequested,
    ViewerRequested {
        request: u32,
        path: String,
    },
    ViewerClosed,
}

impl Explorer {
    pub fn reduce(&self, action: Action) -> Explorer {
        let mut next = self.clone();
        match action {
            Action::Opened { files, at } => {
                if files.iter().any(|(image, _, _)| image.slot == 0) {
                    next.images = [None, None];
                    next.viewer = None;
                    next.viewer_waiting = None;
                }
                for (id, name, size) in files {
                    if let Some(image) = next.images.get_mut(usize::from(id.slot)) {
                        *image = Some(ImageState::new(id.open, name, size, at));
                    }
                }
                next.diff = None;
                next.diff_requested = false;
                next.error = None;
            }
            Action::Message(message, at) => next.apply(*message, at),
            Action::DiffRequested => next.diff_requested = true,
            Action::ViewerRequested { request, path } => {
                next.viewer_waiting = Some((request, path));
                next.next_request = request.wrapping_add(1);
            }
            Action::ViewerClosed => {
                next.viewer = None;
                next.viewer_waiting = None;
            }
        }
        next
    }

    /// The image `id` names, unless it has been replaced since.
    fn image(&mut self, id: ImageId) -> Option<&mut ImageState> {
        self.images
            .get_mut(usize::from(id.slot))?
            .as_mut()
            .filter(|image| image.open == id.open)
    }

    fn apply(&mut self, message: ImageMessage, at: f64) {
        match message {
            ImageMessage::Ready => {}
            ImageMessage::Planned {
                image,
                plan,
                elapsed_ms,
            } => {
                if let Some(image) = self.image(image) {
                    image.progress = plan
                        .layers
                        .iter()
                        .map(|layer| (0.0, layer.compressed_size))
                        .collect();
                    image.plan = Some(Rc::new(plan));
                    image.plan_shown_ms = Some(at - image.opened_at);
                    image.plan_worker_ms = Some(elapsed_ms);
                }
            }
            ImageMessage::Progress {
                image,
                layer,
                done,
                total,
            } => {
                if let Some(progress) = self
                    .image(image)
                    .and_then(|image| image.progress.get_mut(layer as usize))
                {
                    // A layer whose scan worker failed is read again from its start by the
                    // image worker: the bar waits at its mark instead of jumping back.
                    *progress = (done.max(progress.0), total);
                }
            }
            ImageMessage::Analyzed {
                image,
                report,
                files,
                scan_ms,
                tar_bytes,
                memory_bytes,
                scan_worker_memory_bytes,
                workers,
            } => {
                if let Some(image) = self.image(image) {
                    for progress in &mut image.progress {
                        progress.0 = progress.1;
                    }
                    image.report = Some(Rc::new(report));
                    image.files = Some(Shared(Rc::new(files)));
                    image.scan_ms = scan_ms;
                    image.tar_bytes = tar_bytes;
                    image.memory_bytes = memory_bytes;
                    image.scan_worker_memory_bytes = scan_worker_memory_bytes;
                    image.workers = workers;
                }
            }
            ImageMessage::Content(content) => {
                let wanted = self
                    .viewer_waiting
                    .as_ref()
                    .is_some_and(|(request, _)| *request == content.request);
                if wanted {
                    self.viewer_waiting = None;
                    self.viewer = Some(content);
                }
            }
            ImageMessage::Diffed {
                images,
                diff,
                totals,
            } => {
                // A diff of images since replaced waits for the diff of the ones shown.
                if images.iter().all(|&id| self.image(id).is_some()) {
                    self.diff = Some(Rc::new((diff, totals)));
                }
            }
            ImageMessage::Failed { image, message } => {
                let replaced = image.is_some_and(|id| self.image(id).is_none());
                match image.and_then(|id| self.image(id)) {
                    Some(image) if image.busy() => image.error = Some(message),
                    // About an image no longer shown: nothing to say.
                    _ if replaced => {}
                    _ => {
                        self.viewer_waiting = None;
                        self.error = Some(message);
                    }
                }
            }
        }
    }

    /// Both images are analysed and no diff was asked for yet.
    pub fn wants_diff(&self) -> bool {
        !self.diff_requested
            && self
                .images
                .iter()
                .all(|image| image.as_ref().is_some_and(|image| image.report.is_some()))
    }
}

impl yew::Reducible for Explorer {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Explorer::reduce(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::protocol::{PlannedLayer, Slot};

    fn plan(layers: usize) -> PlanView {
        PlanView {
            format: "oci-archive".into(),
            platform: "linux/amd64".into(),
            layers: (0..layers)
                .map(|index| PlannedLayer {
                    index: index as u32,
                    digest: None,
                    diff_id: None,
                    media_type: None,
                    compressed_size: 100.0,
                    created_by: None,
                    same_as: None,
                })
                .collect(),
            problems: Vec::new(),
        }
    }

    fn id(slot: Slot, open: u32) -> ImageId {
        ImageId { slot, open }
    }

    #[test]
    fn the_plan_sets_up_progress_and_times_the_layer_list() {
        let state = Explorer::default().reduce(Action::Opened {
            files: vec![(id(0, 1), "a.tar".into(), 1e9)],
            at: 1000.0,
        });
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Planned {
                image: id(0, 1),
                plan: plan(2),
                elapsed_ms: 3.0,
            }),
            1040.0,
        ));
        let image = state.images[0].as_ref().expect("opened");
        assert_eq!(image.plan_shown_ms, Some(40.0));
        assert_eq!(image.progress, vec![(0.0, 100.0), (0.0, 100.0)]);
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Progress {
                image: id(0, 1),
                layer: 1,
                done: 50.0,
                total: 100.0,
            }),
            1050.0,
        ));
        assert_eq!(
            state.images[0].as_ref().expect("opened").progress[1],
            (50.0, 100.0)
        );
        // Progress for a layer that does not exist is ignored, not a panic.
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Progress {
                image: id(1, 1),
                layer: 9,
                done: 1.0,
                total: 1.0,
            }),
            1051.0,
        ));
        assert!(state.images[0].as_ref().expect("opened").busy());
    }

    #[test]
    fn a_layer_read_again_does_not_move_its_bar_back() {
        let progress = |done| {
            Action::Message(
                Box::new(ImageMessage::Progress {
                    image: id(0, 1),
                    layer: 0,
                    done,
                    total: 100.0,
                }),
                1.0,
            )
        };
        let state = Explorer::default()
            .reduce(Action::Opened {
                files: vec![(id(0, 1), "a.tar".into(), 1.0)],
                at: 0.0,
            })
            .reduce(Action::Message(
                Box::new(ImageMessage::Planned {
                    image: id(0, 1),
                    plan: plan(1),
                    elapsed_ms: 1.0,
                }),
                1.0,
            ))
            .reduce(progress(60.0))
            .reduce(progress(10.0));
        assert_eq!(
            state.images[0].as_ref().expect("opened").progress,
            vec![(60.0, 100.0)]
        );
        let state = state.reduce(progress(80.0));
        assert_eq!(
            state.images[0].as_ref().expect("opened").progress,
            vec![(80.0, 100.0)]
        );
    }

    #[test]
    fn a_failure_of_a_busy_image_belongs_to_it_and_others_to_the_page() {
        let state = Explorer::default().reduce(Action::Opened {
            files: vec![
                (id(0, 1), "a.tar".into(), 1.0),
                (id(1, 2), "b.tar".into(), 1.0),
            ],
            at: 0.0,
        });
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Failed {
                image: Some(id(1, 2)),
                message: "not a tar archive".into(),
            }),
            1.0,
        ));
        assert_eq!(
            state.images[1].as_ref().and_then(|i| i.error.as_deref()),
            Some("not a tar archive")
        );
        assert!(!state.wants_diff());
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Failed {
                image: None,
                message: "the worker stopped".into(),
            }),
            2.0,
        ));
        assert_eq!(state.error.as_deref(), Some("the worker stopped"));
    }

    #[test]
    fn what_arrives_about_a_replaced_image_is_dropped() {
        let opened = |open| Action::Opened {
            files: vec![(id(0, open), format!("{open}.tar"), 1.0)],
            at: 0.0,
        };
        let progress = |open, done| {
            Action::Message(
                Box::new(ImageMessage::Progress {
                    image: id(0, open),
                    layer: 0,
                    done,
                    total: 100.0,
                }),
                1.0,
            )
        };
        let planned = |open| {
            Action::Message(
                Box::new(ImageMessage::Planned {
                    image: id(0, open),
                    plan: plan(1),
                    elapsed_ms: 1.0,
                }),
                1.0,
            )
        };
        // The first image is replaced while its messages are on their way.
        let state = Explorer::default()
            .reduce(opened(1))
            .reduce(planned(1))
            .reduce(opened(2));
        let state = state.reduce(progress(1, 50.0)).reduce(planned(1));
        let image = state.images[0].as_ref().expect("opened");
        assert_eq!((image.name.as_str(), image.plan.is_none()), ("2.tar", true));
        let state = state.reduce(Action::Message(
            Box::new(ImageMessage::Failed {
                image: Some(id(0, 1)),
                message: "the old image broke".into(),
            }),
            2.0,
        ));
        assert_eq!(state.error, None);
        assert_eq!(state.images[0].as_ref().and_then(|i| i.error.clone()), None);
        // Its own messages still arrive.
        let state = state.reduce(planned(2)).reduce(progress(2, 30.0));
        let image = state.images[0].as_ref().expect("opened");
        assert_eq!(image.progress, vec![(30.0, 100.0)]);
    }

    #[test]
    fn a_diff_of_replaced_images_is_not_shown() {
        let diffed = |first, second| {
            Action::Message(
                Box::new(ImageMessage::Diffed {
                    images: [id(0, first), id(1, second)],
                    diff: DiffView {
                        shared_layers: Vec::new(),
                        only_in_first: Vec::new(),
                        only_in_second: Vec::new(),
                        added: Vec::new(),
                        removed: Vec::new(),
                        changed: Vec::new(),
                        size_delta: 1.0,
                        compressed_delta: 0.0,
                    },
                    totals: DiffTotals::default(),
                }),
                1.0,
            )
        };
        let state = Explorer::default().reduce(Action::Opened {
            files: vec![
                (id(0, 3), "a.tar".into(), 1.0),
                (id(1, 4), "b.tar".into(), 1.0),
            ],
            at: 0.0,
        });
        // The diff of the pair opened before (1 and 2) arrives late.
        assert_eq!(state.reduce(diffed(1, 2)).diff, None);
        assert!(state.reduce(diffed(3, 4)).diff.is_some());
    }

    #[test]
    fn only_the_awaited_file_reaches_the_viewer() {
        let state = Explorer::default().reduce(Action::ViewerRequested {
            request: 4,
            path: "etc/passwd".into(),
        });
        assert_eq!(state.next_request, 5);
        let content = |request| EntryText {
            slot: 0,
            request,
            path: "x".into(),
            layer: 0,
            size: 1.0,
            text: "x".into(),
            truncated: false,
            binary: false,
        };
        let stale = state.reduce(Action::Message(
            Box::new(ImageMessage::Content(content(3))),
            0.0,
        ));
        assert_eq!(stale.viewer, None);
        let shown = state.reduce(Action::Message(
            Box::new(ImageMessage::Content(content(4))),
            0.0,
        ));
        assert_eq!(shown.viewer.map(|v| v.request), Some(4));
        assert_eq!(shown.viewer_waiting, None);
    }
}
