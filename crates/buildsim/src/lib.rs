//! Build-cache simulation: given a Dockerfile, a build context and a change, predict which
//! steps BuildKit (or the classic builder) reuses from its cache, which it runs again, and why.
//!
//! The model follows BuildKit's Dockerfile frontend and solver (moby/buildkit `73ed6825`, see
//! the project's `buildkit-semantics.md` §3–§4):
//!
//! - Only FROM (image), RUN, COPY/ADD and WORKDIR are ops. A RUN's key covers its command,
//!   every ENV and in-stage ARG value in scope, the working directory, the user, the network and
//!   security modes and its mounts (cache contents and secret values never count), plus the
//!   key of the step before it. COPY/ADD and read-only bind mounts depend on the *content* of
//!   what they select: file contents, permission bits, symlink targets and names count, mtime
//!   does not. `COPY --from` selections are content-based too, so a rebuilt stage whose copied
//!   files come out identical does not invalidate the copy.
//! - Metadata instructions (LABEL, EXPOSE, CMD, USER, ...) change no op; ARG before the first
//!   FROM only affects FROM; undeclared build args and the proxy args never enter a key.
//! - Only the stages the target needs are built; `--no-cache` and `--no-cache-filter` ops do
//!   not reuse or publish keys; `COPY --link` layers do not depend on the steps before them.
//! - What cannot be known is `may-miss` with the reason: a RUN's output feeding `COPY --from`,
//!   `ADD <url>`, a git source, a base image named by a tag (BuildKit resolves it on every
//!   build). Only the step that reads the tag is `may-miss`; the steps after it keep the
//!   status their other inputs give and list the tag in `depends_on_tags` (so a source edit
//!   still shows exactly what it rebuilds), unless `assume_tags_unchanged`.
//!
//! The classic builder is modelled separately ([`Builder::Legacy`]): a parent-image chain,
//! full config comparison, the first miss busts the rest of the stage, every stage up to the
//! target is built.
//!
//! Nothing here reads a filesystem: the context is a [`Context`] the caller builds (the CLI from
//! a directory, the browser from dropped files), with content digests from
//! [`Digest::of_bytes`] or [`ContentHasher`].

mod advice;
mod buildkit;
mod content;
mod context;
mod digest;
mod gofmt;
mod gopath;
mod history;
mod ignore;
mod images;
mod inputs;
mod legacy;
mod plan;
mod report;

use std::collections::{BTreeSet, HashMap};

pub use context::{normalize, ChangeKind, Context, Difference, Entry, EntryKind};
pub use digest::{ContentHasher, Digest};
pub use ignore::{Decision, Ignore, IgnoreError, MatchInfo};
pub use report::{
    Advice, Builder, HistoryEntry, Note, Report, Severity, Status, StepResult, Summary,
};

use crate::advice::Fact;
use crate::content::StepRef;
use crate::digest::KeyHasher;
use crate::plan::{Action, Base};

/// How a path of the context differs in the previous build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Its content differed.
    Changed,
    /// It did not exist.
    Added,
    /// It existed and is gone now.
    Removed,
}

/// One change between the previous build and the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub edit: Edit,
}

impl Change {
    pub fn changed(path: &str) -> Change {
        Change {
            path: path.to_owned(),
            edit: Edit::Changed,
        }
    }

    pub fn added(path: &str) -> Change {
        Change {
            path: path.to_owned(),
            edit: Edit::Added,
        }
    }

    pub fn removed(path: &str) -> Change {
        Change {
            path: path.to_owned(),
            edit: Edit::Removed,
        }
    }
}

