//! The classic builder (`DOCKER_BUILDKIT=0`, moby `daemon/builder/dockerfile`): every stage up
//! to the target is built in order; every instruction but FROM commits an image; a step hits
//! when a local child image of the same parent has the same config (Cmd included); the first
//! miss in a stage busts the cache for the rest of it.

use std::collections::{HashMap, HashSet};

use layerlab_syntax::Keyword;

use crate::content::{self, Layer, Layers, Pair, Part, StepRef};
use crate::context::{Context, EntryKind};
use crate::digest::{Digest, KeyHasher};
use crate::images::ImageRef;
use crate::inputs::{content_difference, short, Cause, Detail, StepInfo};
use crate::plan::{Action, Base, CopySource, LegacyCmd, Plan, SourceRef, Step};
use crate::report::{Note, Severity, Status, StepResult};

pub(crate) struct LegacySpec<'a> {
    pub plan: &'a Plan,
    pub context: &'a Context,
    pub changed_bases: &'a [String],
    pub next: bool,
    pub no_cache: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct LegacyStep {
    /// `(parent image, Cmd, config)`.
    pub key: Pair,
    /// The image this step produces.
    pub image: Pair,
    pub parent_image: Pair,
    /// The Cmd as the history shows it.
    pub cmd: String,
    /// Content inputs of a COPY/ADD, for reasons.
    pub sources: Vec<Detail>,
    pub status: Status,
    pub reason: String,
    pub cause: Option<usize>,
    pub why: Cause,
    pub layers: Layers,
}

pub(crate) struct LegacyEval {
    pub stages: Vec<Option<Vec<LegacyStep>>>,
    pub notes: Vec<Note>,
}

/// The keys of the previous build: every step's key, pessimistic and optimistic.
pub(crate) struct Cache {
    p: HashSet<Digest>,
    o: HashSet<Digest>,
    /// Previous steps by the (optimistic) image they were built on.
    by_parent: HashMap<Digest, Vec<StepRef>>,
}

impl Cache {
    pub fn of(eval: &LegacyEval) -> Cache {
        let mut cache = Cache {
            p: HashSet::new(),
            o: HashSet::new(),
            by_parent: HashMap::new(),
        };
        for (si, stage) in eval.stages.iter().enumerate() {
            for (i, step) in stage.iter().flatten().enumerate() {
                if i == 0 {
                    continue;
                }
                cache.p.insert(step.key.p);
                cache.o.insert(step.key.o);
                cache
                    .by_parent
                    .entry(step.parent_image.o)
                    .or_default()
                    .push((si, i));
            }
        }
        cache
    }
}

fn fresh(key: Digest, what: &str) -> Digest {
    KeyHasher::new("new-image").digest(&key).str(what).finish()
}

fn image_id(key: Digest) -> Digest {
    KeyHasher::new("image-id").digest(&key).finish()
}

