//! BuildKit's model: the LLB-like op graph, definition- and content-based keys, and the cache
//! of every key the previous build produced.

use std::collections::{BTreeSet, HashMap, HashSet};

use layerlab_syntax::Keyword;

use crate::content::{self, Layer, Layers, Pair, Part, StepRef};
use crate::context::Context;
use crate::digest::{Digest, KeyHasher};
use crate::images::ImageRef;
use crate::inputs::{
    self, cause_of, content_difference, env_difference, key_of, short, Cause, Detail, Input, Label,
    StepInfo,
};
use crate::plan::{Action, Base, CopySource, Plan, SourceRef, Step};
use crate::report::{Note, Severity, Status, StepResult};

/// Everything about one build that is not the Dockerfile.
pub(crate) struct BuildSpec<'a> {
    pub plan: &'a Plan,
    pub context: &'a Context,
    /// Image names whose content differs from the previous build (`--base-changed`).
    pub changed_bases: &'a [String],
    /// This is the next build (the one being predicted).
    pub next: bool,
    pub no_cache: bool,
    pub no_cache_filter: &'a [String],
}

impl BuildSpec<'_> {
    fn generation(&self, image: &ImageRef) -> u64 {
        u64::from(self.next && self.changed_bases.iter().any(|n| image.covered_by(n)))
    }

    /// The key of an image (`what` is empty for FROM, the selected path for COPY --from): it
    /// changes when `--base-changed` names the image. A tag that may have moved does not
    /// change it: that uncertainty is tracked apart ([`OpEval::tags`]), so the steps after an
    /// unpinned FROM keep the status their other inputs give them.
    fn image_pair(&self, reference: &str, what: &str) -> (ImageRef, Pair) {
        let image = ImageRef::parse(reference);
        let key = KeyHasher::new("image")
            .str(&image.canonical())
            .str(what)
            .u64(self.generation(&image))
            .finish();
        (image, Pair::same(key))
    }
}

/// One step of one build.
#[derive(Clone, Debug)]
pub(crate) struct OpEval {
    pub op: bool,
    /// The op's key (the copy op for `--link`).
    pub key: Pair,
    /// `--link`: the merge op that puts the copied layer on the parent.
    pub merge: Option<Pair>,
    /// The key of the state after this step.
    pub state: Pair,
    /// The step whose state this op builds on.
    pub parent: Option<StepRef>,
    pub inputs: Vec<Input>,
    pub ignore_cache: bool,
    pub layers: Layers,
    /// The base-image tags (not pinned by digest) this op's key depends on, through its
    /// parent chain, `COPY --from`, and mounts: if one moved, the op misses.
    pub tags: BTreeSet<String>,
    /// The same for the state after this step (for `--link`, the parent's too).
    pub state_tags: BTreeSet<String>,
    /// An unpinned image this step reads directly (FROM, `COPY --from=image`, a mount).
    pub reads_tag: Option<String>,
}

/// The reference, when an image is named by a tag that may move.
fn moving(reference: &str) -> Option<String> {
    (!ImageRef::parse(reference).pinned()).then(|| reference.to_owned())
}

/// The tags a `--from` source depends on.
fn source_tags(built: &[Option<Vec<OpEval>>], from: &SourceRef) -> BTreeSet<String> {
    match from {
        SourceRef::Stage(j) => built
            .get(*j)
            .and_then(Option::as_ref)
            .and_then(|s| s.last())
            .map(|e| e.state_tags.clone())
            .unwrap_or_default(),
        SourceRef::Image(r) => moving(r).into_iter().collect(),
        SourceRef::Context | SourceRef::None => BTreeSet::new(),
    }
}

pub(crate) struct Eval {
    /// Per stage, per step; `None` for stages the target does not need.
    pub stages: Vec<Option<Vec<OpEval>>>,
    pub notes: Vec<Note>,
}

/// The stages BuildKit builds: those reachable from the target.
pub(crate) fn reachable(plan: &Plan) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<usize> = plan.target.into_iter().collect();
    while let Some(i) = stack.pop() {
        if out.insert(i) {
            if let Some(stage) = plan.stages.get(i) {
                stack.extend(stage.deps.iter().copied());
            }
        }
    }
    out
}

fn no_cache_for(spec: &BuildSpec<'_>, stage_name: Option<&str>) -> bool {
    if !spec.next {
        return false;
    }
    spec.no_cache
        || stage_name.is_some_and(|n| {
            spec.no_cache_filter
                .iter()
                .any(|f| f.eq_ignore_ascii_case(n))
        })
}