/// A previous build and the next one, described by how they differ.
#[derive(Clone, Debug)]
pub struct Scenario<'a> {
    pub builder: Builder,
    /// The next build's Dockerfile.
    pub dockerfile: &'a str,
    /// The previous build's Dockerfile, when it differs.
    pub previous_dockerfile: Option<&'a str>,
    /// Where the Dockerfile sits in the context (relative), when it is inside it: unless
    /// `.dockerignore` excludes it, it is part of what `COPY . .` sees.
    pub dockerfile_path: Option<&'a str>,
    /// The next build's context as the builder receives it, i.e. already filtered by the
    /// `.dockerignore` (see [`Ignore::filter`] and [`Ignore::decide`]).
    pub context: &'a Context,
    /// The previous build's context (filtered too), when the caller has it (then `changes`
    /// only shape the next context); otherwise it is derived from `context` and `changes`.
    pub previous_context: Option<&'a Context>,
    /// The `.dockerignore` (to tell which changes no step can see).
    pub ignore: &'a Ignore,
    /// How the previous build's context differed from `context`.
    pub changes: &'a [Change],
    pub build_args: &'a [(String, String)],
    /// The previous build's `--build-arg`s, when they differ.
    pub previous_build_args: Option<&'a [(String, String)]>,
    /// Base images whose content changed since the previous build.
    pub changed_bases: &'a [String],
    pub target: Option<&'a str>,
    pub no_cache: bool,
    pub no_cache_filter: &'a [String],
    /// Take every base image tag that is not pinned by digest to name the same image as in
    /// the previous build. By default (false) BuildKit's FROM of such a tag is `may-miss`
    /// (BuildKit resolves tags on every build) and the steps whose status depends on it list
    /// it in [`StepResult::depends_on_tags`].
    pub assume_tags_unchanged: bool,
}

