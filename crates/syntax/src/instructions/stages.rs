//! The stage graph and the dispatch pass of `dockerfile2llb.toDispatchState`: stage
//! references (`COPY --from`, `RUN --mount from=`), circular dependencies, references to
//! stages not dispatched yet, and the per-command dispatch checks.

use std::collections::HashMap;

use super::golang::{atoi, needs_expansion};
use super::mount::{self, Value};
use super::parse::{self, Command, Parsed};
use super::{dispatch, value_span, CODE_FLAG, CODE_MOUNT, CODE_STAGE, CODE_VALUE};
use crate::go_quote::{quote, to_lower};
use crate::{Diagnostic, Instruction, Span};

pub(crate) struct Context {
    pub escape: char,
    /// `RUN --device` is available (a labs frontend).
    pub labs: bool,
}

/// A build stage: its FROM and the commands that follow it.
pub(crate) struct Stage<'a> {
    /// The lower-cased name after `AS`.
    pub name: Option<String>,
    /// The base name as written; `None` when the FROM itself is invalid.
    pub base: Option<&'a str>,
    pub commands: Vec<(&'a Instruction, Command<'a>)>,
}

impl<'a> Stage<'a> {
    pub fn new(name: Option<String>, base: Option<&'a str>) -> Self {
        Stage {
            name,
            base,
            commands: Vec::new(),
        }
    }
}

/// A dispatch state: a stage of the file, or an image (or `scratch`) a command reads from.
struct Node {
    /// `stageName`: the stage's name, or `stage-N`.
    display: String,
    dispatched: bool,
    deps: Vec<Dep>,
}

/// An edge of the graph: the state read, and the flag that reads it.
#[derive(Clone, Copy)]
struct Dep {
    target: usize,
    span: Span,
}

/// The states a command reads, by the command's position.
#[derive(Default, Clone)]
struct Sources {
    /// `COPY --from`.
    copy: Option<usize>,
    /// `RUN --mount`, one per mount.
    mounts: Vec<usize>,
    /// `toCommand` failed: BuildKit stops before dispatching anything.
    failed: bool,
}