/// Evaluates every op of the stages the target needs.
pub(crate) fn evaluate(spec: &BuildSpec<'_>, stages_to_build: &BTreeSet<usize>) -> Eval {
    let plan = spec.plan;
    let mut out: Vec<Option<Vec<OpEval>>> = vec![None; plan.stages.len()];
    let mut notes = Vec::new();
    let nonce = if spec.next { "next" } else { "previous" };
    for stage in &plan.stages {
        if !stages_to_build.contains(&stage.index) {
            continue;
        }
        let ignore = no_cache_for(spec, stage.name.as_deref());
        let mut evals: Vec<OpEval> = Vec::with_capacity(stage.steps.len());
        let mut state = Pair::same(KeyHasher::new("scratch").finish());
        let mut parent: Option<StepRef> = None;
        let mut layers = Layers::default();
        let mut tags: BTreeSet<String> = BTreeSet::new();
        for (si, step) in stage.steps.iter().enumerate() {
            let here = (stage.index, si);
            let mut eval = OpEval {
                op: false,
                key: state,
                merge: None,
                state,
                parent,
                inputs: Vec::new(),
                ignore_cache: false,
                layers: layers.clone(),
                tags: BTreeSet::new(),
                state_tags: BTreeSet::new(),
                reads_tag: None,
            };
            match &step.action {
                Action::From(Base::Image(reference)) => {
                    let (image, pair) = spec.image_pair(reference, "");
                    let inputs = vec![Input {
                        label: Label::Base,
                        key: pair,
                        detail: Detail::Text(image.canonical()),
                    }];
                    eval.op = true;
                    eval.key = key_of("source", &inputs);
                    eval.inputs = inputs;
                    eval.parent = None;
                    state = eval.key;
                    layers = Layers::default().push(Layer::Base {
                        p: pair.p,
                        at: here,
                    });
                    parent = Some(here);
                    eval.reads_tag = moving(reference);
                    tags = eval.reads_tag.iter().cloned().collect();
                    eval.tags = tags.clone();
                }
                Action::From(Base::Scratch) => {
                    eval.parent = None;
                    parent = None;
                    tags.clear();
                }
                Action::From(Base::Stage(j)) => {
                    let base = out
                        .get(*j)
                        .and_then(Option::as_ref)
                        .and_then(|steps| steps.last().map(|e| (e.state, e.layers.clone())));
                    if let Some((s, l)) = base {
                        state = s;
                        layers = l;
                    }
                    let last = out.get(*j).and_then(Option::as_ref).map(|s| s.len());
                    parent = last.and_then(|n| n.checked_sub(1)).map(|n| (*j, n));
                    eval.parent = parent;
                    tags = source_tags(&out, &SourceRef::Stage(*j));
                }
                Action::Meta => {}
                Action::Workdir { path, user } => {
                    let inputs = vec![
                        parent_input(state),
                        Input::text(Label::Definition, &format!("mkdir -p {path}")),
                        Input::text(Label::User, user),
                    ];
                    eval.op = true;
                    eval.tags = tags.clone();
                    eval.key = key_of("mkdir", &inputs);
                    eval.inputs = inputs;
                    layers = layers.push(Layer::Mkdir {
                        path: content::abs(path),
                        at: here,
                    });
                    state = eval.key;
                    parent = Some(here);
                }
                Action::Run(run) => {
                    let mut definition = run.args.join("\u{0}");
                    definition.push_str(&format!(
                        "\u{1}network={};security={}",
                        run.network, run.security
                    ));
                    for m in &run.mounts {
                        definition.push_str(&format!("\u{1}{}", m.definition));
                    }
                    let mut inputs = vec![
                        parent_input(state),
                        Input {
                            label: Label::Definition,
                            key: Pair::same(inputs::text_key(&definition)),
                            detail: Detail::Text(run.args.join(" ")),
                        },
                        Input::env(&run.env),
                        Input::text(Label::Cwd, &run.cwd),
                        Input::text(Label::User, &run.user),
                    ];
                    for (mi, m) in run.mounts.iter().enumerate() {
                        let wants_content =
                            m.kind == "bind" || (m.kind == "cache" && m.from != SourceRef::None);
                        if !wants_content || m.target == "/" {
                            continue;
                        }
                        let source = if m.source.is_empty() { "/" } else { &m.source };
                        if let Some(input) =
                            source_input(spec, &out, &m.from, source, &[], mi, &mut notes, step)
                        {
                            inputs.push(input);
                        }
                        tags.extend(source_tags(&out, &m.from));
                        if let SourceRef::Image(r) = &m.from {
                            eval.reads_tag = eval.reads_tag.take().or_else(|| moving(r));
                        }
                    }
                    eval.tags = tags.clone();
                    eval.op = true;
                    eval.key = key_of("exec", &inputs);
                    if ignore {
                        eval.ignore_cache = true;
                        eval.key = fresh(eval.key, nonce);
                    }
                    eval.inputs = inputs;
                    layers = layers.push(Layer::Run {
                        p: eval.key.p,
                        at: here,
                    });
                    state = eval.key;
                    parent = Some(here);
                }
                Action::Copy(copy) => {
                    let mut inputs = Vec::new();
                    if !copy.link {
                        inputs.push(parent_input(state));
                    }
                    let mut definition = format!(
                        "{} dest={} chown={} chmod={} parents={} exclude={} {}",
                        if copy.add { "ADD" } else { "COPY" },
                        copy.dest,
                        copy.chown.as_deref().unwrap_or(""),
                        copy.chmod.as_deref().unwrap_or(""),
                        copy.parents,
                        copy.exclude.join(","),
                        copy.extra
                    );
                    for s in &copy.sources {
                        match s {
                            CopySource::Path(p) => {
                                definition.push_str(&format!(" src={}", base_name(p)))
                            }
                            CopySource::Url { url, .. } | CopySource::Git { url, .. } => {
                                definition.push_str(&format!(" url={url}"));
                            }
                            CopySource::Inline { name, .. } => {
                                definition.push_str(&format!(" inline={name}"))
                            }
                        }
                    }
                    inputs.push(Input {
                        label: Label::Definition,
                        key: Pair::same(inputs::text_key(&definition)),
                        detail: Detail::Text(definition.clone()),
                    });
                    let mut parts: Vec<Part> = Vec::new();
                    for (i, source) in copy.sources.iter().enumerate() {
                        match source {
                            CopySource::Path(path) => {
                                let (input, part) = copy_source(
                                    spec,
                                    &out,
                                    &copy.from,
                                    path,
                                    &copy.exclude,
                                    i,
                                    &mut notes,
                                    step,
                                );
                                if let Some(input) = input {
                                    inputs.push(input);
                                }
                                parts.extend(part);
                            }
                            CopySource::Url { url, pinned } | CopySource::Git { url, pinned } => {
                                let o = KeyHasher::new("remote").str(url).str(&definition).finish();
                                let p = if *pinned || !spec.next {
                                    KeyHasher::new("remote")
                                        .str(url)
                                        .str(&definition)
                                        .str("previous")
                                        .finish()
                                } else {
                                    KeyHasher::new("remote")
                                        .str(url)
                                        .str(&definition)
                                        .str("next")
                                        .finish()
                                };
                                let p = if *pinned { o } else { p };
                                let pair = Pair { p, o };
                                inputs.push(Input {
                                    label: Label::Source(i),
                                    key: pair,
                                    detail: Detail::Url(url.clone()),
                                });
                                parts.push(Part::Opaque {
                                    pair,
                                    certain: Vec::new(),
                                    uncertain: if *pinned { Vec::new() } else { vec![here] },
                                });
                            }
                            CopySource::Inline { name, content } => {
                                let d = KeyHasher::new("inline").str(name).str(content).finish();
                                inputs.push(Input {
                                    label: Label::Source(i),
                                    key: Pair::same(d),
                                    detail: Detail::Inline(name.clone()),
                                });
                                parts.push(Part::Opaque {
                                    pair: Pair::same(d),
                                    certain: vec![here],
                                    uncertain: Vec::new(),
                                });
                            }
                        }
                    }
                    let from_tags = source_tags(&out, &copy.from);
                    if let SourceRef::Image(r) = &copy.from {
                        eval.reads_tag = moving(r);
                    }
                    eval.tags = if copy.link {
                        from_tags.clone()
                    } else {
                        tags.union(&from_tags).cloned().collect()
                    };
                    tags.extend(from_tags);
                    eval.op = true;
                    eval.key = key_of("file", &inputs);
                    if ignore {
                        eval.ignore_cache = true;
                        eval.key = fresh(eval.key, nonce);
                    }
                    eval.inputs = inputs;
                    if copy.link {
                        let merge = key_of(
                            "merge",
                            &[
                                parent_input(state),
                                Input {
                                    label: Label::Definition,
                                    key: eval.key,
                                    detail: Detail::None,
                                },
                            ],
                        );
                        eval.merge = Some(merge);
                        state = merge;
                    } else {
                        state = eval.key;
                    }
                    let meta = KeyHasher::new("copy-meta")
                        .opt_str(copy.chown.as_deref())
                        .opt_str(copy.chmod.as_deref())
                        .finish();
                    layers = layers.push(Layer::Copy {
                        dest: copy.dest.clone(),
                        meta,
                        parts,
                        at: here,
                    });
                    parent = Some(here);
                }
            }
            eval.state = state;
            eval.layers = layers.clone();
            eval.state_tags = tags.clone();
            if !eval.op {
                eval.tags = tags.clone();
            }
            evals.push(eval);
        }
        out[stage.index] = Some(evals);
    }
    Eval { stages: out, notes }
}

