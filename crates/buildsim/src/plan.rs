//! From a Dockerfile and build arguments to resolved stages and steps, as BuildKit's
//! `dockerfile2llb` dispatches them: meta ARGs, stage bases and references, the ordered
//! environment (ENV and ARG values with where each came from), WORKDIR/USER/SHELL, expanded
//! COPY/ADD sources and destinations, RUN mounts, ONBUILD triggers, and the history string each
//! instruction writes. Both builder models evaluate this plan.

use std::collections::{BTreeMap, BTreeSet};

use layerlab_syntax::builtin_args::{platform_arg, PLATFORM_ARGS};
use layerlab_syntax::shell::{Env, Lex};
use layerlab_syntax::{instructions, parse, Dockerfile, Instruction, Keyword, LineIndex};

use crate::digest::{Digest, KeyHasher};
use crate::gofmt;
use crate::gopath;
use crate::report::{Note, Severity, Status, StepResult};

/// The PATH BuildKit gives an image that has none (and what the simulator assumes a base image
/// sets: the base image's config is not available here).
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Where an environment variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The base image's config (assumed: the default PATH).
    Image,
    /// `ENV` at this line.
    Env(usize),
    /// `ARG` at this line, with the value from `--build-arg`.
    BuildArg(usize),
    /// `ARG` at this line, with its default.
    ArgDefault(usize),
    /// `ARG` at this line without a default, taking the global (meta) ARG's value.
    GlobalArg(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvVar {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// Lookup for the shell lexer.
struct EnvView<'a>(&'a [EnvVar]);

impl Env for EnvView<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.value.as_str())
    }
}

/// The image config fields the classic builder compares (besides Env, User, WorkingDir and
/// Shell, which live in [`State`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    pub labels: Vec<(String, String)>,
    pub expose: BTreeSet<String>,
    pub volumes: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub stopsignal: Option<String>,
    pub healthcheck: Option<String>,
    pub onbuild: Vec<String>,
}

/// The dispatch state of a stage after some instructions.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub env: Vec<EnvVar>,
    pub cwd: String,
    pub user: String,
    pub shell: Vec<String>,
    /// BuildKit's `d.buildArgs`: ARGs declared in the stage, in order (for history strings).
    pub declared_args: Vec<(String, Option<String>)>,
    /// The classic builder's `allowedBuildArgs`: declared ARG → Dockerfile default.
    pub legacy_args: BTreeMap<String, Option<String>>,
    pub config: Config,
    /// ONBUILD triggers declared in this stage (they fire in stages built FROM it).
    pub triggers: Vec<(usize, Instruction)>,
}

impl State {
    fn new() -> State {
        State {
            env: vec![EnvVar {
                name: "PATH".to_owned(),
                value: DEFAULT_PATH.to_owned(),
                origin: Origin::Image,
            }],
            cwd: "/".to_owned(),
            user: String::new(),
            shell: vec!["/bin/sh".to_owned(), "-c".to_owned()],
            declared_args: Vec::new(),
            legacy_args: BTreeMap::new(),
            config: Config::default(),
            triggers: Vec::new(),
        }
    }

    fn set_env(&mut self, name: &str, value: String, origin: Origin) {
        match self.env.iter_mut().find(|v| v.name == name) {
            Some(var) => {
                var.value = value;
                var.origin = origin;
            }
            None => self.env.push(EnvVar {
                name: name.to_owned(),
                value,
                origin,
            }),
        }
    }

    /// The classic builder's config digest (everything `compare()` looks at but Cmd).
    fn legacy_config(&self) -> Digest {
        let mut h = KeyHasher::new("legacy-config");
        h.u64(self.env.len() as u64);
        for var in self.env.iter().filter(|v| is_config_env(&v.origin)) {
            h.str(&var.name).str(&var.value);
        }
        h.str(&self.user).str(&self.cwd);
        h.u64(self.shell.len() as u64);
        for s in &self.shell {
            h.str(s);
        }
        let c = &self.config;
        h.u64(c.labels.len() as u64);
        for (k, v) in &c.labels {
            h.str(k).str(v);
        }
        h.u64(c.expose.len() as u64);
        for p in &c.expose {
            h.str(p);
        }
        h.u64(c.volumes.len() as u64);
        for v in &c.volumes {
            h.str(v);
        }
        for list in [&c.cmd, &c.entrypoint] {
            match list {
                Some(items) => {
                    h.u64(items.len() as u64);
                    for i in items {
                        h.str(i);
                    }
                }
                None => {
                    h.bool(false);
                }
            }
        }
        h.opt_str(c.stopsignal.as_deref())
            .opt_str(c.healthcheck.as_deref());
        h.u64(c.onbuild.len() as u64);
        for o in &c.onbuild {
            h.str(o);
        }
        h.finish()
    }
}

/// ENV and image variables live in the classic builder's config; ARG values do not.
fn is_config_env(origin: &Origin) -> bool {
    matches!(origin, Origin::Image | Origin::Env(_))
}

/// What a stage starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Image(String),
    Stage(usize),
    Scratch,
}

/// Where COPY or a RUN mount reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SourceRef {
    Context,
    Stage(usize),
    Image(String),
    /// A cache, tmpfs, secret or ssh mount without `from`: no content input.
    None,
}