/// Evaluates a build. With `cache` (the next build), statuses are decided as it goes, since a
/// miss gives every later step a new parent image.
pub(crate) fn evaluate(
    spec: &LegacySpec<'_>,
    cache: Option<&Cache>,
    prev: Option<(&Plan, &LegacyEval)>,
) -> LegacyEval {
    let plan = spec.plan;
    let mut stages: Vec<Option<Vec<LegacyStep>>> = vec![None; plan.stages.len()];
    let mut notes = Vec::new();
    let last = plan.target.unwrap_or(0);
    let mut reasons: HashMap<StepRef, (Status, String, String, usize)> = HashMap::new();
    for stage in plan.stages.iter().take(last + 1) {
        let mut steps: Vec<LegacyStep> = Vec::new();
        let (mut image, mut from_status, mut from_reason, mut from_cause, mut layers) = match &stage
            .base
        {
            Base::Image(r) => {
                let img = ImageRef::parse(r);
                let changed = spec.next && spec.changed_bases.iter().any(|n| img.covered_by(n));
                let id = KeyHasher::new("base-image")
                    .str(&img.canonical())
                    .bool(changed)
                    .finish();
                let (status, reason) = if changed {
                    (
                            Status::Rebuilt,
                            format!("base image {r} changed (--base-changed): every step of the stage rebuilds"),
                        )
                } else {
                    (
                            Status::Cached,
                            format!("same local image {r} (the classic builder pulls a newer one only with --pull)"),
                        )
                };
                let line = stage.steps.first().map_or(0, |s| s.line);
                let layers = Layers::default().push(Layer::Base {
                    p: id,
                    at: (stage.index, 0),
                });
                (
                    Pair::same(id),
                    status,
                    reason,
                    (status != Status::Cached).then_some(line),
                    layers,
                )
            }
            Base::Scratch => (
                Pair::same(KeyHasher::new("scratch").finish()),
                Status::Cached,
                "FROM scratch: an empty filesystem".to_owned(),
                None,
                Layers::default(),
            ),
            Base::Stage(j) => {
                let base = stages
                    .get(*j)
                    .and_then(Option::as_ref)
                    .and_then(|s| s.last());
                let name = plan.stages.get(*j).map_or("", |s| s.display.as_str());
                match base {
                    Some(b) => {
                        let changed = stages[*j]
                            .iter()
                            .flatten()
                            .filter(|s| s.status != Status::Cached)
                            .max_by_key(|s| s.status);
                        let (status, reason, cause) = match changed {
                                Some(s) => (
                                    s.status,
                                    format!("stage `{name}` produced a new image: every step of this stage rebuilds"),
                                    s.cause,
                                ),
                                None => (Status::Cached, format!("continues stage `{name}`'s image"), None),
                            };
                        (b.image, status, reason, cause, b.layers.clone())
                    }
                    None => (
                        Pair::same(KeyHasher::new("missing-stage").finish()),
                        Status::Rebuilt,
                        format!("stage `{name}` is not built"),
                        None,
                        Layers::default(),
                    ),
                }
            }
        };
        if !spec.next {
            from_status = Status::Cached;
            from_reason.clear();
            from_cause = None;
        }
        steps.push(LegacyStep {
            key: image,
            image,
            parent_image: image,
            cmd: String::new(),
            sources: Vec::new(),
            status: from_status,
            reason: from_reason,
            cause: from_cause,
            why: if from_status == Status::Cached {
                Cause::None
            } else {
                Cause::Base
            },
            layers: layers.clone(),
        });
        // `busted`: a certain miss happened in this stage; `maybe`: a possible one.
        // The first certain (and possible) miss in this stage: its line, and whether it was the
        // parent image itself.
        let mut busted: Option<(usize, bool)> =
            (from_status == Status::Rebuilt).then(|| (from_cause.unwrap_or(0), true));
        let mut maybe: Option<usize> =
            (from_status == Status::MayMiss).then(|| from_cause.unwrap_or(0));
        for (si, step) in stage.steps.iter().enumerate().skip(1) {
            let here = (stage.index, si);
            if let (Some(message), true) = (&step.legacy_error, spec.next) {
                notes.push(Note {
                    severity: Severity::Error,
                    line: Some(step.line),
                    message: message.clone(),
                });
            }
            let (cmd, sources, parts) = command(spec, plan, &stages, step, here, &mut notes);
            let key = Pair {
                p: KeyHasher::new("legacy-step")
                    .digest(&image.p)
                    .str(&cmd.p)
                    .digest(&step.legacy_config)
                    .finish(),
                o: KeyHasher::new("legacy-step")
                    .digest(&image.o)
                    .str(&cmd.o)
                    .digest(&step.legacy_config)
                    .finish(),
            };
            let mut why = Cause::None;
            let (status, reason, cause) = match cache {
                None => (Status::Cached, String::new(), None),
                Some(cache) => {
                    if spec.no_cache {
                        (
                            Status::Rebuilt,
                            "--no-cache: the classic builder does not look up its cache".to_owned(),
                            Some(step.line),
                        )
                    } else if let Some((line, from_parent)) = busted {
                        (
                            Status::Rebuilt,
                            if from_parent {
                                if matches!(stage.base, Base::Stage(_)) {
                                    "its parent image is new (the stage it starts from rebuilt)"
                                        .to_owned()
                                } else {
                                    "its parent image is new (the base image changed)".to_owned()
                                }
                            } else {
                                format!(
                                    "the classic builder stopped using the cache at line {line} (the first miss in this stage) and rebuilds every later step"
                                )
                            },
                            Some(line),
                        )
                    } else if cache.p.contains(&key.p) && maybe.is_none() {
                        (Status::Cached, String::new(), None)
                    } else if cache.o.contains(&key.o) {
                        match maybe {
                            Some(line) => (
                                Status::MayMiss,
                                format!("the step at line {line} may miss; if it does, the classic builder rebuilds every later step of the stage"),
                                Some(line),
                            ),
                            None => {
                                let (r, w) = explain(step, &cmd, &sources, image, cache, prev, plan, &reasons, false);
                                why = w;
                                (Status::MayMiss, r, Some(step.line))
                            }
                        }
                    } else {
                        let (r, w) = explain(
                            step, &cmd, &sources, image, cache, prev, plan, &reasons, true,
                        );
                        why = w;
                        (Status::Rebuilt, r, Some(step.line))
                    }
                }
            };
            let new_image = match status {
                Status::Cached | Status::Skipped => Pair {
                    p: image_id(key.p),
                    o: image_id(key.o),
                },
                Status::MayMiss => Pair {
                    p: fresh(key.p, "maybe"),
                    o: image_id(key.o),
                },
                Status::Rebuilt => Pair::same(fresh(key.o, "rebuilt")),
            };
            match status {
                Status::Rebuilt => busted = busted.or(Some((step.line, false))),
                Status::MayMiss => maybe = maybe.or(Some(step.line)),
                _ => {}
            }
            layers = match (&step.action, parts) {
                (Action::Run(_), _) => layers.push(Layer::Run {
                    p: new_image.p,
                    at: here,
                }),
                (Action::Workdir { path, .. }, _) => layers.push(Layer::Mkdir {
                    path: content::abs(path),
                    at: here,
                }),
                (Action::Copy(copy), Some(parts)) => layers.push(Layer::Copy {
                    dest: copy.dest.clone(),
                    meta: KeyHasher::new("copy-meta")
                        .opt_str(copy.chown.as_deref())
                        .opt_str(None)
                        .finish(),
                    parts,
                    at: here,
                }),
                _ => layers,
            };
            reasons.insert(here, (status, reason.clone(), step.text.clone(), step.line));
            steps.push(LegacyStep {
                key,
                image: new_image,
                parent_image: image,
                cmd: cmd.p.clone(),
                sources,
                status,
                reason,
                cause,
                why,
                layers: layers.clone(),
            });
            image = new_image;
        }
        stages[stage.index] = Some(steps);
    }
    LegacyEval { stages, notes }
}