fn parent_input(state: Pair) -> Input {
    Input {
        label: Label::Parent,
        key: state,
        detail: Detail::None,
    }
}

/// A key that is in no cache: `--no-cache` ops do not look up or publish keys.
fn fresh(key: Pair, nonce: &str) -> Pair {
    let d = KeyHasher::new("ignore-cache")
        .digest(&key.p)
        .str(nonce)
        .finish();
    Pair::same(d)
}

fn base_name(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_owned()
}

/// The content input of a COPY source or mount, and the parts its layer records.
#[allow(clippy::too_many_arguments)]
fn copy_source(
    spec: &BuildSpec<'_>,
    built: &[Option<Vec<OpEval>>],
    from: &SourceRef,
    path: &str,
    exclude: &[String],
    index: usize,
    notes: &mut Vec<Note>,
    step: &Step,
) -> (Option<Input>, Vec<Part>) {
    match from {
        SourceRef::Context => {
            let sel = content::select_context(spec.context, path, exclude);
            if sel.missing && spec.next {
                notes.push(Note {
                    severity: Severity::Error,
                    line: Some(step.line),
                    message: format!(
                        "`{}`: {path} is not in the build context (missing, or excluded by .dockerignore): BuildKit fails with \"not found\"",
                        short(&step.text)
                    ),
                });
            }
            let parts = sel.parts();
            (
                Some(Input {
                    label: Label::Source(index),
                    key: Pair::same(sel.digest),
                    detail: Detail::Context(sel),
                }),
                parts,
            )
        }
        _ => {
            let input = source_input(spec, built, from, path, exclude, index, notes, step);
            let part = input.as_ref().map(|i| {
                let (certain, uncertain) = match &i.detail {
                    Detail::Stage { content, .. } => {
                        (content.certain.clone(), content.uncertain.clone())
                    }
                    _ => (Vec::new(), Vec::new()),
                };
                Part::Opaque {
                    pair: i.key,
                    certain,
                    uncertain,
                }
            });
            (input, part.into_iter().collect())
        }
    }
}