#[derive(Clone, Debug)]
pub(crate) struct Mount {
    pub kind: String,
    pub target: String,
    /// The selected path in `from` (bind and cache mounts), absolute for stages.
    pub source: String,
    pub from: SourceRef,
    /// The mount's definition as it enters the key (cache ids and sharing excluded).
    pub definition: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Run {
    /// `Meta.args`: the shell and the command, or the exec form.
    pub args: Vec<String>,
    pub env: Vec<EnvVar>,
    pub cwd: String,
    pub user: String,
    pub network: String,
    pub security: String,
    pub mounts: Vec<Mount>,
    /// The classic builder's `|N k=v` prefix (sorted), empty when no build arg is in scope.
    pub legacy_args: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum CopySource {
    /// A path (maybe with wildcards) in the context or the `--from` stage/image.
    Path(String),
    /// `ADD <url>`.
    Url { url: String, pinned: bool },
    /// `ADD <git repository>`.
    Git { url: String, pinned: bool },
    /// A heredoc (`COPY <<EOF`): inline content.
    Inline { name: String, content: String },
}

#[derive(Clone, Debug)]
pub(crate) struct Copy {
    pub add: bool,
    pub from: SourceRef,
    pub sources: Vec<CopySource>,
    /// Absolute destination (trailing `/` kept).
    pub dest: String,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    /// `--link` as it takes effect (BuildKit ignores it with `--chmod`).
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
    /// Everything else that enters the op's definition (checksum, keep-git-dir, unpack).
    pub extra: String,
}

#[derive(Clone, Debug)]
pub(crate) enum Action {
    From(Base),
    Run(Box<Run>),
    Copy(Box<Copy>),
    Workdir {
        path: String,
        user: String,
    },
    /// Image config only (ENV, ARG, LABEL, USER, EXPOSE, ..., and `WORKDIR /`).
    Meta,
}

/// A history entry as BuildKit writes it.
#[derive(Clone, Debug)]
pub(crate) struct History {
    pub created_by: String,
    pub empty_layer: bool,
}

/// What the classic builder commits for a step.
#[derive(Clone, Debug)]
pub(crate) enum LegacyCmd {
    /// The full `Cmd` joined with spaces.
    Text(String),
    /// `COPY`/`ADD`: the Cmd up to the source hash, then ` in DEST `.
    Copy { prefix: String, dest: String },
}

#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub line: usize,
    pub text: String,
    pub keyword: Keyword,
    /// A fired ONBUILD trigger (shown at the ONBUILD's line).
    pub trigger: bool,
    pub action: Action,
    pub history: Option<History>,
    pub legacy_cmd: LegacyCmd,
    /// The classic builder's config after this step (Cmd excluded).
    pub legacy_config: Digest,
    /// The classic builder refuses this step.
    pub legacy_error: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Stage {
    pub index: usize,
    pub name: Option<String>,
    /// The name, or `stage-N` as BuildKit calls unnamed stages.
    pub display: String,
    pub base: Base,
    /// Stages this one reads (FROM, COPY --from, RUN --mount from, triggers).
    pub deps: BTreeSet<usize>,
    /// FROM first, then fired triggers, then the instructions.
    pub steps: Vec<Step>,
}

impl Stage {
    /// The result row of one of this stage's steps.
    pub fn result(
        &self,
        step: &Step,
        status: Status,
        reason: String,
        cause: Option<usize>,
        op: bool,
    ) -> StepResult {
        StepResult {
            stage: self.display.clone(),
            stage_index: self.index,
            line: step.line,
            instruction: step.text.clone(),
            status,
            reason,
            op,
            trigger: step.trigger,
            cause_line: cause,
            depends_on_tags: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub stages: Vec<Stage>,
    pub target: Option<usize>,
    pub notes: Vec<Note>,
    /// Every ARG name the file declares (meta or in a stage).
    pub declared_args: BTreeSet<String>,
}

struct Dispatcher<'a> {
    /// Compute the classic builder's config digests (skipped for BuildKit).
    legacy: bool,
    lex: Lex,
    index: LineIndex<'a>,
    build_args: BTreeMap<String, String>,
    meta: Vec<(String, Option<String>, usize)>,
    notes: Vec<Note>,
    declared_args: BTreeSet<String>,
}

/// Builds the plan for one build.
/// Builds the plan for one build; `legacy` also computes what the classic builder compares.
pub(crate) fn plan(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
    legacy: bool,
) -> Plan {
    let parsed = parse(text);
    let dockerfile = &parsed.dockerfile;
    let index = LineIndex::new(text);
    let mut notes = Vec::new();
    let mut seen_lines = BTreeSet::new();
    for d in parsed.errors.iter().chain(&instructions::check(dockerfile)) {
        let line = index.line_col(d.span.start).line;
        if seen_lines.insert((line, d.message.clone())) {
            notes.push(Note {
                severity: Severity::Error,
                line: Some(line),
                message: format!("BuildKit rejects this: {}", d.message),
            });
        }
    }
    let mut dispatcher = Dispatcher {
        legacy,
        lex: Lex::new(dockerfile.escape),
        index,
        build_args: build_args.iter().cloned().collect(),
        meta: Vec::new(),
        notes,
        declared_args: BTreeSet::new(),
    };
    let stages = dispatcher.stages(dockerfile);
    let target_index = match target {
        Some(name) => {
            let lower = name.to_lowercase();
            let found = stages
                .iter()
                .position(|s| s.name.as_deref() == Some(lower.as_str()));
            if found.is_none() {
                dispatcher.notes.push(Note {
                    severity: Severity::Error,
                    line: None,
                    message: format!("target stage \"{name}\" could not be found"),
                });
            }
            found
        }
        None => stages.len().checked_sub(1),
    };
    if stages.is_empty() {
        dispatcher.notes.push(Note {
            severity: Severity::Error,
            line: None,
            message: "the Dockerfile has no stage (no FROM)".to_owned(),
        });
    }
    Plan {
        stages,
        target: target_index,
        notes: dispatcher.notes,
        declared_args: dispatcher.declared_args,
    }
}

/// Splits `K=V` (ARG syntax) into the name and the raw default.
fn arg_parts(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (word, None),
    }
}

impl Dispatcher<'_> {
    fn line_of(&self, ins: &Instruction) -> usize {
        let _ = &self.index;
        ins.start_line
    }

    fn note(&mut self, severity: Severity, line: usize, message: String) {
        self.notes.push(Note {
            severity,
            line: Some(line),
            message,
        });
    }

    fn expand(&mut self, word: &str, env: &[EnvVar], line: usize) -> String {
        match self.lex.process_word(word, &EnvView(env)) {
            Ok(value) => value,
            Err(e) => {
                self.note(
                    Severity::Error,
                    line,
                    format!("BuildKit rejects this: {}", e.message),
                );
                word.to_owned()
            }
        }
    }

    fn expand_words(&mut self, word: &str, env: &[EnvVar], line: usize) -> Vec<String> {
        match self.lex.process_words(word, &EnvView(env)) {
            Ok(value) => value,
            Err(e) => {
                self.note(
                    Severity::Error,
                    line,
                    format!("BuildKit rejects this: {}", e.message),
                );
                vec![word.to_owned()]
            }
        }
    }

    /// The global scope: platform args and the meta ARGs with a value.
    fn global_env(&self) -> Vec<EnvVar> {
        let mut env: Vec<EnvVar> = PLATFORM_ARGS
            .iter()
            .map(|(k, v)| EnvVar {
                name: (*k).to_owned(),
                value: (*v).to_owned(),
                origin: Origin::Image,
            })
            .collect();
        for (k, v, line) in &self.meta {
            if let Some(v) = v {
                let origin = if self.build_args.contains_key(k) {
                    Origin::BuildArg(*line)
                } else {
                    Origin::ArgDefault(*line)
                };
                match env.iter_mut().find(|e| &e.name == k) {
                    Some(e) => {
                        e.value = v.clone();
                        e.origin = origin;
                    }
                    None => env.push(EnvVar {
                        name: k.clone(),
                        value: v.clone(),
                        origin,
                    }),
                }
            }
        }
        env
    }

    fn stages(&mut self, dockerfile: &Dockerfile) -> Vec<Stage> {
        // Group the instructions: meta ARGs, then one group per FROM.
        let mut groups: Vec<(&Instruction, Vec<&Instruction>)> = Vec::new();
        for ins in &dockerfile.instructions {
            match (ins.kind, groups.last_mut()) {
                (Keyword::From, _) => groups.push((ins, Vec::new())),
                (_, Some((_, body))) => body.push(ins),
                (Keyword::Arg, None) => self.meta_arg(ins),
                (_, None) => {}
            }
        }
        let mut stages: Vec<Stage> = Vec::new();
        let mut finals: Vec<State> = Vec::new();
        for (index, (from, body)) in groups.into_iter().enumerate() {
            let (stage, state) = self.stage(index, from, &body, &stages, &finals);
            stages.push(stage);
            finals.push(state);
        }
        stages
    }

    fn meta_arg(&mut self, ins: &Instruction) {
        let line = self.line_of(ins);
        for word in &ins.args {
            let (key, default) = arg_parts(&word.value);
            self.declared_args.insert(key.to_owned());
            let value = match self.build_args.get(key) {
                Some(v) => Some(v.clone()),
                None => match default {
                    Some(d) => {
                        let env = self.global_env();
                        Some(self.expand(d, &env, line))
                    }
                    None => None,
                },
            };
            self.meta.retain(|(k, _, _)| k != key);
            self.meta.push((key.to_owned(), value, line));
        }
    }

    fn stage(
        &mut self,
        index: usize,
        from: &Instruction,
        body: &[&Instruction],
        earlier: &[Stage],
        finals: &[State],
    ) -> (Stage, State) {
        let line = self.line_of(from);
        let raw_base = from.args.first().map_or("", |w| w.value.as_str());
        let name = match from.args.as_slice() {
            [_, as_word, name] if as_word.value.eq_ignore_ascii_case("as") => {
                Some(name.value.to_lowercase())
            }
            _ => None,
        };
        let global = self.global_env();
        let base_name = self.expand(raw_base, &global, line);
        let lower = base_name.to_lowercase();
        let base = if lower == "scratch" {
            Base::Scratch
        } else if let Some(i) = earlier
            .iter()
            .position(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            Base::Stage(i)
        } else {
            Base::Image(base_name.clone())
        };
        let mut state = match &base {
            Base::Stage(i) => {
                let mut s = finals.get(*i).cloned().unwrap_or_else(State::new);
                s.declared_args.clear();
                s.legacy_args.clear();
                s
            }
            _ => State::new(),
        };
        let triggers = std::mem::take(&mut state.triggers);
        state.config.onbuild.clear();
        let mut deps = BTreeSet::new();
        if let Base::Stage(i) = base {
            deps.insert(i);
        }
        let from_history_text = match &base {
            Base::Image(r) => r.clone(),
            Base::Stage(i) => earlier.get(*i).map_or(String::new(), |s| s.display.clone()),
            Base::Scratch => "scratch".to_owned(),
        };
        let mut steps = vec![Step {
            line,
            text: from.original.clone(),
            keyword: Keyword::From,
            trigger: false,
            action: Action::From(base.clone()),
            history: None,
            legacy_cmd: LegacyCmd::Text(format!("FROM {from_history_text}")),
            legacy_config: if self.legacy {
                state.legacy_config()
            } else {
                Digest::default()
            },
            legacy_error: None,
        }];
        let mut stage = Stage {
            index,
            display: name.clone().unwrap_or_else(|| format!("stage-{index}")),
            name,
            base,
            deps: BTreeSet::new(),
            steps: Vec::new(),
        };
        for (trigger_line, trigger) in &triggers {
            let step = self.instruction(trigger, *trigger_line, true, &mut state, earlier, &stage);
            steps.push(step);
        }
        for ins in body {
            let l = self.line_of(ins);
            let step = self.instruction(ins, l, false, &mut state, earlier, &stage);
            steps.push(step);
        }
        for step in &steps {
            match &step.action {
                Action::Copy(c) => {
                    if let SourceRef::Stage(i) = c.from {
                        deps.insert(i);
                    }
                }
                Action::Run(r) => {
                    for m in &r.mounts {
                        if let SourceRef::Stage(i) = m.from {
                            deps.insert(i);
                        }
                    }
                }
                _ => {}
            }
        }
        stage.deps = deps;
        stage.steps = steps;
        (stage, state)
    }

    /// Resolves `--from`/`from=`: a stage name or index defined earlier, else an image.
    fn source_ref(&self, from: &str, earlier: &[Stage], current: &Stage) -> SourceRef {
        let lower = from.to_lowercase();
        if let Some(i) = earlier
            .iter()
            .position(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return SourceRef::Stage(i);
        }
        if current.name.as_deref() == Some(lower.as_str()) {
            // Referencing the current stage is a circular dependency; BuildKit rejects it.
            return SourceRef::Image(from.to_owned());
        }
        if let Ok(i) = from.parse::<usize>() {
            if i < earlier.len() {
                return SourceRef::Stage(i);
            }
        }
        SourceRef::Image(from.to_owned())
    }

    #[allow(clippy::too_many_lines)]
    fn instruction(
        &mut self,
        ins: &Instruction,
        line: usize,
        trigger: bool,
        state: &mut State,
        earlier: &[Stage],
        stage: &Stage,
    ) -> Step {
        let text = if trigger {
            format!("ONBUILD {}", ins.original)
        } else {
            ins.original.clone()
        };
        let nop = |state: &State, body: &str| format!("{} #(nop)  {body}", state.shell.join(" "));
        let mut history: Option<History> = None;
        let mut legacy_cmd = LegacyCmd::Text(String::new());
        let mut legacy_error = None;
        let mut action = Action::Meta;
        let meta = |created_by: String| {
            Some(History {
                created_by,
                empty_layer: true,
            })
        };
        match ins.kind {
            Keyword::Arg => {
                let mut parts = Vec::new();
                let mut legacy_parts = Vec::new();
                for word in &ins.args {
                    let (key, default) = arg_parts(&word.value);
                    self.declared_args.insert(key.to_owned());
                    let expanded_default = default.map(|d| {
                        let env = state.env.clone();
                        self.expand(d, &env, line)
                    });
                    let mut value = None;
                    let mut origin = Origin::ArgDefault(line);
                    if let Some(v) = self.build_args.get(key) {
                        value = Some(v.clone());
                        origin = Origin::BuildArg(line);
                    } else if expanded_default.is_some() {
                        value.clone_from(&expanded_default);
                    } else if let Some((_, v, _)) = self.meta.iter().find(|(k, _, _)| k == key) {
                        value.clone_from(v);
                        origin = Origin::GlobalArg(line);
                    } else if let Some(v) = platform_arg(key) {
                        value = Some(v.to_owned());
                        origin = Origin::GlobalArg(line);
                    }
                    if let Some(v) = &value {
                        if key != "SOURCE_DATE_EPOCH" {
                            state.set_env(key, v.clone(), origin);
                        }
                    }
                    match state.declared_args.iter_mut().find(|(k, _)| k == key) {
                        Some(slot) => slot.1.clone_from(&value),
                        None => state.declared_args.push((key.to_owned(), value.clone())),
                    }
                    state
                        .legacy_args
                        .insert(key.to_owned(), expanded_default.clone());
                    parts.push(match &value {
                        Some(v) => format!("{key}={v}"),
                        None => key.to_owned(),
                    });
                    legacy_parts.push(match &expanded_default {
                        Some(v) => format!("{key}={v}"),
                        None => key.to_owned(),
                    });
                }
                history = meta(format!("ARG {}", parts.join(" ")));
                legacy_cmd =
                    LegacyCmd::Text(nop(state, &format!("ARG {}", legacy_parts.join(" "))));
            }
            Keyword::Env | Keyword::Label => {
                let mut parts = Vec::new();
                for triple in ins.args.chunks(3) {
                    let [key, value, ..] = triple else { continue };
                    let env = state.env.clone();
                    let k = self.expand(&key.value, &env, line);
                    let v = self.expand(&value.value, &env, line);
                    parts.push(format!("{k}={v}"));
                    if ins.kind == Keyword::Env {
                        state.set_env(&k, v, Origin::Env(line));
                    } else {
                        match state.config.labels.iter_mut().find(|(lk, _)| *lk == k) {
                            Some(slot) => slot.1 = v,
                            None => state.config.labels.push((k, v)),
                        }
                    }
                }
                let word = if ins.kind == Keyword::Env {
                    "ENV"
                } else {
                    "LABEL"
                };
                let body = format!("{word} {}", parts.join(" "));
                history = meta(body.clone());
                legacy_cmd = LegacyCmd::Text(nop(state, &body));
            }
            Keyword::User => {
                let env = state.env.clone();
                let user = ins
                    .args
                    .first()
                    .map(|w| self.expand(&w.value, &env, line))
                    .unwrap_or_default();
                state.user.clone_from(&user);
                history = meta(format!("USER {user}"));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("USER {user}")));
            }
            Keyword::Workdir => {
                let env = state.env.clone();
                let raw = ins.args.first().map_or("", |w| w.value.as_str()).to_owned();
                let path = self.expand(&raw, &env, line);
                let wd = if path.starts_with('/') {
                    gopath::clean(&path)
                } else {
                    gopath::join(&format!("/{}", state.cwd.trim_start_matches('/')), &path)
                };
                state.cwd.clone_from(&wd);
                history = Some(History {
                    created_by: format!("WORKDIR {wd}"),
                    empty_layer: wd == "/",
                });
                legacy_cmd =
                    LegacyCmd::Text(format!("{} #(nop) WORKDIR {wd}", state.shell.join(" ")));
                if wd != "/" {
                    action = Action::Workdir {
                        path: wd,
                        user: state.user.clone(),
                    };
                }
            }
            Keyword::Expose => {
                let env = state.env.clone();
                let mut written = Vec::new();
                for word in &ins.args {
                    for port in self.expand_words(&word.value, &env, line) {
                        written.push(port.clone());
                        for spec in port_specs(&port) {
                            state.config.expose.insert(spec);
                        }
                    }
                }
                let mut specs: Vec<String> = Vec::new();
                for port in &written {
                    specs.extend(port_specs(port));
                }
                specs.sort();
                specs.dedup();
                history = meta(format!("EXPOSE {}", gofmt::list(&specs)));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("EXPOSE {}", written.join(" "))));
            }
            Keyword::Volume => {
                let env = state.env.clone();
                let volumes: Vec<String> = ins
                    .args
                    .iter()
                    .map(|w| self.expand(&w.value, &env, line))
                    .collect();
                state.config.volumes.extend(volumes.iter().cloned());
                history = meta(format!("VOLUME {}", gofmt::list(&volumes)));
                legacy_cmd =
                    LegacyCmd::Text(nop(state, &format!("VOLUME {}", gofmt::list(&volumes))));
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                let argv = command_argv(ins, &state.shell);
                let word = if ins.kind == Keyword::Cmd {
                    state.config.cmd = Some(argv.clone());
                    "CMD"
                } else {
                    state.config.entrypoint = Some(argv.clone());
                    "ENTRYPOINT"
                };
                let body = format!("{word} {}", gofmt::quote_list(&argv));
                history = meta(body.clone());
                legacy_cmd = LegacyCmd::Text(nop(state, &body));
            }
            Keyword::Healthcheck => {
                let body = healthcheck(ins, &state.shell);
                state.config.healthcheck = Some(body.clone());
                history = meta(format!("HEALTHCHECK {body}"));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("HEALTHCHECK &{body}")));
            }
            Keyword::Stopsignal => {
                let env = state.env.clone();
                let signal = ins
                    .args
                    .first()
                    .map(|w| self.expand(&w.value, &env, line))
                    .unwrap_or_default();
                state.config.stopsignal = Some(signal.clone());
                history = meta(format!("STOPSIGNAL {signal}"));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("STOPSIGNAL {signal}")));
            }
            Keyword::Shell => {
                let shell: Vec<String> = ins.args.iter().map(|w| w.value.clone()).collect();
                if !shell.is_empty() {
                    state.shell.clone_from(&shell);
                }
                history = meta(format!("SHELL {}", gofmt::list(&shell)));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("SHELL {}", gofmt::list(&shell))));
            }
            Keyword::Maintainer => {
                let who = ins
                    .args
                    .iter()
                    .map(|w| w.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                history = meta(format!("MAINTAINER {who}"));
                legacy_cmd = LegacyCmd::Text(nop(state, &format!("MAINTAINER {who}")));
            }
            Keyword::Onbuild => {
                if let Some(t) = &ins.trigger {
                    state.triggers.push((line, (**t).clone()));
                    state.config.onbuild.push(t.original.clone());
                }
                legacy_cmd = LegacyCmd::Text(nop(
                    state,
                    &format!(
                        "ONBUILD {}",
                        ins.trigger.as_ref().map_or("", |t| t.original.as_str())
                    ),
                ));
            }
            Keyword::Run => {
                let run = self.run(ins, line, state, earlier, stage);
                let mut prefix = Vec::new();
                let env = &state.env;
                for (key, value) in &state.declared_args {
                    let v = env
                        .iter()
                        .find(|e| &e.name == key)
                        .map(|e| e.value.clone())
                        .or_else(|| value.clone())
                        .unwrap_or_default();
                    prefix.push(format!("{key}={v}"));
                }
                let mut created_by = String::from("RUN ");
                if !prefix.is_empty() {
                    created_by.push_str(&format!("|{} {} ", prefix.len(), prefix.join(" ")));
                }
                created_by.push_str(&run.args.join(" "));
                created_by.push_str(" # buildkit");
                history = Some(History {
                    created_by,
                    empty_layer: false,
                });
                let mut cmd = String::new();
                if !run.legacy_args.is_empty() {
                    cmd.push_str(&format!(
                        "|{} {} ",
                        run.legacy_args.len(),
                        run.legacy_args.join(" ")
                    ));
                }
                cmd.push_str(&run.args.join(" "));
                legacy_cmd = LegacyCmd::Text(cmd);
                if !ins.flags.is_empty() {
                    legacy_error = Some(
                        "the classic builder rejects RUN flags: \"the --mount option requires BuildKit\""
                            .to_owned(),
                    );
                }
                action = Action::Run(Box::new(run));
            }
            Keyword::Copy | Keyword::Add => {
                let (copy, written_sources, written_dest) =
                    self.copy(ins, line, state, earlier, stage);
                let word = if copy.add { "ADD" } else { "COPY" };
                let mut created_by = word.to_owned();
                if copy.parents {
                    created_by.push_str(" --parents");
                }
                if let Some(c) = &copy.chown {
                    created_by.push_str(&format!(" --chown={c}"));
                }
                if let Some(c) = &copy.chmod {
                    created_by.push_str(&format!(" --chmod={c}"));
                }
                for s in &written_sources {
                    created_by.push(' ');
                    created_by.push_str(s);
                }
                for s in &copy.sources {
                    if let CopySource::Inline { name, .. } = s {
                        created_by.push_str(&format!(" <<{name}"));
                    }
                }
                created_by.push_str(&format!(" {written_dest} # buildkit"));
                history = Some(History {
                    created_by,
                    empty_layer: false,
                });
                let mut prefix = format!("{} #(nop) {word} ", state.shell.join(" "));
                if let Some(c) = &copy.chown {
                    prefix.push_str(&format!("--chown={c} "));
                }
                legacy_cmd = LegacyCmd::Copy {
                    prefix,
                    dest: written_dest,
                };
                if copy.chmod.is_some() {
                    legacy_error = Some(
                        "the classic builder rejects --chmod: \"the --chmod option requires BuildKit\""
                            .to_owned(),
                    );
                }
                action = Action::Copy(Box::new(copy));
            }
            Keyword::From | Keyword::Unknown => {}
        }
        Step {
            line,
            text,
            keyword: ins.kind,
            trigger,
            action,
            history,
            legacy_cmd,
            legacy_config: if self.legacy {
                state.legacy_config()
            } else {
                Digest::default()
            },
            legacy_error,
        }
    }

    fn run(
        &mut self,
        ins: &Instruction,
        line: usize,
        state: &State,
        earlier: &[Stage],
        stage: &Stage,
    ) -> Run {
        let mut args: Vec<String> = if ins.json {
            ins.args.iter().map(|w| w.value.clone()).collect()
        } else {
            let cmdline = ins
                .args
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut argv = state.shell.clone();
            argv.push(cmdline);
            argv
        };
        if !ins.json && !ins.heredocs.is_empty() {
            let cmdline = args.pop().unwrap_or_default();
            let body = if ins.heredocs.len() == 1 && is_heredoc_word(cmdline.trim(), ins) {
                heredoc_content(&ins.heredocs[0])
            } else {
                let mut b = cmdline;
                for h in &ins.heredocs {
                    b.push('\n');
                    b.push_str(&h.content);
                    b.push_str(&h.name);
                }
                b
            };
            args.push(body);
        }
        let mut network = String::new();
        let mut security = String::new();
        let mut mounts = Vec::new();
        for flag in &ins.flags {
            match flag.name() {
                "network" => network = flag.value().unwrap_or_default().to_owned(),
                "security" => security = flag.value().unwrap_or_default().to_owned(),
                "mount" => {
                    if let Some(m) = self.mount(
                        flag.value().unwrap_or_default(),
                        line,
                        state,
                        earlier,
                        stage,
                    ) {
                        mounts.push(m);
                    }
                }
                _ => {}
            }
        }
        // The classic builder's `|N k=v` prefix: declared ARGs with a value, not shadowed by
        // ENV, sorted; proxy args only when declared (they are, being in `legacy_args`).
        let mut legacy_args = Vec::new();
        for (key, default) in &state.legacy_args {
            let shadowed = state
                .env
                .iter()
                .any(|v| &v.name == key && is_config_env(&v.origin));
            if shadowed {
                continue;
            }
            let value = self.build_args.get(key).cloned().or_else(|| {
                default.clone().or_else(|| {
                    self.meta
                        .iter()
                        .find(|(k, _, _)| k == key)
                        .and_then(|(_, v, _)| v.clone())
                })
            });
            if let Some(v) = value {
                legacy_args.push(format!("{key}={v}"));
            }
        }
        legacy_args.sort();
        Run {
            args,
            env: state.env.clone(),
            cwd: state.cwd.clone(),
            user: state.user.clone(),
            network,
            security,
            mounts,
            legacy_args,
        }
    }

    fn mount(
        &mut self,
        value: &str,
        line: usize,
        state: &State,
        earlier: &[Stage],
        stage: &Stage,
    ) -> Option<Mount> {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        let mut order = Vec::new();
        for field in csv_fields(value) {
            let (key, val) = match field.split_once('=') {
                Some((k, v)) => (k.to_lowercase(), v.to_owned()),
                None => (field.to_lowercase(), "true".to_owned()),
            };
            let key = match key.as_str() {
                "src" => "source".to_owned(),
                "dst" | "destination" => "target".to_owned(),
                "ro" | "readonly" => "readonly".to_owned(),
                "rw" | "readwrite" => {
                    fields.insert("readonly".to_owned(), "false".to_owned());
                    continue;
                }
                _ => key,
            };
            let val = if key == "from" {
                val
            } else {
                let env = state.env.clone();
                self.expand(&val, &env, line)
            };
            order.push(key.clone());
            fields.insert(key, val);
        }
        let kind = fields
            .get("type")
            .cloned()
            .unwrap_or_else(|| "bind".to_owned());
        let target_raw = fields.get("target").cloned().unwrap_or_default();
        let target = if target_raw.starts_with('/') {
            gopath::clean(&target_raw)
        } else {
            gopath::join(&state.cwd, &target_raw)
        };
        let from = match fields.get("from").filter(|f| !f.is_empty()) {
            Some(f) => self.source_ref(f, earlier, stage),
            None if kind == "bind" => SourceRef::Context,
            None => SourceRef::None,
        };
        let source = fields.get("source").cloned().unwrap_or_default();
        let mut definition = format!("type={kind};target={target}");
        for (k, v) in &fields {
            let excluded = matches!(k.as_str(), "type" | "target" | "from")
                || (kind == "cache" && matches!(k.as_str(), "id" | "sharing"));
            if !excluded {
                definition.push_str(&format!(";{k}={v}"));
            }
        }
        Some(Mount {
            kind,
            target,
            source,
            from,
            definition,
        })
    }

    fn copy(
        &mut self,
        ins: &Instruction,
        line: usize,
        state: &State,
        earlier: &[Stage],
        stage: &Stage,
    ) -> (Copy, Vec<String>, String) {
        let add = ins.kind == Keyword::Add;
        let env = state.env.clone();
        let flag_value = |name: &str| ins.flag(name).map(|f| f.value().unwrap_or("").to_owned());
        let bool_flag = |name: &str| {
            ins.flag(name)
                .is_some_and(|f| f.value().is_none_or(|v| v.eq_ignore_ascii_case("true")))
        };
        let from = match flag_value("from").filter(|f| !f.is_empty()) {
            Some(f) => self.source_ref(&f, earlier, stage),
            None => SourceRef::Context,
        };
        let chown = flag_value("chown")
            .filter(|v| !v.is_empty())
            .map(|v| self.expand(&v, &env, line));
        let chmod = flag_value("chmod")
            .filter(|v| !v.is_empty())
            .map(|v| self.expand(&v, &env, line));
        let link_written = bool_flag("link");
        let parents = bool_flag("parents");
        let exclude: Vec<String> = ins
            .flags
            .iter()
            .filter(|f| f.name() == "exclude")
            .filter_map(|f| f.value().map(str::to_owned))
            .collect();
        let checksum = flag_value("checksum").filter(|v| !v.is_empty());
        let mut extra = String::new();
        if let Some(c) = &checksum {
            extra.push_str(&format!("checksum={c};"));
        }
        if let Some(v) = flag_value("keep-git-dir") {
            extra.push_str(&format!("keep-git-dir={v};"));
        }
        if let Some(v) = flag_value("unpack") {
            extra.push_str(&format!("unpack={v};"));
        }
        let words: Vec<&str> = ins.args.iter().map(|w| w.value.as_str()).collect();
        let (dest_raw, source_words) = match words.split_last() {
            Some((d, s)) => (*d, s.to_vec()),
            None => ("", Vec::new()),
        };
        let mut sources = Vec::new();
        let mut written = Vec::new();
        for word in source_words {
            if !ins.heredocs.is_empty() && is_heredoc_word(word, ins) {
                if let Some(h) = ins.heredocs.iter().find(|h| heredoc_name(word) == h.name) {
                    let content = if h.expand {
                        let lex = Lex {
                            skip_process_quotes: true,
                            ..Lex::new('\\')
                        };
                        lex.process_word(&heredoc_content(h), &EnvView(&env))
                            .unwrap_or_else(|_| heredoc_content(h))
                    } else {
                        heredoc_content(h)
                    };
                    sources.push(CopySource::Inline {
                        name: h.name.clone(),
                        content,
                    });
                }
                continue;
            }
            let expanded = self.expand(word, &env, line);
            written.push(expanded.clone());
            if add && from == SourceRef::Context && is_git_url(&expanded) {
                let pinned = expanded
                    .rsplit_once('#')
                    .is_some_and(|(_, r)| is_commit_sha(r.split(':').next().unwrap_or("")));
                sources.push(CopySource::Git {
                    url: expanded,
                    pinned,
                });
            } else if add && from == SourceRef::Context && is_url(&expanded) {
                sources.push(CopySource::Url {
                    url: expanded,
                    pinned: checksum.is_some(),
                });
            } else {
                sources.push(CopySource::Path(expanded));
            }
        }
        let dest_written = self.expand(dest_raw, &env, line);
        let trailing = dest_written.ends_with('/')
            || dest_written == "."
            || dest_written.ends_with("/.")
            || dest_written.is_empty();
        let mut dest = if dest_written.starts_with('/') {
            gopath::clean(&dest_written)
        } else {
            gopath::join(&state.cwd, &dest_written)
        };
        if trailing && dest != "/" {
            dest.push('/');
        }
        let copy = Copy {
            add,
            from,
            sources,
            dest,
            link: link_written && chmod.is_none(),
            chown,
            chmod,
            parents,
            exclude,
            extra,
        };
        (copy, written, dest_written)
    }
}