impl<'a> Scenario<'a> {
    /// A scenario where nothing changes, to be adjusted field by field.
    pub fn new(dockerfile: &'a str, context: &'a Context, ignore: &'a Ignore) -> Scenario<'a> {
        Scenario {
            builder: Builder::Buildkit,
            dockerfile,
            previous_dockerfile: None,
            dockerfile_path: None,
            context,
            previous_context: None,
            ignore,
            changes: &[],
            build_args: &[],
            previous_build_args: None,
            changed_bases: &[],
            target: None,
            no_cache: false,
            no_cache_filter: &[],
            assume_tags_unchanged: false,
        }
    }
}

/// A content for a path the caller could not read: stable per path and side.
fn synthetic(path: &str, side: &str) -> Entry {
    let digest = KeyHasher::new("synthetic").str(side).str(path).finish();
    Entry::file(digest, 0o644, 0)
}

/// The previous and next contexts, and notes about changes no step can see.
fn contexts(s: &Scenario<'_>) -> (Context, Context, Vec<Note>) {
    let mut next = s.context.clone();
    let mut notes = Vec::new();
    let dockerfile_in_context = s
        .dockerfile_path
        .map(normalize)
        .filter(|p| !p.is_empty() && !s.ignore.excludes(p));
    if let Some(path) = &dockerfile_in_context {
        if next.get(path).is_none() {
            next.insert(path, Entry::file_with(s.dockerfile.as_bytes()));
        }
    }
    let mut prev = next.clone();
    if let (Some(path), Some(text)) = (&dockerfile_in_context, s.previous_dockerfile) {
        let mode = next.get(path).map_or(0o644, |e| e.mode);
        prev.insert(
            path,
            Entry::file(Digest::of_bytes(text.as_bytes()), mode, text.len() as u64),
        );
    }
    for change in s.changes {
        let path = normalize(&change.path);
        if path.is_empty() {
            continue;
        }
        if s.ignore.excludes(&path) {
            let by = s
                .ignore
                .excluded_by(&path)
                .map_or(String::new(), |(line, p)| {
                    format!(" (pattern `{p}`, line {line})")
                });
            notes.push(Note {
                severity: Severity::Info,
                line: None,
                message: format!(
                    "{path} is excluded by .dockerignore{by}: it is never sent to the builder, so no step sees this change"
                ),
            });
            continue;
        }
        match change.edit {
            Edit::Changed => match next.node(&path) {
                Some(node) => {
                    let mut files = Vec::new();
                    match node.entry().kind {
                        EntryKind::Dir => {
                            if let Some(sub) = next.subtree(&path) {
                                for (p, e) in sub.entries() {
                                    if e.kind != EntryKind::Dir {
                                        files.push((format!("{path}/{p}"), e));
                                    }
                                }
                            }
                        }
                        _ => files.push((path.clone(), node.entry().clone())),
                    }
                    for (p, mut e) in files {
                        e.content = KeyHasher::new("previous-version")
                            .digest(&e.content)
                            .opt_str(e.target.as_deref())
                            .finish();
                        if let Some(t) = &mut e.target {
                            t.push_str(".previous");
                        }
                        prev.insert(&p, e);
                    }
                }
                None => {
                    next.insert(&path, synthetic(&path, "next"));
                    prev.insert(&path, synthetic(&path, "previous"));
                }
            },
            Edit::Added => {
                if next.get(&path).is_none() {
                    next.insert(&path, synthetic(&path, "next"));
                }
                prev.remove(&path);
            }
            Edit::Removed => {
                if next.remove(&path) {
                    notes.push(Note {
                        severity: Severity::Info,
                        line: None,
                        message: format!(
                            "{path} is in the context; the next build is simulated without it"
                        ),
                    });
                } else {
                    prev.insert(&path, synthetic(&path, "previous"));
                }
            }
        }
    }
    if let Some(previous) = s.previous_context {
        prev = previous.clone();
        // The previous Dockerfile was in the previous context as well.
        if let Some(path) = &dockerfile_in_context {
            if prev.get(path).is_none() {
                let text = s.previous_dockerfile.unwrap_or(s.dockerfile);
                prev.insert(path, Entry::file_with(text.as_bytes()));
            }
        }
    }
    (prev, next, notes)
}

/// Whether a step is a cache step for the builder.
fn is_op(step: &plan::Step, builder: Builder) -> bool {
    match builder {
        Builder::Buildkit => matches!(
            step.action,
            Action::From(Base::Image(_))
                | Action::Run(_)
                | Action::Copy(_)
                | Action::Workdir { .. }
        ),
        Builder::Legacy => !matches!(step.action, Action::From(_)),
    }
}

/// Predicts the next build.
pub fn simulate(s: &Scenario<'_>) -> Report {
    let (prev_ctx, next_ctx, mut notes) = contexts(s);
    let prev_args = s.previous_build_args.unwrap_or(s.build_args);
    let prev_plan = plan::plan(
        s.previous_dockerfile.unwrap_or(s.dockerfile),
        prev_args,
        s.target,
        s.builder == Builder::Legacy,
    );
    let next_plan = plan::plan(
        s.dockerfile,
        s.build_args,
        s.target,
        s.builder == Builder::Legacy,
    );
    let mut diagnostics = next_plan.notes.clone();
    let mut facts: HashMap<StepRef, Fact> = HashMap::new();
    let mut moving_tags: Vec<String> = Vec::new();
    let (mut steps, history) = match s.builder {
        Builder::Buildkit => {
            let prev_spec = buildkit::BuildSpec {
                plan: &prev_plan,
                context: &prev_ctx,
                changed_bases: &[],
                next: false,
                no_cache: false,
                no_cache_filter: &[],
            };
            let next_spec = buildkit::BuildSpec {
                plan: &next_plan,
                context: &next_ctx,
                changed_bases: s.changed_bases,
                next: true,
                no_cache: s.no_cache,
                no_cache_filter: s.no_cache_filter,
            };
            let prev_eval = buildkit::evaluate(&prev_spec, &buildkit::reachable(&prev_plan));
            let next_eval = buildkit::evaluate(&next_spec, &buildkit::reachable(&next_plan));
            diagnostics.extend(next_eval.notes.iter().cloned());
            let comparison = buildkit::Comparison {
                prev_plan: &prev_plan,
                next_plan: &next_plan,
                prev: &prev_eval,
                next: &next_eval,
                no_cache: s.no_cache,
                no_cache_filter: s.no_cache_filter,
                assume_tags_unchanged: s.assume_tags_unchanged,
            };
            let (results, outcomes) = comparison.run();
            if !s.assume_tags_unchanged {
                for stage in next_eval.stages.iter().flatten() {
                    for tag in stage.iter().filter_map(|e| e.reads_tag.as_ref()) {
                        if !moving_tags.contains(tag) {
                            moving_tags.push(tag.clone());
                        }
                    }
                }
            }
            for (at, o) in &outcomes {
                facts.insert(
                    *at,
                    Fact {
                        status: o.status,
                        cause_line: o.cause,
                        why: o.why.clone(),
                        tags: o.tags.clone(),
                    },
                );
            }
            let status = |at: StepRef| outcomes.get(&at).map_or(Status::Skipped, |o| o.status);
            let history = history::buildkit(&next_plan, &status);
            (results, history)
        }
        Builder::Legacy => {
            let prev_spec = legacy::LegacySpec {
                plan: &prev_plan,
                context: &prev_ctx,
                changed_bases: &[],
                next: false,
                no_cache: false,
            };
            let next_spec = legacy::LegacySpec {
                plan: &next_plan,
                context: &next_ctx,
                changed_bases: s.changed_bases,
                next: true,
                no_cache: s.no_cache,
            };
            let prev_eval = legacy::evaluate(&prev_spec, None, None);
            let cache = legacy::Cache::of(&prev_eval);
            let next_eval =
                legacy::evaluate(&next_spec, Some(&cache), Some((&prev_plan, &prev_eval)));
            diagnostics.extend(next_eval.notes.iter().cloned());
            if !s.no_cache_filter.is_empty() {
                diagnostics.push(Note {
                    severity: Severity::Warning,
                    line: None,
                    message:
                        "--no-cache-filter is a BuildKit option; the classic builder ignores it"
                            .to_owned(),
                });
            }
            let unpinned = next_plan.stages.iter().any(
                |st| matches!(&st.base, Base::Image(r) if !images::ImageRef::parse(r).pinned()),
            );
            if unpinned && !s.assume_tags_unchanged {
                diagnostics.push(Note {
                    severity: Severity::Info,
                    line: None,
                    message: "the classic builder uses the local image of a tag and pulls a newer one only with --pull: if you pulled one since the previous build, pass --base-changed IMAGE".to_owned(),
                });
            }
            for (si, stage) in next_eval.stages.iter().enumerate() {
                for (i, step) in stage.iter().flatten().enumerate() {
                    facts.insert(
                        (si, i),
                        Fact {
                            status: step.status,
                            cause_line: step.cause,
                            why: step.why.clone(),
                            tags: std::collections::BTreeSet::new(),
                        },
                    );
                }
            }
            let get = |at: StepRef| {
                next_eval
                    .stages
                    .get(at.0)
                    .and_then(Option::as_ref)
                    .and_then(|s| s.get(at.1))
            };
            let status = |at: StepRef| get(at).map_or(Status::Skipped, |s| s.status);
            let cmd = |at: StepRef| get(at).map(|s| s.cmd.clone());
            let history = history::legacy(&next_plan, &status, &cmd);
            (legacy::results(&next_plan, &next_eval), history)
        }
    };
    // Skipped rows: whether they would have been cache steps.
    let mut row = 0;
    for stage in &next_plan.stages {
        for step in &stage.steps {
            if let Some(r) = steps.get_mut(row) {
                if r.status == Status::Skipped {
                    r.op = is_op(step, s.builder);
                }
            }
            row += 1;
        }
    }
    diagnostics.append(&mut notes);
    diagnostics.extend(build_arg_notes(s, &next_plan));
    let advice = advice::advise(&advice::Inputs {
        plan: &next_plan,
        facts: &facts,
        context: &next_ctx,
        builder: s.builder,
        dockerfile_path: s.dockerfile_path.map(normalize).as_deref(),
    });
    let mut summary = Summary::default();
    for r in steps.iter().filter(|r| r.op) {
        match r.status {
            Status::Cached => summary.cached += 1,
            Status::Rebuilt => summary.rebuilt += 1,
            Status::MayMiss => summary.may_miss += 1,
            Status::Skipped => summary.skipped += 1,
        }
        if !r.depends_on_tags.is_empty() {
            summary.depends_on_tags += 1;
        }
    }
    let target = next_plan
        .target
        .and_then(|t| next_plan.stages.get(t))
        .map_or_else(String::new, |st| st.display.clone());
    Report {
        builder: s.builder,
        target,
        steps,
        history,
        advice,
        diagnostics,
        summary,
        moving_tags,
    }
}

/// Build args that cannot affect anything.
fn build_arg_notes(s: &Scenario<'_>, plan: &plan::Plan) -> Vec<Note> {
    let mut seen = BTreeSet::new();
    let mut notes = Vec::new();
    let prev = s.previous_build_args.unwrap_or(&[]);
    for (key, _) in s.build_args.iter().chain(prev) {
        if plan.declared_args.contains(key) || !seen.insert(key.clone()) {
            continue;
        }
        let message = if layerlab_syntax::builtin_args::is_proxy_arg(key) {
            format!("build-arg {key} is a predefined proxy arg: RUN steps get it, but it never enters a cache key unless an ARG declares it")
        } else {
            format!("build-arg {key} is not declared by any ARG: it has no effect (BuildKit warns about it)")
        };
        notes.push(Note {
            severity: Severity::Info,
            line: None,
            message,
        });
    }
    notes
}