/// The content input of a selection from the context, a stage or an image.
#[allow(clippy::too_many_arguments)]
fn source_input(
    spec: &BuildSpec<'_>,
    built: &[Option<Vec<OpEval>>],
    from: &SourceRef,
    path: &str,
    exclude: &[String],
    index: usize,
    notes: &mut Vec<Note>,
    step: &Step,
) -> Option<Input> {
    match from {
        SourceRef::Context => copy_source(spec, built, from, path, exclude, index, notes, step).0,
        SourceRef::Stage(j) => {
            let layers = built
                .get(*j)
                .and_then(Option::as_ref)
                .and_then(|s| s.last())
                .map(|e| e.layers.clone())
                .unwrap_or_default();
            let c = content::select(&layers, path);
            Some(Input {
                label: Label::Source(index),
                key: c.pair,
                detail: Detail::Stage {
                    stage: spec
                        .plan
                        .stages
                        .get(*j)
                        .map_or_else(String::new, |s| s.display.clone()),
                    path: content::abs(path),
                    content: c,
                },
            })
        }
        SourceRef::Image(reference) => {
            let selected = content::abs(path);
            let (image, pair) = spec.image_pair(reference, &selected);
            // The files at that path may be identical even when the image changed: only the
            // pessimistic key sees the image change.
            let o = KeyHasher::new("image-files")
                .str(&image.canonical())
                .str(&selected)
                .finish();
            let p = KeyHasher::new("image-files").digest(&pair.p).finish();
            let p = if spec.generation(&image) == 0 && pair.p == pair.o {
                o
            } else {
                p
            };
            Some(Input {
                label: Label::Source(index),
                key: Pair { p, o },
                detail: Detail::Image {
                    reference: reference.clone(),
                    path: selected,
                },
            })
        }
        SourceRef::None => None,
    }
}

/// Statuses and reasons for the next build, given both evaluations.
pub(crate) struct Comparison<'a> {
    pub prev_plan: &'a Plan,
    pub next_plan: &'a Plan,
    pub prev: &'a Eval,
    pub next: &'a Eval,
    pub no_cache: bool,
    pub no_cache_filter: &'a [String],
    /// `--assume-tags-unchanged`: an unpinned tag is taken to name the same image as before.
    pub assume_tags_unchanged: bool,
}

