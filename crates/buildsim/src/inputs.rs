//! The named inputs of a cache step, shared by both builder models, and how to describe the
//! difference between two of them in a sentence.

use crate::content::{ContextSelection, Pair, StageContent, StepRef};
use crate::digest::{Digest, KeyHasher};
use crate::plan::{EnvVar, Origin};

/// What an input is, in the order the reasons look at them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// The state the op builds on (definition-based).
    Parent,
    /// The op's own definition (command, paths, flags).
    Definition,
    Env,
    Cwd,
    User,
    /// The base image (FROM).
    Base,
    /// A content-based input: a COPY source or a RUN mount, by position.
    Source(usize),
}

impl Label {
    /// A number per label, for keys.
    fn tag(&self) -> u64 {
        match self {
            Label::Parent => 0,
            Label::Definition => 1,
            Label::Env => 2,
            Label::Cwd => 3,
            Label::User => 4,
            Label::Base => 5,
            Label::Source(i) => 100 + *i as u64,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Detail {
    None,
    Text(String),
    Env(Vec<EnvVar>),
    Context(ContextSelection),
    Stage {
        stage: String,
        path: String,
        content: StageContent,
    },
    Image {
        reference: String,
        path: String,
    },
    Url(String),
    Inline(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub label: Label,
    pub key: Pair,
    pub detail: Detail,
}

impl Input {
    pub fn text(label: Label, text: &str) -> Input {
        let d = KeyHasher::new("text").str(text).finish();
        Input {
            label,
            key: Pair::same(d),
            detail: Detail::Text(text.to_owned()),
        }
    }

    pub fn env(vars: &[EnvVar]) -> Input {
        let mut h = KeyHasher::new("env");
        for v in vars {
            h.str(&v.name).str(&v.value);
        }
        Input {
            label: Label::Env,
            key: Pair::same(h.finish()),
            detail: Detail::Env(vars.to_vec()),
        }
    }
}

/// The key of an op from its inputs.
pub(crate) fn key_of(kind: &str, inputs: &[Input]) -> Pair {
    let mut p = KeyHasher::new(kind);
    let mut o = KeyHasher::new(kind);
    for input in inputs {
        let tag = input.label.tag();
        p.u64(tag).digest(&input.key.p);
        o.u64(tag).digest(&input.key.o);
    }
    Pair {
        p: p.finish(),
        o: o.finish(),
    }
}

/// What started a miss, for advice.
#[derive(Clone, Debug, Default)]
pub(crate) enum Cause {
    #[default]
    None,
    /// A file of the build context that a COPY (or bind mount) selects.
    Context {
        pattern: String,
        difference: crate::context::Difference,
    },
    /// An ARG or ENV value that a RUN sees.
    Env { name: String, origin: Origin },
    /// The classic builder's `|N k=v` prefix.
    LegacyArg { name: String },
    /// The instruction's own text.
    Definition,
    /// A RUN's (or base image's) output feeding COPY --from / a mount: the steps that may
    /// have produced different files.
    Uncertain { producers: Vec<StepRef> },
    /// The base image.
    Base,
}

/// The cause behind a differing input.
pub(crate) fn cause_of(prev: &Input, next: &Input) -> Cause {
    match (&next.label, &prev.detail, &next.detail) {
        (_, Detail::Context(a), Detail::Context(b)) => {
            b.first_difference(a)
                .map_or(Cause::None, |difference| Cause::Context {
                    pattern: b.pattern.clone(),
                    difference,
                })
        }
        (Label::Env, Detail::Env(a), Detail::Env(b)) => b
            .iter()
            .find(|v| !a.iter().any(|p| p.name == v.name && p.value == v.value))
            .map_or(Cause::None, |v| Cause::Env {
                name: v.name.clone(),
                origin: v.origin.clone(),
            }),
        (Label::Definition, _, _) => Cause::Definition,
        (Label::Base, _, _) => Cause::Base,
        (Label::Source(_), _, Detail::Stage { content, .. }) if prev.key.o == next.key.o => {
            Cause::Uncertain {
                producers: content.uncertain.clone(),
            }
        }
        (Label::Source(_), _, Detail::Image { .. } | Detail::Url(_))
            if prev.key.o == next.key.o =>
        {
            Cause::Uncertain {
                producers: Vec::new(),
            }
        }
        _ => Cause::None,
    }
}

/// Looks up a step's instruction text and line, and its status and reason in the next build.
pub(crate) trait StepInfo {
    fn describe_step(&self, at: StepRef) -> Option<(String, usize)>;
    /// Whether the step is not cached in the next build.
    fn changed(&self, at: StepRef) -> bool;
    /// Whether the step is certainly rebuilt in the next build.
    fn rebuilt(&self, at: StepRef) -> bool;
    fn reason(&self, at: StepRef) -> Option<String>;
}

fn origin_line(origin: &Origin) -> Option<usize> {
    match origin {
        Origin::Image => None,
        Origin::Env(l) | Origin::BuildArg(l) | Origin::ArgDefault(l) | Origin::GlobalArg(l) => {
            Some(*l)
        }
    }
}

/// Why two environments differ, in terms of the Dockerfile: which variable, from where.
pub(crate) fn env_difference(prev: &[EnvVar], next: &[EnvVar], what: &str) -> Option<String> {
    for var in next {
        let before = prev.iter().find(|v| v.name == var.name);
        if before.is_some_and(|b| b.value == var.value) {
            continue;
        }
        let at = origin_line(&var.origin).map_or(String::new(), |l| format!(", line {l}"));
        let sees = format!("and this {what} sees it");
        return Some(match (&var.origin, before) {
            (Origin::BuildArg(_), Some(b)) => format!(
                "build-arg {} changed from {} to {} {sees} (ARG {}{at})",
                var.name,
                show(&b.value),
                show(&var.value),
                var.name
            ),
            (Origin::BuildArg(_), None) => format!(
                "build-arg {}={} is new {sees} (ARG {}{at})",
                var.name,
                show(&var.value),
                var.name
            ),
            (Origin::Env(_), Some(b)) => format!(
                "ENV {} changed from {} to {} (line{}) {sees}",
                var.name,
                show(&b.value),
                show(&var.value),
                at.trim_start_matches(", line")
            ),
            (Origin::Env(_), None) => {
                format!("ENV {}={} is new{at} {sees}", var.name, show(&var.value))
            }
            (_, Some(b)) => format!(
                "ARG {} is now {} (was {}{at}) {sees}",
                var.name,
                show(&var.value),
                show(&b.value)
            ),
            (_, None) => format!(
                "ARG {}={} is newly set{at} {sees}",
                var.name,
                show(&var.value)
            ),
        });
    }
    for var in prev {
        if !next.iter().any(|v| v.name == var.name) {
            return Some(format!(
                "{} is no longer set (was {}) for this {what}",
                var.name,
                show(&var.value)
            ));
        }
    }
    let order = |vars: &[EnvVar]| vars.iter().map(|v| v.name.clone()).collect::<Vec<_>>();
    if order(prev) != order(next) {
        return Some(format!(
            "the order of ENV/ARG variables before this {what} changed"
        ));
    }
    None
}

/// A value for messages: quoted when empty or spaced, cut when long.
pub(crate) fn show(value: &str) -> String {
    let mut v: String = value.chars().take(60).collect();
    if value.chars().count() > 60 {
        v.push('…');
    }
    if v.is_empty() || v.contains(' ') {
        format!("\"{v}\"")
    } else {
        v
    }
}

/// A command or instruction for messages, cut when long.
pub(crate) fn short(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 70 {
        let mut s: String = flat.chars().take(67).collect();
        s.push('…');
        s
    } else {
        flat
    }
}

/// Why a content input differs (`certain`: the known files differ; else they may).
pub(crate) fn content_difference(
    prev: &Detail,
    next: &Detail,
    certain: bool,
    info: &dyn StepInfo,
) -> Option<String> {
    match (prev, next) {
        (Detail::Context(a), Detail::Context(b)) => {
            if a.pattern != b.pattern {
                return Some(format!(
                    "source changed from {} to {}",
                    a.pattern, b.pattern
                ));
            }
            b.first_difference(a).map(|d| d.describe())
        }
        (_, Detail::Context(b)) => Some(format!("now copies {} from the context", b.pattern)),
        (
            Detail::Stage {
                stage: sa,
                path: pa,
                ..
            },
            Detail::Stage {
                stage,
                path,
                content,
            },
        ) => {
            if sa != stage || pa != path {
                return Some(format!(
                    "now copies {path} from stage `{stage}` (was {pa} from `{sa}`)"
                ));
            }
            let list = if certain {
                &content.certain
            } else {
                &content.uncertain
            };
            let producers: Vec<StepRef> = list
                .iter()
                .copied()
                .filter(|at| info.changed(*at))
                .collect();
            // The writer closest to the selection explains it best: the last one that
            // rebuilt, else the last that may have.
            let first = producers
                .iter()
                .rev()
                .find(|at| info.rebuilt(**at))
                .or(producers.last())
                .copied();
            let Some(at) = first else {
                return Some(format!("{path} from stage `{stage}` changed"));
            };
            let (text, line) = info.describe_step(at).unwrap_or_default();
            if certain {
                let why = info.reason(at).map_or(String::new(), |r| format!(": {r}"));
                Some(format!(
                    "{path} from stage `{stage}` changed: `{}` (line {line}) rebuilt{why}",
                    short(&text)
                ))
            } else {
                let what = if text.trim_start().to_uppercase().starts_with("FROM") {
                    format!("stage `{stage}`'s base image changed or may have moved (line {line})")
                } else {
                    format!("stage `{stage}` re-runs `{}` (line {line})", short(&text))
                };
                Some(format!(
                    "{what}: this step hits only if {path} comes out byte-identical (content, modes and owners)"
                ))
            }
        }
        (_, Detail::Stage { stage, path, .. }) => {
            Some(format!("now copies {path} from stage `{stage}`"))
        }
        (Detail::Image { reference: ra, .. }, Detail::Image { reference, path }) => {
            if ra != reference {
                Some(format!("source image changed from {ra} to {reference}"))
            } else if certain {
                Some(format!("image {reference} changed"))
            } else {
                Some(format!(
                    "image {reference} may have changed: this step hits only if {path} in it is byte-identical"
                ))
            }
        }
        (_, Detail::Image { reference, .. }) => Some(format!("now copies from image {reference}")),
        (Detail::Url(a), Detail::Url(b)) => {
            if a != b {
                Some(format!("URL changed from {a} to {b}"))
            } else {
                Some(format!(
                    "{b} is fetched again on every build (ETag/Last-Modified): if it changed, this step rebuilds; pin it with --checksum"
                ))
            }
        }
        (_, Detail::Url(b)) => Some(format!("now adds {b}")),
        (Detail::Inline(_), Detail::Inline(name)) => {
            Some(format!("the inline content of <<{name} changed"))
        }
        (_, Detail::Inline(name)) => Some(format!("now copies the inline content <<{name}")),
        (_, Detail::None | Detail::Text(_) | Detail::Env(_)) => None,
    }
}

/// A digest for text that only needs to be compared.
pub(crate) fn text_key(text: &str) -> Digest {
    KeyHasher::new("text").str(text).finish()
}