/// `[PORT[/PROTO]]` specs as `nat.ParsePortSpecs` returns them (ranges expanded, `tcp`
/// default), for EXPOSE history.
fn port_specs(raw: &str) -> Vec<String> {
    let (port, proto) = match raw.split_once('/') {
        Some((p, proto)) => (p, proto.to_lowercase()),
        None => (raw, "tcp".to_owned()),
    };
    let port = port.rsplit(':').next().unwrap_or(port);
    match port.split_once('-') {
        Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) if a <= b && b - a < 65536 => {
                (a..=b).map(|p| format!("{p}/{proto}")).collect()
            }
            _ => vec![format!("{port}/{proto}")],
        },
        None => vec![format!("{port}/{proto}")],
    }
}

/// CMD/ENTRYPOINT argv: the exec form, or the shell plus the command line.
fn command_argv(ins: &Instruction, shell: &[String]) -> Vec<String> {
    if ins.json {
        ins.args.iter().map(|w| w.value.clone()).collect()
    } else {
        let mut argv = shell.to_vec();
        argv.push(
            ins.args
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        argv
    }
}

/// `{Test:[CMD-SHELL x] Interval:30s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}`
/// (Go's `%+v` of the health config).
fn healthcheck(ins: &Instruction, shell: &[String]) -> String {
    let mut test: Vec<String> = Vec::new();
    match ins.args.first().map(|w| w.value.to_uppercase()) {
        Some(kind) if kind == "NONE" => test.push("NONE".to_owned()),
        Some(_) => {
            let rest: Vec<String> = ins.args.iter().skip(1).map(|w| w.value.clone()).collect();
            if ins.json {
                test.push("CMD".to_owned());
                test.extend(rest);
            } else {
                let _ = shell;
                test.push("CMD-SHELL".to_owned());
                test.push(rest.join(" "));
            }
        }
        None => {}
    }
    let duration = |name: &str| {
        ins.flag(name)
            .and_then(|f| f.value())
            .and_then(gofmt::parse_duration)
            .map_or_else(|| "0s".to_owned(), gofmt::duration)
    };
    let retries = ins
        .flag("retries")
        .and_then(|f| f.value())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    format!(
        "{{Test:{} Interval:{} Timeout:{} StartPeriod:{} StartInterval:{} Retries:{retries}}}",
        gofmt::list(&test),
        duration("interval"),
        duration("timeout"),
        duration("start-period"),
        duration("start-interval"),
    )
}

/// The heredoc terminator a `<<EOF`-style word names.
fn heredoc_name(word: &str) -> String {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix("<<").unwrap_or(rest);
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.chars().filter(|c| *c != '"' && *c != '\'').collect()
}

fn is_heredoc_word(word: &str, ins: &Instruction) -> bool {
    let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.starts_with("<<") && ins.heredocs.iter().any(|h| h.name == heredoc_name(word))
}

/// The body with `<<-` tab stripping applied.
fn heredoc_content(h: &layerlab_syntax::Heredoc) -> String {
    if !h.chomp {
        return h.content.clone();
    }
    h.content
        .split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// BuildKit's `isGitTransport`/`gitutil.ParseURL` in short: git schemes, scp-style
/// `git@host:path`, and http(s) URLs to a `.git` repository.
fn is_git_url(s: &str) -> bool {
    if s.starts_with("git://") || s.starts_with("git@") || s.starts_with("ssh://") {
        return true;
    }
    if is_url(s) {
        let path = s.split('#').next().unwrap_or(s);
        return path.ends_with(".git");
    }
    false
}

fn is_commit_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One CSV record (Go's `encoding/csv` rules for the `--mount` value).
fn csv_fields(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    current.push('"');
                } else {
                    quoted = false;
                }
            } else {
                current.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' => {
                fields.push(std::mem::take(&mut current));
                at_start = true;
            }
            c => {
                current.push(c);
                at_start = false;
            }
        }
    }
    fields.push(current);
    fields.retain(|f| !f.is_empty());
    fields
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn plan_of(text: &str, args: &[(&str, &str)]) -> Plan {
        let args: Vec<(String, String)> = args
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        plan(text, &args, None, true)
    }

    fn created_by(p: &Plan, stage: usize) -> Vec<String> {
        p.stages[stage]
            .steps
            .iter()
            .filter_map(|s| s.history.as_ref().map(|h| h.created_by.clone()))
            .collect()
    }

    #[test]
    fn history_strings_as_buildkit_writes_them() {
        let p = plan_of(
            "FROM alpine\nARG foo=bar2\nARG bar=123\nRUN ls /etc/\nCOPY --chown=1:1 a b /d/\nWORKDIR /app\nWORKDIR /\nEXPOSE 5000 2375/tcp 1234/udp\nCMD echo hi\nLABEL a=b\nENV PATH=/x:$PATH\n",
            &[],
        );
        assert_eq!(
            created_by(&p, 0),
            [
                "ARG foo=bar2",
                "ARG bar=123",
                "RUN |2 foo=bar2 bar=123 /bin/sh -c ls /etc/ # buildkit",
                "COPY --chown=1:1 a b /d/ # buildkit",
                "WORKDIR /app",
                "WORKDIR /",
                "EXPOSE [1234/udp 2375/tcp 5000/tcp]",
                r#"CMD ["/bin/sh" "-c" "echo hi"]"#,
                "LABEL a=b",
                "ENV PATH=/x:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ]
        );
    }

    #[test]
    fn args_and_env_resolution() {
        let p = plan_of(
            "ARG V=1\nARG BASE=alpine\nFROM $BASE AS one\nARG V\nARG W=x$V\nENV E=$W\nRUN true\n",
            &[("V", "2")],
        );
        let stage = &p.stages[0];
        assert_eq!(stage.base, Base::Image("alpine".into()));
        let Action::Run(run) = &stage.steps.last().expect("step").action else {
            panic!("not a RUN")
        };
        let env: Vec<(String, String)> = run
            .env
            .iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect();
        assert_eq!(
            env,
            [
                ("PATH".to_owned(), DEFAULT_PATH.to_owned()),
                ("V".to_owned(), "2".to_owned()),
                ("W".to_owned(), "x2".to_owned()),
                ("E".to_owned(), "x2".to_owned()),
            ]
        );
        assert_eq!(run.legacy_args, ["V=2", "W=x2"]);
    }

    #[test]
    fn stages_and_references() {
        let p = plan_of(
            "FROM golang AS build\nRUN go build\nFROM build AS test\nFROM scratch\nCOPY --from=build /out /out\nCOPY --from=nginx /etc/nginx /n\nRUN --mount=type=bind,from=test,target=/t true\n",
            &[],
        );
        assert_eq!(p.stages[1].base, Base::Stage(0));
        assert_eq!(p.stages[2].base, Base::Scratch);
        assert_eq!(p.stages[2].deps, BTreeSet::from([0, 1]));
        assert_eq!(p.target, Some(2));
        let Action::Copy(c) = &p.stages[2].steps[2].action else {
            panic!("not a COPY")
        };
        assert_eq!(c.from, SourceRef::Image("nginx".into()));
    }

    #[test]
    fn mounts_csv() {
        assert_eq!(
            csv_fields("type=bind,\"source=a,b\",target=/x"),
            ["type=bind", "source=a,b", "target=/x"]
        );
    }
}