/// The result for one step, and for the state it leaves (which differs for `--link`).
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub status: Status,
    pub reason: String,
    pub cause: Option<usize>,
    /// The status of the state after the step (what later steps build on).
    pub state_status: Status,
    pub state_cause: Option<usize>,
    /// What started the miss (own inputs only).
    pub why: Cause,
    /// The unpinned base-image tags a `cached` or `may-miss` op assumes did not move.
    pub tags: BTreeSet<String>,
}

struct Info<'a> {
    plan: &'a Plan,
    outcomes: &'a HashMap<StepRef, Outcome>,
}

impl StepInfo for Info<'_> {
    fn describe_step(&self, at: StepRef) -> Option<(String, usize)> {
        let step = self.plan.stages.get(at.0)?.steps.get(at.1)?;
        Some((step.text.clone(), step.line))
    }

    fn changed(&self, at: StepRef) -> bool {
        self.outcomes
            .get(&at)
            .is_some_and(|o| matches!(o.status, Status::Rebuilt | Status::MayMiss))
    }

    fn rebuilt(&self, at: StepRef) -> bool {
        self.outcomes
            .get(&at)
            .is_some_and(|o| o.status == Status::Rebuilt)
    }

    fn reason(&self, at: StepRef) -> Option<String> {
        self.outcomes.get(&at).map(|o| o.reason.clone())
    }
}