pub(crate) fn check(stages: &[Stage<'_>], context: &Context, out: &mut Vec<Diagnostic>) {
    let mut nodes: Vec<Node> = stages
        .iter()
        .enumerate()
        .map(|(i, stage)| Node {
            display: stage.name.clone().unwrap_or_else(|| format!("stage-{i}")),
            dispatched: false,
            deps: Vec::new(),
        })
        .collect();

    // `addState`: a base names an earlier stage (exactly as written; names are lower-cased).
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut bases: Vec<Option<usize>> = Vec::with_capacity(stages.len());
    for (i, stage) in stages.iter().enumerate() {
        let base = stage
            .base
            .filter(|b| !needs_expansion(b, context.escape))
            .and_then(|b| by_name.get(b).copied());
        bases.push(base);
        if let Some(name) = &stage.name {
            by_name.insert(name.clone(), i);
        }
    }

    // `toCommand`: the states each command reads; unknown names become images.
    let mut sources: Vec<Vec<Sources>> = Vec::with_capacity(stages.len());
    for (si, stage) in stages.iter().enumerate() {
        let mut stage_sources = Vec::with_capacity(stage.commands.len());
        for (_, command) in &stage.commands {
            let mut s = Sources::default();
            match command {
                Command::Copy(c) if !c.add => {
                    if let Some(from) = c.from.filter(|u| !u.value.is_empty()) {
                        match resolve_copy_from(from.value, &by_name, &mut nodes, context) {
                            Ok(target) => {
                                s.copy = Some(target);
                                nodes[si].deps.push(Dep {
                                    target,
                                    span: from.flag.span,
                                });
                            }
                            Err(message) => {
                                out.push(Diagnostic::error(CODE_STAGE, message, from.flag.span));
                                s.failed = true;
                            }
                        }
                    }
                }
                Command::Run(run) => {
                    for m in &run.mounts {
                        let from = m
                            .from
                            .as_deref()
                            .filter(|f| !f.is_empty())
                            .unwrap_or("scratch");
                        let target = find_or_add(from, &by_name, &mut nodes);
                        s.mounts.push(target);
                        nodes[si].deps.push(Dep {
                            target,
                            span: m.flag.span,
                        });
                    }
                }
                _ => {}
            }
            stage_sources.push(s);
        }
        sources.push(stage_sources);
    }

    let cycle = find_cycle(&nodes);
    if let Some((state, span)) = cycle {
        let display = nodes.get(state).map_or("", |n| n.display.as_str());
        out.push(Diagnostic::error(
            CODE_STAGE,
            format!("circular dependency detected on stage: {display}"),
            span,
        ));
    }

    // ONBUILD triggers run in the stages built on the stage that declares them.
    let mut triggers_checked = vec![false; stages.len()];
    for base in bases.iter().flatten() {
        if std::mem::replace(&mut triggers_checked[*base], true) {
            continue;
        }
        for (_, command) in &stages[*base].commands {
            if let Command::Onbuild(trigger) = command {
                if parse::parser_failed(trigger) {
                    continue;
                }
                match parse::instruction(trigger) {
                    Err(diagnostic) => out.push(diagnostic),
                    Ok(Parsed::Stage { .. }) => out.push(Diagnostic::error(
                        CODE_STAGE,
                        "*instructions.Stage is not a command type",
                        trigger.keyword.span,
                    )),
                    Ok(Parsed::Command(_)) => {}
                }
            }
        }
    }

    // Dispatch, in file order.
    for (si, stage) in stages.iter().enumerate() {
        nodes[si].dispatched = true;
        for (ci, (_, command)) in stage.commands.iter().enumerate() {
            let s = sources
                .get(si)
                .and_then(|v| v.get(ci))
                .cloned()
                .unwrap_or_default();
            if s.failed {
                continue;
            }
            let graph = Graph {
                nodes: &nodes,
                current: si,
                // A cycle is reported once; BuildKit stops before dispatching.
                check_order: cycle.is_none(),
            };
            if let Some(diagnostic) = dispatch_command(command, &s, &graph, context) {
                out.push(diagnostic);
            }
        }
    }
}

/// `toCommand` for `COPY --from`: a variable is refused, a number is a stage index, anything
/// else a stage name or an image.
fn resolve_copy_from(
    from: &str,
    by_name: &HashMap<String, usize>,
    nodes: &mut Vec<Node>,
    context: &Context,
) -> Result<usize, String> {
    if needs_expansion(from, context.escape) {
        return Err("variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround".to_owned());
    }
    match atoi(from) {
        Some(index) => usize::try_from(index)
            .ok()
            .filter(|&i| i < nodes.len())
            .ok_or_else(|| format!("invalid stage index {index}")),
        None => Ok(find_or_add(from, by_name, nodes)),
    }
}

/// `findStateByName`, or a new unregistered state (an image, already "dispatched").
fn find_or_add(name: &str, by_name: &HashMap<String, usize>, nodes: &mut Vec<Node>) -> usize {
    if let Some(&i) = by_name.get(&to_lower(name)) {
        return i;
    }
    nodes.push(Node {
        display: String::new(),
        dispatched: true,
        deps: Vec::new(),
    });
    nodes.len() - 1
}

/// `validateCircularDependency`: the first state (in order) from which a cycle is reachable,
/// and the flag of its edge that leads into it.
fn find_cycle(nodes: &[Node]) -> Option<(usize, Span)> {
    let mut visited = vec![false; nodes.len()];
    let mut on_path = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        if visited[start] {
            continue;
        }
        // Iterative depth-first search: (state, next edge, span of the first edge).
        let mut stack: Vec<(usize, usize, Option<Span>)> = vec![(start, 0, None)];
        visited[start] = true;
        on_path[start] = true;
        while let Some(top) = stack.last_mut() {
            let (state, edge, first) = *top;
            let Some(dep) = nodes.get(state).and_then(|n| n.deps.get(edge)).copied() else {
                on_path[state] = false;
                stack.pop();
                continue;
            };
            top.1 += 1;
            let span = first.unwrap_or(dep.span);
            if on_path.get(dep.target).copied().unwrap_or(false) {
                return Some((start, span));
            }
            if !visited.get(dep.target).copied().unwrap_or(true) {
                visited[dep.target] = true;
                on_path[dep.target] = true;
                stack.push((dep.target, 0, Some(span)));
            }
        }
    }
    None
}