/// The step's Cmd, pessimistic and optimistic (they differ for COPY --from with uncertain
/// content), its content inputs and the parts its layer records.
struct CmdPair {
    p: String,
    o: String,
}

fn command(
    spec: &LegacySpec<'_>,
    plan: &Plan,
    built: &[Option<Vec<LegacyStep>>],
    step: &Step,
    _here: StepRef,
    notes: &mut Vec<Note>,
) -> (CmdPair, Vec<Detail>, Option<Vec<Part>>) {
    match (&step.legacy_cmd, &step.action) {
        (LegacyCmd::Copy { prefix, dest }, Action::Copy(copy)) => {
            let mut details = Vec::new();
            let mut parts = Vec::new();
            let mut p = KeyHasher::new("legacy-sources");
            let mut o = KeyHasher::new("legacy-sources");
            let mut kinds = Vec::new();
            for source in &copy.sources {
                match (&copy.from, source) {
                    (SourceRef::Context, CopySource::Path(path)) => {
                        let sel = content::select_context(spec.context, path, &[]);
                        if sel.missing && spec.next {
                            notes.push(Note {
                                severity: Severity::Error,
                                line: Some(step.line),
                                message: format!(
                                    "`{}`: {path} is not in the build context (missing, or excluded by .dockerignore): the build fails",
                                    short(&step.text)
                                ),
                            });
                        }
                        for (_, node) in &sel.matches {
                            kinds.push(node.entry().kind);
                        }
                        p.digest(&sel.digest);
                        o.digest(&sel.digest);
                        parts.extend(sel.parts());
                        details.push(Detail::Context(sel));
                    }
                    (SourceRef::Stage(j), CopySource::Path(path)) => {
                        let layers = built
                            .get(*j)
                            .and_then(Option::as_ref)
                            .and_then(|s| s.last())
                            .map(|s| s.layers.clone())
                            .unwrap_or_default();
                        let c = content::select(&layers, path);
                        p.digest(&c.pair.p);
                        o.digest(&c.pair.o);
                        kinds.push(EntryKind::Dir);
                        parts.push(Part::Opaque {
                            pair: c.pair,
                            certain: c.certain.clone(),
                            uncertain: c.uncertain.clone(),
                        });
                        details.push(Detail::Stage {
                            stage: plan
                                .stages
                                .get(*j)
                                .map_or_else(String::new, |s| s.display.clone()),
                            path: content::abs(path),
                            content: c,
                        });
                    }
                    (SourceRef::Image(r), CopySource::Path(path)) => {
                        let img = ImageRef::parse(r);
                        let changed =
                            spec.next && spec.changed_bases.iter().any(|n| img.covered_by(n));
                        let o_d = KeyHasher::new("image-files")
                            .str(&img.canonical())
                            .str(path)
                            .finish();
                        let p_d = if changed { fresh(o_d, "changed") } else { o_d };
                        p.digest(&p_d);
                        o.digest(&o_d);
                        kinds.push(EntryKind::Dir);
                        parts.push(Part::Opaque {
                            pair: Pair { p: p_d, o: o_d },
                            certain: Vec::new(),
                            uncertain: Vec::new(),
                        });
                        details.push(Detail::Image {
                            reference: r.clone(),
                            path: content::abs(path),
                        });
                    }
                    (_, CopySource::Url { url, .. } | CopySource::Git { url, .. }) => {
                        let o_d = KeyHasher::new("remote").str(url).finish();
                        let p_d = if spec.next { fresh(o_d, "remote") } else { o_d };
                        p.digest(&p_d);
                        o.digest(&o_d);
                        kinds.push(EntryKind::File);
                        details.push(Detail::Url(url.clone()));
                    }
                    (_, CopySource::Inline { name, .. }) => {
                        // The classic builder never reads heredoc bodies.
                        let d = KeyHasher::new("heredoc-name").str(name).finish();
                        p.digest(&d);
                        o.digest(&d);
                        kinds.push(EntryKind::File);
                        details.push(Detail::Inline(name.clone()));
                    }
                    (_, CopySource::Path(_)) => {}
                }
            }
            let label = match kinds.as_slice() {
                [EntryKind::Dir] => "dir",
                [_] => "file",
                _ => "multi",
            };
            let (p, o) = (p.finish(), o.finish());
            (
                CmdPair {
                    p: format!("{prefix}{label}:{} in {dest} ", p.hex()),
                    o: format!("{prefix}{label}:{} in {dest} ", o.hex()),
                },
                details,
                Some(parts),
            )
        }
        (LegacyCmd::Text(text), _) => (
            CmdPair {
                p: text.clone(),
                o: text.clone(),
            },
            Vec::new(),
            None,
        ),
        (LegacyCmd::Copy { prefix, dest }, _) => (
            CmdPair {
                p: format!("{prefix} in {dest} "),
                o: format!("{prefix} in {dest} "),
            },
            Vec::new(),
            None,
        ),
    }
}