impl Comparison<'_> {
    pub fn run(&self) -> (Vec<StepResult>, HashMap<StepRef, Outcome>) {
        let mut p_keys: HashSet<Digest> = HashSet::new();
        let mut o_keys: HashSet<Digest> = HashSet::new();
        let mut by_parent: HashMap<Digest, Vec<StepRef>> = HashMap::new();
        for (si, stage) in self.prev.stages.iter().enumerate() {
            let Some(steps) = stage else { continue };
            for (i, e) in steps.iter().enumerate() {
                if !e.op {
                    continue;
                }
                for k in [Some(e.key), e.merge].into_iter().flatten() {
                    p_keys.insert(k.p);
                    o_keys.insert(k.o);
                }
                if let Some(parent) = e.inputs.iter().find(|i| i.label == Label::Parent) {
                    by_parent.entry(parent.key.o).or_default().push((si, i));
                }
            }
        }
        let status_of = |pair: Pair| {
            if p_keys.contains(&pair.p) {
                Status::Cached
            } else if o_keys.contains(&pair.o) {
                Status::MayMiss
            } else {
                Status::Rebuilt
            }
        };
        let target_name = self
            .next_plan
            .target
            .and_then(|t| self.next_plan.stages.get(t))
            .map_or_else(String::new, |s| s.display.clone());
        let mut outcomes: HashMap<StepRef, Outcome> = HashMap::new();
        let mut shown: Vec<(StepRef, Outcome)> = Vec::new();
        let mut results = Vec::new();
        for stage in &self.next_plan.stages {
            let evals = self.next.stages.get(stage.index).and_then(Option::as_ref);
            for (si, step) in stage.steps.iter().enumerate() {
                let here = (stage.index, si);
                let Some(eval) = evals.and_then(|e| e.get(si)) else {
                    results.push(stage.result(
                        step,
                        Status::Skipped,
                        format!(
                            "stage `{}` is not needed for target `{target_name}`",
                            stage.display
                        ),
                        None,
                        false,
                    ));
                    continue;
                };
                let parent_outcome = eval.parent.and_then(|p| outcomes.get(&p)).cloned();
                let outcome = if eval.op {
                    let status = if eval.ignore_cache {
                        Status::Rebuilt
                    } else {
                        status_of(eval.key)
                    };
                    let (reason, own, why) = self.explain(
                        step,
                        eval,
                        here,
                        status,
                        parent_outcome.as_ref(),
                        &by_parent,
                        &outcomes,
                    );
                    let cause = match status {
                        Status::Cached | Status::Skipped => None,
                        _ if own => Some(step.line),
                        _ => parent_outcome.as_ref().and_then(|p| p.state_cause),
                    };
                    let (state_status, state_cause) = match eval.merge {
                        Some(merge) => {
                            let s = if eval.ignore_cache {
                                Status::Rebuilt
                            } else {
                                status_of(merge)
                            };
                            let c = if s == Status::Cached {
                                None
                            } else if status == Status::Cached {
                                parent_outcome.as_ref().and_then(|p| p.state_cause)
                            } else {
                                cause
                            };
                            (s, c)
                        }
                        None => (status, cause),
                    };
                    let tags = if self.assume_tags_unchanged || status == Status::Rebuilt {
                        BTreeSet::new()
                    } else {
                        eval.tags.clone()
                    };
                    Outcome {
                        status,
                        reason,
                        cause,
                        state_status,
                        state_cause,
                        why,
                        tags,
                    }
                } else {
                    self.non_op(stage.index, step, parent_outcome.as_ref(), &outcomes)
                };
                // A step that reads a moving tag itself is `may-miss`; the state it leaves keeps
                // the status its other inputs give, so later steps are not all `may-miss` too:
                // they carry the tag in `depends_on_tags` instead.
                let shown = match &eval.reads_tag {
                    Some(tag)
                        if eval.op
                            && outcome.status == Status::Cached
                            && !self.assume_tags_unchanged =>
                    {
                        let mut o = outcome.clone();
                        o.status = Status::MayMiss;
                        o.reason = moving_tag_reason(step, tag);
                        o.cause = Some(step.line);
                        o.why = Cause::Base;
                        shown.push((here, o.clone()));
                        o
                    }
                    _ => outcome.clone(),
                };
                let mut row = stage.result(step, shown.status, shown.reason, shown.cause, eval.op);
                row.depends_on_tags = outcome.tags.iter().cloned().collect();
                results.push(row);
                outcomes.insert(here, outcome);
            }
        }
        // Reported outside (advice, history) as shown; the walk above compared the rest of
        // the build on what the other inputs say.
        for (at, o) in shown {
            outcomes.insert(at, o);
        }
        (results, outcomes)
    }

    /// FROM scratch, FROM <stage>, and metadata-only instructions.
    fn non_op(
        &self,
        stage: usize,
        step: &Step,
        parent: Option<&Outcome>,
        _outcomes: &HashMap<StepRef, Outcome>,
    ) -> Outcome {
        let inherited = |reason: String| Outcome {
            status: Status::Cached,
            reason,
            cause: None,
            state_status: parent.map_or(Status::Cached, |p| p.state_status),
            state_cause: parent.and_then(|p| p.state_cause),
            why: Cause::None,
            tags: BTreeSet::new(),
        };
        match &step.action {
            Action::From(Base::Scratch) => {
                inherited("FROM scratch: an empty filesystem, no op".to_owned())
            }
            Action::From(Base::Stage(j)) => {
                let name = self
                    .next_plan
                    .stages
                    .get(*j)
                    .map_or("", |s| s.display.as_str());
                match parent {
                    Some(p) if p.state_status != Status::Cached => Outcome {
                        status: p.state_status,
                        reason: format!(
                            "continues stage `{name}`, which {}",
                            if p.state_status == Status::Rebuilt {
                                "rebuilt"
                            } else {
                                "may miss"
                            }
                        ),
                        cause: p.state_cause,
                        state_status: p.state_status,
                        state_cause: p.state_cause,
                        why: Cause::None,
                        tags: BTreeSet::new(),
                    },
                    _ => inherited(format!("continues stage `{name}` (no op of its own)")),
                }
            }
            _ => {
                let counterpart = self.meta_counterpart(stage, step);
                let what = match step.keyword {
                    Keyword::Arg | Keyword::Env => "no op: sets variables that later RUN steps see",
                    Keyword::User => "no op: sets the user of later RUN and WORKDIR steps",
                    Keyword::Shell => "no op: sets the shell of later RUN steps",
                    Keyword::Onbuild => "no op: records a trigger for stages built FROM this one",
                    Keyword::Workdir => "no op: WORKDIR / creates no layer",
                    _ => "no op: changes only the image config",
                };
                let reason = match counterpart {
                    Some(prev) if prev.text != step.text => {
                        format!("{what}; changed from `{}`", short(&prev.text))
                    }
                    None if self
                        .prev_plan
                        .stages
                        .iter()
                        .any(|s| s.display == self.next_plan.stages[stage].display) =>
                    {
                        format!("{what}; new in this build")
                    }
                    _ => what.to_owned(),
                };
                inherited(reason)
            }
        }
    }

    fn meta_counterpart(&self, stage: usize, step: &Step) -> Option<&Step> {
        let next_stage = self.next_plan.stages.get(stage)?;
        let ordinal = next_stage
            .steps
            .iter()
            .take_while(|s| !std::ptr::eq(*s, step))
            .filter(|s| s.keyword == step.keyword)
            .count();
        let prev_stage = self
            .prev_plan
            .stages
            .iter()
            .find(|s| s.display == next_stage.display)?;
        prev_stage
            .steps
            .iter()
            .filter(|s| s.keyword == step.keyword)
            .nth(ordinal)
    }

    /// The previous build's version of an op: built on the same parent, else the same
    /// instruction kind at the same position in the stage of the same name.
    fn counterpart(
        &self,
        step: &Step,
        eval: &OpEval,
        here: StepRef,
        by_parent: &HashMap<Digest, Vec<StepRef>>,
    ) -> Option<(&Step, &OpEval)> {
        let get = |at: StepRef| {
            let s = self.prev_plan.stages.get(at.0)?.steps.get(at.1)?;
            let e = self.prev.stages.get(at.0)?.as_ref()?.get(at.1)?;
            Some((s, e))
        };
        if let Some(parent) = eval.inputs.iter().find(|i| i.label == Label::Parent) {
            if let Some(children) = by_parent.get(&parent.key.o) {
                let best = children
                    .iter()
                    .filter_map(|at| get(*at).map(|(s, e)| (at, s, e)))
                    .min_by_key(|(_, s, _)| {
                        (
                            s.keyword != step.keyword,
                            s.text != step.text,
                            s.line.abs_diff(step.line),
                        )
                    });
                if let Some((_, s, e)) = best {
                    return Some((s, e));
                }
            }
        }
        let next_stage = self.next_plan.stages.get(here.0)?;
        let ordinal = next_stage.steps[..here.1]
            .iter()
            .filter(|s| s.keyword == step.keyword)
            .count();
        let prev_stage = self
            .prev_plan
            .stages
            .iter()
            .find(|s| s.display == next_stage.display)
            .or_else(|| self.prev_plan.stages.get(here.0))?;
        let (index, _) = prev_stage
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.keyword == step.keyword)
            .nth(ordinal)?;
        get((prev_stage.index, index))
    }

    /// The reason for an op's status, and whether the cause is the op's own input (rather
    /// than its parent).
    #[allow(clippy::too_many_arguments)]
    fn explain(
        &self,
        step: &Step,
        eval: &OpEval,
        here: StepRef,
        status: Status,
        parent: Option<&Outcome>,
        by_parent: &HashMap<Digest, Vec<StepRef>>,
        outcomes: &HashMap<StepRef, Outcome>,
    ) -> (String, bool, Cause) {
        let info = Info {
            plan: self.next_plan,
            outcomes,
        };
        let parent_line = eval
            .parent
            .and_then(|p| self.next_plan.stages.get(p.0)?.steps.get(p.1))
            .map(|s| s.line);
        let parent_cached = parent.is_none_or(|p| p.state_status == Status::Cached);
        if status == Status::Cached {
            return (
                self.cached_reason(step, eval, parent, &info),
                false,
                Cause::None,
            );
        }
        if eval.ignore_cache {
            let why = if self.no_cache {
                "--no-cache: BuildKit runs it again and does not reuse its key".to_owned()
            } else {
                let stage = &self.next_plan.stages[here.0];
                format!(
                    "--no-cache-filter {}: BuildKit runs it again and does not reuse its key",
                    self.no_cache_filter
                        .iter()
                        .find(|f| stage
                            .name
                            .as_deref()
                            .is_some_and(|n| f.eq_ignore_ascii_case(n)))
                        .map_or(stage.display.as_str(), String::as_str)
                )
            };
            return (why, true, Cause::None);
        }
        let has_parent_input = eval.inputs.iter().any(|i| i.label == Label::Parent);
        if let Some(p) = parent.filter(|_| has_parent_input) {
            let line = parent_line.unwrap_or(0);
            match (status, p.state_status) {
                (Status::Rebuilt, Status::Rebuilt) => {
                    return (
                        format!("parent step rebuilt (line {line})"),
                        false,
                        Cause::None,
                    );
                }
                (Status::MayMiss, Status::MayMiss) => {
                    return (
                        format!("parent step may miss (line {line})"),
                        false,
                        Cause::None,
                    );
                }
                _ => {}
            }
        }
        let _ = parent_cached;
        let counterpart = self.counterpart(step, eval, here, by_parent);
        let Some((prev_step, prev_eval)) = counterpart else {
            return (
                if step.keyword == Keyword::From {
                    "new stage: nothing like it was built before".to_owned()
                } else {
                    "new step: no step like it was built on this parent before".to_owned()
                },
                true,
                Cause::Definition,
            );
        };
        let certain = status == Status::Rebuilt;
        for input in &eval.inputs {
            if input.label == Label::Parent {
                continue;
            }
            let prev_input = prev_eval.inputs.iter().find(|i| i.label == input.label);
            let Some(prev_input) = prev_input else {
                let what = match &input.label {
                    Label::Source(_) => "a new source",
                    _ => "a new input",
                };
                return (
                    format!(
                        "{what} (was `{}`, line {})",
                        short(&prev_step.text),
                        prev_step.line
                    ),
                    true,
                    Cause::Definition,
                );
            };
            let differs = if certain {
                prev_input.key.o != input.key.o
            } else {
                prev_input.key.p != input.key.p
            };
            if !differs {
                continue;
            }
            if let Some(reason) = describe(step, prev_step, prev_input, input, certain, &info) {
                return (reason, true, cause_of(prev_input, input));
            }
        }
        if prev_eval.inputs.len() > eval.inputs.len() {
            return (
                format!("a source was removed (was `{}`)", short(&prev_step.text)),
                true,
                Cause::Definition,
            );
        }
        if step.text != prev_step.text {
            return (
                format!(
                    "instruction changed: was `{}` (line {})",
                    short(&prev_step.text),
                    prev_step.line
                ),
                true,
                Cause::Definition,
            );
        }
        ("its cache key is new".to_owned(), true, Cause::None)
    }

    fn cached_reason(
        &self,
        step: &Step,
        eval: &OpEval,
        parent: Option<&Outcome>,
        info: &Info<'_>,
    ) -> String {
        if let Action::From(Base::Image(r)) = &step.action {
            let image = ImageRef::parse(r);
            return if image.pinned() {
                format!("same image {r} (pinned by digest)")
            } else {
                format!("same image reference {r} (assumed unchanged: --assume-tags-unchanged)")
            };
        }
        if eval.merge.is_some() && parent.is_some_and(|p| p.state_status != Status::Cached) {
            return "--link: the copied layer is reused even though the steps before it changed (only the merge onto them is redone)".to_owned();
        }
        for input in &eval.inputs {
            if let Detail::Stage {
                stage,
                path,
                content,
            } = &input.detail
            {
                let rebuilt_upstream = content
                    .certain
                    .iter()
                    .chain(&content.uncertain)
                    .any(|at| info.changed(*at));
                let stage_changed = self
                    .next
                    .stages
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| s.as_ref().map(|s| (i, s.len())))
                    .any(|(i, n)| {
                        self.next_plan
                            .stages
                            .get(i)
                            .is_some_and(|s| &s.display == stage)
                            && (0..n).any(|k| info.changed((i, k)))
                    });
                if stage_changed && !rebuilt_upstream {
                    return format!(
                        "stage `{stage}` rebuilt, but nothing it changed touches {path}: the copied files are identical, and COPY --from is keyed by content"
                    );
                }
            }
        }
        match &step.action {
            Action::Run(_) => "same command, environment and parent as before".to_owned(),
            Action::Copy(_) => "same sources (by content) and parent as before".to_owned(),
            Action::Workdir { .. } => "same directory and parent as before".to_owned(),
            _ => "unchanged".to_owned(),
        }
    }
}