struct Graph<'n> {
    nodes: &'n [Node],
    current: usize,
    check_order: bool,
}

impl Graph<'_> {
    /// True when `state` exists and has not been dispatched yet.
    fn pending(&self, state: usize) -> bool {
        self.check_order && self.nodes.get(state).is_some_and(|n| !n.dispatched)
    }

    fn current_name(&self) -> &str {
        self.nodes
            .get(self.current)
            .map_or("", |n| n.display.as_str())
    }
}

/// The first dispatch-time error of one command, in BuildKit's order.
fn dispatch_command(
    command: &Command<'_>,
    sources: &Sources,
    graph: &Graph<'_>,
    context: &Context,
) -> Option<Diagnostic> {
    match command {
        Command::Copy(c) => {
            if let (Some(from), Some(source)) = (c.from, sources.copy) {
                if graph.pending(source) {
                    return Some(Diagnostic::error(
                        CODE_STAGE,
                        format!(
                            "cannot copy from stage {}, it needs to be defined before current stage {}",
                            quote(from.value),
                            quote(graph.current_name())
                        ),
                        from.flag.span,
                    ));
                }
            }
            dispatch::copy(c, context.escape)
        }
        Command::Run(run) => {
            let mut mounts = Vec::with_capacity(run.mounts.len());
            for m in &run.mounts {
                match mount::dispatch_time(m.value, context.escape) {
                    Ok(parsed) => mounts.push(parsed),
                    Err(e) => {
                        return Some(Diagnostic::error(
                            CODE_MOUNT,
                            e.message,
                            value_span(m.flag, e.range),
                        ))
                    }
                }
            }
            for (i, (m, parsed)) in run.mounts.iter().zip(&mounts).enumerate() {
                let Some(parsed) = parsed else { continue };
                if let Some(from) = Value::known(&parsed.from).filter(|f| !f.is_empty()) {
                    let source = sources.mounts.get(i).copied().unwrap_or(usize::MAX);
                    let target = match &parsed.target {
                        None => Some(""),
                        Some(Value::Known(t)) => Some(t.as_str()),
                        Some(Value::Unknown) => None,
                    };
                    if let (true, Some(target)) = (graph.pending(source), target) {
                        return Some(Diagnostic::error(
                            CODE_MOUNT,
                            format!(
                                "cannot mount from stage {} to {}, stage needs to be defined before current command",
                                quote(from),
                                quote(target)
                            ),
                            m.flag.span,
                        ));
                    }
                }
                match parsed.kind.as_str() {
                    "secret" => continue,
                    "ssh" => {
                        if Value::known(&parsed.source).is_some_and(|s| !s.is_empty()) {
                            return Some(Diagnostic::error(
                                CODE_MOUNT,
                                "ssh does not support source",
                                m.flag.span,
                            ));
                        }
                        continue;
                    }
                    _ => {}
                }
                if Value::known(&parsed.target) == Some("/") {
                    return Some(Diagnostic::error(
                        CODE_MOUNT,
                        "invalid mount target \"/\"",
                        m.flag.span,
                    ));
                }
            }
            if let (false, Some(device)) = (context.labs, run.devices.first()) {
                return Some(Diagnostic::error(
                    CODE_FLAG,
                    "device feature is only supported in Dockerfile frontend 1.14.0-labs or later",
                    device.span,
                ));
            }
            None
        }
        Command::Expose(ports) => ports.iter().find_map(|port| {
            if needs_expansion(&port.value, context.escape) {
                return None;
            }
            dispatch::port_spec_error(&port.value)
                .map(|message| Diagnostic::error(CODE_VALUE, message, port.span))
        }),
        Command::StopSignal(signal) => {
            if needs_expansion(&signal.value, context.escape) {
                return None;
            }
            dispatch::signal_error(&signal.value)
                .map(|message| Diagnostic::error(CODE_VALUE, message, signal.span))
        }
        Command::Arg | Command::Onbuild(_) | Command::Other => None,
    }
}