struct Reasons<'a> {
    plan: &'a Plan,
    reasons: &'a HashMap<StepRef, (Status, String, String, usize)>,
}

impl StepInfo for Reasons<'_> {
    fn describe_step(&self, at: StepRef) -> Option<(String, usize)> {
        let step = self.plan.stages.get(at.0)?.steps.get(at.1)?;
        Some((step.text.clone(), step.line))
    }

    fn changed(&self, at: StepRef) -> bool {
        self.reasons
            .get(&at)
            .is_some_and(|(s, ..)| matches!(s, Status::Rebuilt | Status::MayMiss))
    }

    fn rebuilt(&self, at: StepRef) -> bool {
        self.reasons
            .get(&at)
            .is_some_and(|(s, ..)| *s == Status::Rebuilt)
    }

    fn reason(&self, at: StepRef) -> Option<String> {
        self.reasons.get(&at).map(|(_, r, ..)| r.clone())
    }
}

/// The first difference between this step and the previous build's step on the same parent.
#[allow(clippy::too_many_arguments)]
fn explain(
    step: &Step,
    cmd: &CmdPair,
    sources: &[Detail],
    parent: Pair,
    cache: &Cache,
    prev: Option<(&Plan, &LegacyEval)>,
    plan: &Plan,
    reasons: &HashMap<StepRef, (Status, String, String, usize)>,
    certain: bool,
) -> (String, Cause) {
    let info = Reasons { plan, reasons };
    let Some((prev_plan, prev_eval)) = prev else {
        return ("its cache key is new".to_owned(), Cause::None);
    };
    let Some(children) = cache.by_parent.get(&parent.o) else {
        return ("its parent image is new".to_owned(), Cause::None);
    };
    let best = children
        .iter()
        .filter_map(|at| {
            let s = prev_plan.stages.get(at.0)?.steps.get(at.1)?;
            let e = prev_eval.stages.get(at.0)?.as_ref()?.get(at.1)?;
            Some((s, e))
        })
        .min_by_key(|(s, _)| {
            (
                s.keyword != step.keyword,
                s.text != step.text,
                s.line.abs_diff(step.line),
            )
        });
    let Some((prev_step, prev_result)) = best else {
        return (
            "new step: no image was committed on this parent for it before".to_owned(),
            Cause::Definition,
        );
    };
    if prev_step.keyword != step.keyword {
        return (
            format!(
                "new step: the cached image on this parent is for `{}` (line {})",
                short(&prev_step.text),
                prev_step.line
            ),
            Cause::Definition,
        );
    }
    if let (Action::Run(a), Action::Run(b)) = (&prev_step.action, &step.action) {
        if a.legacy_args != b.legacy_args {
            if let Some((reason, name)) = args_difference(&a.legacy_args, &b.legacy_args) {
                return (reason, Cause::LegacyArg { name });
            }
        }
    }
    if prev_step.text != step.text {
        return (
            format!(
                "instruction changed: was `{}` (line {})",
                short(&prev_step.text),
                prev_step.line
            ),
            Cause::Definition,
        );
    }
    if prev_result.cmd != cmd.p {
        for (a, b) in prev_result.sources.iter().zip(sources) {
            if let Some(reason) = content_difference(a, b, certain, &info) {
                let why = match (a, b) {
                    (Detail::Context(x), Detail::Context(y)) => {
                        y.first_difference(x)
                            .map_or(Cause::None, |difference| Cause::Context {
                                pattern: y.pattern.clone(),
                                difference,
                            })
                    }
                    (_, Detail::Stage { content, .. }) if !certain => Cause::Uncertain {
                        producers: content.uncertain.clone(),
                    },
                    _ => Cause::None,
                };
                return (reason, why);
            }
        }
        if step.keyword == Keyword::Arg {
            return (
                "the ARG default expands differently".to_owned(),
                Cause::Definition,
            );
        }
        return (
            format!(
                "its command changed: `{}` → `{}`",
                short(&prev_result.cmd),
                short(&cmd.p)
            ),
            Cause::Definition,
        );
    }
    (
        "the image config differs from the cached image's (an earlier instruction changed it)"
            .to_owned(),
        Cause::None,
    )
}