fn describe(
    step: &Step,
    prev_step: &Step,
    prev: &Input,
    next: &Input,
    certain: bool,
    info: &dyn StepInfo,
) -> Option<String> {
    match (&next.label, &prev.detail, &next.detail) {
        (Label::Definition, Detail::Text(a), Detail::Text(b)) => {
            Some(if step.text != prev_step.text {
                format!(
                    "instruction changed: was `{}` (line {})",
                    short(&prev_step.text),
                    prev_step.line
                )
            } else {
                format!(
                    "its arguments expand differently: `{}` → `{}`",
                    short(a),
                    short(b)
                )
            })
        }
        (Label::Definition, _, _) => Some(format!(
            "instruction changed: was `{}` (line {})",
            short(&prev_step.text),
            prev_step.line
        )),
        (Label::Env, Detail::Env(a), Detail::Env(b)) => {
            let what = match step.keyword {
                Keyword::Run => "RUN",
                _ => "step",
            };
            env_difference(a, b, what)
        }
        (Label::Cwd, Detail::Text(a), Detail::Text(b)) => {
            Some(format!("working directory changed from {a} to {b}"))
        }
        (Label::User, Detail::Text(a), Detail::Text(b)) => Some(format!(
            "user changed from {} to {}",
            if a.is_empty() { "root (default)" } else { a },
            if b.is_empty() { "root (default)" } else { b }
        )),
        (Label::Base, Detail::Text(a), Detail::Text(b)) => Some(if a != b {
            format!("base image changed from {a} to {b}")
        } else if certain {
            format!("base image {b} changed (--base-changed)")
        } else {
            format!("base image tag {b} may have moved: BuildKit resolves it again on every build (pin it with @sha256:… to be sure)")
        }),
        (Label::Source(_), a, b) => content_difference(a, b, certain, info),
        _ => None,
    }
}

/// Why a step that reads an unpinned image is `may-miss`.
fn moving_tag_reason(step: &Step, tag: &str) -> String {
    let what = if step.keyword == Keyword::From {
        "base image"
    } else {
        "image"
    };
    format!(
        "{what} tag `{tag}` may move: BuildKit resolves it again on every build; pin it with @sha256:… to know (--base-changed {tag} if it moved, --assume-tags-unchanged if not)"
    )
}
