//! What rules see: the parsed file, its stages, and a place to report.

use std::cell::{OnceCell, RefCell};

use layerlab_syntax::{Instruction, Keyword, Parse, Span};

use layerlab_shell::CommandInfo;

use crate::scripts::{self, Script};
use crate::{pragma, registry};
use crate::{Finding, Fix, Level, LintOptions, RuleMeta};

/// Where a stage's filesystem comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageBase {
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage of this file, by index.
    Stage(usize),
    /// An image reference (as written, variables unexpanded).
    Image(String),
}

/// One build stage: its FROM and the instructions up to the next FROM.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM in [`Context::instructions`].
    pub from: usize,
    /// The lower-cased name after `AS`.
    pub name: Option<String>,
    pub base: StageBase,
    /// Indices of the stage's instructions, FROM excluded.
    pub body: std::ops::Range<usize>,
}

pub struct Context<'a> {
    pub text: &'a str,
    pub parse: &'a Parse,
    pub options: &'a LintOptions,
    pub instructions: &'a [Instruction],
    pub stages: Vec<Stage>,
    /// The stage of each instruction; `None` before the first FROM.
    pub stage_of: Vec<Option<usize>>,
    findings: RefCell<Vec<Finding>>,
    store: &'a ScriptStore<'a>,
    /// The file's `# check=` directive.
    file_checks: Option<pragma::CheckOptions>,
}

/// Where the parsed scripts and their commands live while rules run: outside the context, so
/// the commands (which borrow the scripts) are computed once and shared by every rule.
#[derive(Default)]
pub struct ScriptStore<'a> {
    scripts: OnceCell<Vec<Script<'a>>>,
    commands: OnceCell<Vec<Vec<CommandInfo<'a>>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a str,
        parse: &'a Parse,
        options: &'a LintOptions,
        store: &'a ScriptStore<'a>,
    ) -> Self {
        let instructions = parse.dockerfile.instructions.as_slice();
        let mut stages: Vec<Stage> = Vec::new();
        let mut stage_of = Vec::with_capacity(instructions.len());
        for (i, instruction) in instructions.iter().enumerate() {
            if instruction.kind == Keyword::From {
                if let Some(last) = stages.last_mut() {
                    last.body.end = i;
                }
                let image = instruction
                    .args
                    .first()
                    .map(|w| w.value.clone())
                    .unwrap_or_default();
                let name = match instruction.args.as_slice() {
                    [_, as_word, name] if as_word.value.eq_ignore_ascii_case("as") => {
                        Some(name.value.to_lowercase())
                    }
                    _ => None,
                };
                let lower = image.to_lowercase();
                let base = if lower == "scratch" {
                    StageBase::Scratch
                } else if let Some(parent) = stages
                    .iter()
                    .rev()
                    .find(|s| s.name.as_deref() == Some(&lower))
                {
                    StageBase::Stage(parent.index)
                } else {
                    StageBase::Image(image)
                };
                stages.push(Stage {
                    index: stages.len(),
                    from: i,
                    name,
                    base,
                    body: i + 1..instructions.len(),
                });
            }
            stage_of.push(stages.last().map(|s| s.index));
        }
        Context {
            text,
            parse,
            options,
            instructions,
            stages,
            stage_of,
            findings: RefCell::new(Vec::new()),
            store,
            file_checks: pragma::file_check_options(parse),
        }
    }

    /// Every shell script of the file (shell-form RUNs and shell heredocs), parsed once.
    pub fn scripts(&self) -> &'a [Script<'a>] {
        self.store.scripts.get_or_init(|| scripts::collect(self))
    }

    /// The simple commands of each script (same order as [`Context::scripts`]), walked once.
    pub fn script_commands(&self) -> &'a [Vec<CommandInfo<'a>>] {
        let scripts = self.scripts();
        self.store
            .commands
            .get_or_init(|| scripts.iter().map(Script::commands).collect())
    }

    /// The commands of one script of [`Context::scripts`].
    pub fn commands_of(&self, script: &Script<'_>) -> &'a [CommandInfo<'a>] {
        let index = self
            .scripts()
            .iter()
            .position(|s| std::ptr::eq(s.run, script.run) && s.origin == script.origin);
        index
            .and_then(|i| self.script_commands().get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The stage's instructions, FROM excluded.
    pub fn stage_instructions(&self, stage: &Stage) -> &'a [Instruction] {
        self.instructions
            .get(stage.body.clone())
            .unwrap_or_default()
    }

    pub fn is_final(&self, stage: &Stage) -> bool {
        stage.index + 1 == self.stages.len()
    }

    /// A later stage builds FROM this one (so what it leaves behind ships further).
    pub fn is_reused(&self, stage: &Stage) -> bool {
        self.stages
            .iter()
            .any(|s| s.base == StageBase::Stage(stage.index))
    }

    /// The ARGs declared before the first FROM.
    pub fn global_args(&self) -> impl Iterator<Item = &'a Instruction> {
        let first_from = self
            .stages
            .first()
            .map_or(self.instructions.len(), |s| s.from);
        self.instructions[..first_from]
            .iter()
            .filter(|i| i.kind == Keyword::Arg)
    }

    /// The source text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    pub(crate) fn is_enabled(&self, meta: &RuleMeta) -> bool {
        if registry::is_experimental(meta.code) {
            // BuildKit's experimental checks run when asked for: by the options, or by
            // `# check=experimental=…` for the file or above some instruction (the findings of
            // the latter are kept for that instruction only, by the suppression pass).
            return !named(meta, &self.options.ignored)
                && (enabled_by_options(meta, self.options)
                    || pragma::experimental_enabled(meta, self.file_checks.as_ref(), None)
                    || self
                        .instructions
                        .iter()
                        .any(|i| pragma::experimental_enabled(meta, None, Some(i))));
        }
        enabled_by_options(meta, self.options)
    }

    /// Reports a finding of `meta`'s rule at `span`.
    pub fn report(&self, meta: &'static RuleMeta, span: Span, message: impl Into<String>) {
        self.report_with_fix(meta, span, message, None);
    }

    pub fn report_with_fix(
        &self,
        meta: &'static RuleMeta,
        span: Span,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        self.findings.borrow_mut().push(Finding {
            code: meta.code,
            level: self.level_of(meta),
            message: message.into(),
            span,
            fix,
        });
    }

    fn level_of(&self, meta: &RuleMeta) -> Level {
        let overridden = self
            .options
            .overrides
            .iter()
            .filter(|(name, _)| meta.answers_to(name))
            .map(|(_, level)| *level)
            .min();
        match overridden {
            Some(level) => level,
            // BuildKit reports every check as a warning, experimental ones included.
            None if registry::is_experimental(meta.code) => Level::Warning,
            None if meta.level == Level::Ignore => Level::Info,
            None => meta.level,
        }
    }

    pub(crate) fn into_findings(self) -> Vec<Finding> {
        self.findings.into_inner()
    }
}

fn named(meta: &RuleMeta, list: &[String]) -> bool {
    list.iter().any(|n| meta.answers_to(n))
}

/// Whether the options run the rule: not ignored, and on by default, named in `enable`, or
/// given a severity.
pub(crate) fn enabled_by_options(meta: &RuleMeta, options: &LintOptions) -> bool {
    if named(meta, &options.ignored) {
        return false;
    }
    meta.level != Level::Ignore
        || named(meta, &options.enable)
        || options
            .overrides
            .iter()
            .any(|(n, l)| meta.answers_to(n) && *l != Level::Ignore)
}