/// `build-arg V changed from 1 to 2 …` from two `|N k=v` lists.
fn args_difference(prev: &[String], next: &[String]) -> Option<(String, String)> {
    let split = |s: &String| {
        let (k, v) = s.split_once('=').unwrap_or((s.as_str(), ""));
        (k.to_owned(), v.to_owned())
    };
    let a: Vec<(String, String)> = prev.iter().map(split).collect();
    let b: Vec<(String, String)> = next.iter().map(split).collect();
    let prefix = format!("|{} {}", next.len(), next.join(" "));
    for (k, v) in &b {
        match a.iter().find(|(pk, _)| pk == k) {
            Some((_, pv)) if pv == v => {}
            Some((_, pv)) => {
                return Some((
                    format!(
                        "build arg {k} changed from {pv} to {v}: the classic builder prefixes RUN with the build args in scope (`{prefix}`)"
                    ),
                    k.clone(),
                ))
            }
            None => {
                return Some((
                    format!(
                        "build arg {k}={v} is now in scope: the classic builder prefixes RUN with it (`{prefix}`)"
                    ),
                    k.clone(),
                ))
            }
        }
    }
    a.iter()
        .find(|(k, _)| !b.iter().any(|(bk, _)| bk == k))
        .map(|(k, _)| {
            (
                format!("build arg {k} is no longer in scope of this RUN"),
                k.clone(),
            )
        })
}

/// Step results for the next build.
pub(crate) fn results(plan: &Plan, eval: &LegacyEval) -> Vec<StepResult> {
    let target = plan
        .target
        .and_then(|t| plan.stages.get(t))
        .map_or_else(String::new, |s| s.display.clone());
    let mut out = Vec::new();
    for stage in &plan.stages {
        let steps = eval.stages.get(stage.index).and_then(Option::as_ref);
        for (si, step) in stage.steps.iter().enumerate() {
            let (status, reason, cause, op) = match steps.and_then(|s| s.get(si)) {
                Some(r) => (r.status, r.reason.clone(), r.cause, si > 0),
                None => (
                    Status::Skipped,
                    format!(
                        "the classic builder builds the stages up to the target `{target}`, none after it"
                    ),
                    None,
                    false,
                ),
            };
            let reason = if reason.is_empty() && status == Status::Cached {
                "a local image has the same parent and config".to_owned()
            } else {
                reason
            };
            out.push(stage.result(step, status, reason, cause, op));
        }
    }
    out
}
