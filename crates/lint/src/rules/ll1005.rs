//! LL1005: an ARG is used in a RUN of a stage before the stage declares it.
//!
//! **What** — a RUN refers to `$NAME` (or `${NAME…}`) where `NAME` is a global ARG (declared
//! before the first FROM), one of BuildKit's automatic platform ARGs (`TARGETARCH`, …) or an
//! ARG the stage declares only further down, and nothing before the RUN makes it visible in
//! the stage: no `ARG NAME` earlier in the stage, no `ENV NAME` in the stage or a stage it is
//! built on (any earlier stage when the FROM is built from a variable, `FROM base-${X}`), no
//! assignment in the script itself. Reported at each use.
//!
//! **Why** — an ARG is scoped to the stage that declares it. A global ARG is visible only to
//! FROM lines until a stage re-declares it, so in the RUN the variable is empty and the command
//! silently does something else (`curl …/v$VERSION/…` fetches the wrong URL).
//!
//! **Bad** — `ARG VERSION=1.2.3`, `FROM alpine:3.20`, `RUN echo "$VERSION"` · **Good** —
//! `ARG VERSION=1.2.3`, `FROM alpine:3.20`, `ARG VERSION`, `RUN echo "$VERSION"`
//!
//! **Fix** — declare the ARG in the stage before its first use: `ARG NAME` (the global
//! default still applies). Offered as an unsafe fix for global and automatic ARGs.

use std::collections::BTreeSet;

use layerlab_shell::{walk, CompoundKind, Enclosing, Visitor, Word, WordRole};
use layerlab_syntax::{Keyword, Span};

use super::dl_support::{ancestors, arg_name, pairs};
use super::sc_support::{command_name, each_compound, params, DECLARATIONS};
use crate::scripts::Script;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta, StageBase};

pub struct Ll1005;

static META: RuleMeta = RuleMeta {
    code: "LL1005",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "ARG used in RUN before it is declared in the stage: it is empty there",
    bad: "ARG VERSION=1.2.3\nFROM alpine:3.20\nRUN echo \"$VERSION\"\n",
    good: "ARG VERSION=1.2.3\nFROM alpine:3.20\nARG VERSION\nRUN echo \"$VERSION\"\n",
    fixable: true,
};

/// BuildKit's automatic platform ARGs: set in the global scope only.
const AUTOMATIC_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

#[derive(Default)]
struct Uses {
    params: Vec<(String, layerlab_shell::Span)>,
}

impl<'a> Visitor<'a> for Uses {
    fn word(&mut self, word: &'a Word, _role: WordRole, _enclosing: &[Enclosing]) {
        for param in params(word) {
            self.params.push((param.name.clone(), param.span));
        }
    }
}

/// The variables the script itself sets: assignments, declaration builtins, `read`, `for`.
fn assigned_in(cx: &Context<'_>, script: &Script<'_>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for info in cx.commands_of(script) {
        for assignment in &info.command.assignments {
            names.insert(assignment.name.clone());
        }
        let name = command_name(info.command).unwrap_or_default();
        if DECLARATIONS.contains(&name.as_str()) || name == "read" {
            for word in info.command.args() {
                if let Some(assignment) = word.as_assignment() {
                    names.insert(assignment.name);
                } else if let Some(value) = word.static_value() {
                    names.insert(value);
                }
            }
        }
    }
    each_compound(&script.parsed.script, &mut |compound| {
        if let CompoundKind::For { var, .. } = &compound.kind {
            names.insert(var.clone());
        }
    });
    names
}

impl Rule for Ll1005 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let globals: BTreeSet<String> = cx
            .global_args()
            .flat_map(|i| i.args.iter().map(|w| arg_name(cx, w).0.to_owned()))
            .collect();
        let mut fixed: BTreeSet<(usize, String)> = BTreeSet::new();
        for script in cx.scripts() {
            let Some(stage) = script.stage.and_then(|s| cx.stages.get(s)) else {
                continue;
            };
            if script.onbuild {
                continue;
            }
            let at = script.instruction.span.start;
            let body = cx.stage_instructions(stage);
            let mut visible: BTreeSet<String> = BTreeSet::new();
            let mut later: BTreeSet<String> = BTreeSet::new();
            for instruction in body {
                let before = instruction.span.start < at;
                match instruction.kind {
                    Keyword::Arg => {
                        for word in &instruction.args {
                            let name = arg_name(cx, word).0.to_owned();
                            if before {
                                visible.insert(name);
                            } else {
                                later.insert(name);
                            }
                        }
                    }
                    Keyword::Env if before => {
                        visible.extend(pairs(instruction).iter().map(|p| p.key.value.clone()));
                    }
                    _ => {}
                }
            }
            // `FROM name-${X}` may well be an earlier stage: count the ENV of all of them.
            let parents: Vec<usize> = match &stage.base {
                StageBase::Image(image) if image.contains('$') => (0..stage.index).collect(),
                _ => ancestors(cx, stage.index),
            };
            for parent in parents {
                if let Some(parent) = cx.stages.get(parent) {
                    for instruction in cx.stage_instructions(parent) {
                        if instruction.kind == Keyword::Env {
                            visible.extend(pairs(instruction).iter().map(|p| p.key.value.clone()));
                        }
                    }
                }
            }
            let assigned = assigned_in(cx, script);
            let mut uses = Uses::default();
            walk(&script.parsed.script, script.initial_options(), &mut uses);
            for (name, span) in uses.params {
                if visible.contains(&name) || assigned.contains(&name) {
                    continue;
                }
                let global = globals.contains(&name) || AUTOMATIC_ARGS.contains(&name.as_str());
                let message = if globals.contains(&name) {
                    format!(
                        "`{name}` is a global ARG that this stage does not declare: it is empty \
                         in this RUN; add `ARG {name}` to the stage before the RUN"
                    )
                } else if later.contains(&name) {
                    format!(
                        "`{name}` is declared by an ARG further down this stage: it is empty in \
                         this RUN; move the ARG above the RUN"
                    )
                } else if global {
                    format!(
                        "`{name}` is an automatic platform ARG, visible in a stage only once \
                         declared: add `ARG {name}` before the RUN"
                    )
                } else {
                    continue;
                };
                let file = script.span(span);
                let fix = (global && fixed.insert((at, name.clone())))
                    .then(|| declare_fix(cx, at, &name))
                    .flatten();
                cx.report_with_fix(&META, file, message, fix);
            }
        }
    }
}

/// Inserts `ARG NAME` on its own line before the instruction starting at `at`.
fn declare_fix(cx: &Context<'_>, at: usize, name: &str) -> Option<Fix> {
    let line_start = cx.text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = cx.text.get(line_start..at)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    Some(Fix {
        title: format!("Declare `ARG {name}` in the stage"),
        safe: false,
        edits: vec![Edit {
            span: Span::new(at, at),
            replacement: format!("ARG {name}\n{indent}"),
        }],
    })
}
