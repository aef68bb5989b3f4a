//! What lint rules ask of a script: every simple command with its context (pipeline, and-or
//! list, separator, enclosing constructs, `set -e`/`pipefail` state), command-line views that
//! see through wrappers such as `sudo`, and flag parsing.

use std::borrow::Cow;

use crate::ast::*;

/// The shell options that `set` changes and rules care about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ShellOptions {
    /// `set -e` / `set -o errexit`
    pub errexit: bool,
    /// `set -o pipefail`
    pub pipefail: bool,
    /// `set -u` / `set -o nounset`
    pub nounset: bool,
    /// `set -x` / `set -o xtrace`
    pub xtrace: bool,
}

impl ShellOptions {
    /// Applies the arguments of one `set` command (`-e`, `+e`, `-eo pipefail`, `-o pipefail`,
    /// `-Eeuxo pipefail`, `+o pipefail`, ...). Stops at `--` or the first positional argument;
    /// arguments with expansions are ignored.
    pub fn apply_set<'w>(&mut self, args: impl IntoIterator<Item = &'w Word>) {
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(text) = arg.static_value() else {
                continue;
            };
            let on = match text.as_bytes().first() {
                Some(b'-') => true,
                Some(b'+') => false,
                _ => break,
            };
            if text == "--" || text == "-" {
                break;
            }
            for letter in text.chars().skip(1) {
                match letter {
                    'e' => self.errexit = on,
                    'u' => self.nounset = on,
                    'x' => self.xtrace = on,
                    'o' => {
                        if let Some(name) = args.next().and_then(Word::static_value) {
                            self.set_named(&name, on);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn set_named(&mut self, name: &str, on: bool) {
        match name {
            "errexit" => self.errexit = on,
            "pipefail" => self.pipefail = on,
            "nounset" => self.nounset = on,
            "xtrace" => self.xtrace = on,
            _ => {}
        }
    }
}

/// A construct that encloses a command, outermost first in [`CommandInfo::enclosing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Enclosing {
    /// `( ... )`
    Subshell,
    /// `{ ...; }`
    BraceGroup,
    /// The condition of an `if`/`elif`/`while`/`until`.
    Condition,
    /// A `then` or `else` branch.
    Branch,
    /// The body of a `for`/`while`/`until`/`select`.
    LoopBody,
    /// The body of a `case` item.
    CaseItem,
    /// A function body.
    Function,
    /// `$(...)` or backquotes.
    CommandSubstitution,
    /// `<(...)` or `>(...)`.
    ProcessSubstitution,
    /// An element of a pipeline with more than one command (the pipeline itself is in
    /// [`CommandInfo::pipeline`]; this marks pipelines further out).
    Pipeline,
}

/// What a word is used as, for [`Visitor::word`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordRole {
    CommandName,
    Argument,
    AssignmentValue,
    RedirectTarget,
    HereDocBody,
    ForList,
    CaseSubject,
    CasePattern,
    /// A word of `[[ ... ]]`.
    Test,
    /// The expression of `(( ))`, `$(( ))` or a C-style `for`.
    Arithmetic,
    ArrayElement,
    /// The word after the operator of `${name OP word}`.
    ParamArgument,
}

/// One simple command and where it sits.
#[derive(Clone, Debug)]
pub struct CommandInfo<'a> {
    pub command: &'a SimpleCommand,
    /// The innermost pipeline that holds the command.
    pub pipeline: &'a Pipeline,
    pub index_in_pipeline: usize,
    /// The and-or list that holds that pipeline.
    pub and_or: &'a AndOr,
    pub pipeline_index: usize,
    /// The separator after that and-or list.
    pub separator: Option<Separator>,
    /// The options in effect when the command runs (before its own effect, if it is `set`).
    pub options: ShellOptions,
    /// The constructs around the command, outermost first.
    pub enclosing: Vec<Enclosing>,
    /// The program's base name (`apt-get` for `/usr/bin/apt-get`), worked out once: rules ask
    /// for it of every command.
    pub program: Option<Cow<'a, str>>,
}

impl<'a> CommandInfo<'a> {
    /// The command line: name and arguments.
    pub fn view(&self) -> CommandView<'a> {
        CommandView::new(&self.command.words)
    }

    /// The static command name (`None` for an assignment-only command or a dynamic name).
    pub fn name(&self) -> Option<String> {
        self.command.name().and_then(Word::static_value)
    }

    pub fn name_word(&self) -> Option<&'a Word> {
        self.command.words.first()
    }

    pub fn args(&self) -> &'a [Word] {
        self.command.words.get(1..).unwrap_or(&[])
    }

    /// The command that actually runs, through `sudo`, `env`, `exec`, `xargs`, ... wrappers.
    pub fn effective(&self) -> CommandView<'a> {
        self.view().unwrapped()
    }

    /// The command is one of several joined by `|` or `|&`.
    pub fn in_pipeline(&self) -> bool {
        self.pipeline.commands.len() > 1
    }

    /// The command is piped into another.
    pub fn pipes_output(&self) -> bool {
        self.index_in_pipeline + 1 < self.pipeline.commands.len()
    }

    /// The command reads from another through a pipe.
    pub fn reads_pipe(&self) -> bool {
        self.index_in_pipeline > 0
    }

    /// The `&&`/`||` before this command's pipeline.
    pub fn preceded_by(&self) -> Option<AndOrOp> {
        let i = self.pipeline_index.checked_sub(1)?;
        self.and_or.ops.get(i).map(|(op, _)| *op)
    }

    /// The `&&`/`||` after this command's pipeline.
    pub fn followed_by(&self) -> Option<AndOrOp> {
        self.and_or.ops.get(self.pipeline_index).map(|(op, _)| *op)
    }

    /// The pipeline is negated with `!`.
    pub fn negated(&self) -> bool {
        self.pipeline.bang.is_some()
    }

    /// Runs in a subshell environment: `( )`, a substitution, a multi-command pipeline (around
    /// it or further out), or the background.
    pub fn in_subshell(&self) -> bool {
        self.in_pipeline()
            || self.separator == Some(Separator::Amp)
            || self.enclosing.iter().any(|e| {
                matches!(
                    e,
                    Enclosing::Subshell
                        | Enclosing::CommandSubstitution
                        | Enclosing::ProcessSubstitution
                        | Enclosing::Pipeline
                )
            })
    }

    /// The command's exit status is tested (an `if`/`while` condition, `!`, or the left side of
    /// `&&`/`||`), so `set -e` does not stop the script when it fails.
    pub fn is_tested(&self) -> bool {
        self.negated()
            || self.followed_by().is_some()
            || self.enclosing.contains(&Enclosing::Condition)
    }
}

/// One pipeline and where it sits.
#[derive(Clone, Debug)]
pub struct PipelineInfo<'a> {
    pub pipeline: &'a Pipeline,
    pub and_or: &'a AndOr,
    pub pipeline_index: usize,
    pub separator: Option<Separator>,
    pub options: ShellOptions,
    pub enclosing: Vec<Enclosing>,
}

impl PipelineInfo<'_> {
    /// More than one command joined by `|`/`|&`.
    pub fn is_pipe(&self) -> bool {
        self.pipeline.commands.len() > 1
    }

    pub fn preceded_by(&self) -> Option<AndOrOp> {
        let i = self.pipeline_index.checked_sub(1)?;
        self.and_or.ops.get(i).map(|(op, _)| *op)
    }

    pub fn followed_by(&self) -> Option<AndOrOp> {
        self.and_or.ops.get(self.pipeline_index).map(|(op, _)| *op)
    }
}

/// Callbacks for [`walk`]; every method has an empty default.
pub trait Visitor<'a> {
    fn command(&mut self, _info: &CommandInfo<'a>) {}
    fn pipeline(&mut self, _info: &PipelineInfo<'a>) {}
    /// Every word, including those nested in substitutions and expansions, with the
    /// constructs around it.
    fn word(&mut self, _word: &'a Word, _role: WordRole, _enclosing: &[Enclosing]) {}
    /// Every redirection (after its target and here-document body words were visited).
    fn redirect(&mut self, _redirect: &'a Redirect, _enclosing: &[Enclosing]) {}
}

/// Walks `list` in source order, tracking `set` options from `initial` (for example pipefail
/// from a Dockerfile `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`). `set` inside a subshell, a
/// substitution, a multi-command pipeline, a background job or a function body does not leak
/// out; inside `if`/loops it is assumed to run. Returns the options at the end.
pub fn walk<'a, V: Visitor<'a>>(
    list: &'a List,
    initial: ShellOptions,
    visitor: &mut V,
) -> ShellOptions {
    let mut walker = Walker {
        visitor,
        options: initial,
        enclosing: Vec::new(),
    };
    walker.list(list);
    walker.options
}

struct Walker<'v, V> {
    visitor: &'v mut V,
    options: ShellOptions,
    enclosing: Vec<Enclosing>,
}

struct Context<'a> {
    pipeline: &'a Pipeline,
    index_in_pipeline: usize,
    and_or: &'a AndOr,
    pipeline_index: usize,
    separator: Option<Separator>,
}

impl<'a, V: Visitor<'a>> Walker<'_, V> {
    fn scoped(&mut self, what: Option<Enclosing>, isolate: bool, f: impl FnOnce(&mut Self)) {
        let saved = self.options;
        if let Some(e) = what {
            self.enclosing.push(e);
        }
        f(self);
        if what.is_some() {
            self.enclosing.pop();
        }
        if isolate {
            self.options = saved;
        }
    }

    fn list(&mut self, list: &'a List) {
        for item in &list.items {
            let background = item.separator == Some(Separator::Amp);
            let saved = self.options;
            self.and_or(&item.and_or, item.separator);
            if background {
                self.options = saved;
            }
        }
    }

    fn list_in(&mut self, list: &'a List, what: Enclosing, isolate: bool) {
        self.scoped(Some(what), isolate, |w| w.list(list));
    }

    fn and_or(&mut self, and_or: &'a AndOr, separator: Option<Separator>) {
        for (pipeline_index, pipeline) in and_or.pipelines.iter().enumerate() {
            self.visitor.pipeline(&PipelineInfo {
                pipeline,
                and_or,
                pipeline_index,
                separator,
                options: self.options,
                enclosing: self.enclosing.clone(),
            });
            let multi = pipeline.commands.len() > 1;
            for (index_in_pipeline, command) in pipeline.commands.iter().enumerate() {
                let context = Context {
                    pipeline,
                    index_in_pipeline,
                    and_or,
                    pipeline_index,
                    separator,
                };
                // Each element of a multi-command pipeline runs in a subshell.
                let saved = self.options;
                self.command(command, &context);
                if multi {
                    self.options = saved;
                }
            }
        }
    }

    fn command(&mut self, command: &'a Command, context: &Context<'a>) {
        match command {
            Command::Simple(simple) => self.simple(simple, context),
            Command::Compound(compound) => {
                let nested_pipe = context.pipeline.commands.len() > 1;
                if nested_pipe {
                    self.enclosing.push(Enclosing::Pipeline);
                }
                self.compound(&compound.kind);
                for r in &compound.redirects {
                    self.redirect(r);
                }
                if nested_pipe {
                    self.enclosing.pop();
                }
            }
            Command::Function(f) => {
                self.scoped(Some(Enclosing::Function), true, |w| {
                    w.command(&f.body, context);
                });
            }
        }
    }

    fn simple(&mut self, simple: &'a SimpleCommand, context: &Context<'a>) {
        self.visitor.command(&CommandInfo {
            command: simple,
            pipeline: context.pipeline,
            index_in_pipeline: context.index_in_pipeline,
            and_or: context.and_or,
            pipeline_index: context.pipeline_index,
            separator: context.separator,
            options: self.options,
            enclosing: self.enclosing.clone(),
            program: CommandView::new(&simple.words).basename(),
        });
        for a in &simple.assignments {
            self.word(&a.value, WordRole::AssignmentValue);
        }
        for (i, w) in simple.words.iter().enumerate() {
            let role = if i == 0 {
                WordRole::CommandName
            } else {
                WordRole::Argument
            };
            self.word(w, role);
        }
        for r in &simple.redirects {
            self.redirect(r);
        }
        if simple.name().is_some_and(|n| n.is("set")) {
            self.options.apply_set(simple.args());
        }
    }

    fn compound(&mut self, kind: &'a CompoundKind) {
        match kind {
            CompoundKind::Brace(l) => self.list_in(l, Enclosing::BraceGroup, false),
            CompoundKind::Subshell(l) => self.list_in(l, Enclosing::Subshell, true),
            CompoundKind::If { clauses, else_body } => {
                for clause in clauses {
                    self.list_in(&clause.condition, Enclosing::Condition, false);
                    self.list_in(&clause.body, Enclosing::Branch, false);
                }
                if let Some(l) = else_body {
                    self.list_in(l, Enclosing::Branch, false);
                }
            }
            CompoundKind::For { words, body, .. } => {
                for w in words.iter().flatten() {
                    self.word(w, WordRole::ForList);
                }
                self.list_in(body, Enclosing::LoopBody, false);
            }
            CompoundKind::ArithFor { header, body } => {
                self.word(header, WordRole::Arithmetic);
                self.list_in(body, Enclosing::LoopBody, false);
            }
            CompoundKind::While {
                condition, body, ..
            } => {
                self.list_in(condition, Enclosing::Condition, false);
                self.list_in(body, Enclosing::LoopBody, false);
            }
            CompoundKind::Case { word, items } => {
                self.word(word, WordRole::CaseSubject);
                for item in items {
                    for p in &item.patterns {
                        self.word(p, WordRole::CasePattern);
                    }
                    self.list_in(&item.body, Enclosing::CaseItem, false);
                }
            }
            CompoundKind::Test(words) => {
                for w in words {
                    self.word(w, WordRole::Test);
                }
            }
            CompoundKind::Arith(w) => self.word(w, WordRole::Arithmetic),
        }
    }

    fn redirect(&mut self, r: &'a Redirect) {
        self.word(&r.target, WordRole::RedirectTarget);
        if let Some(h) = &r.heredoc {
            self.word(&h.body, WordRole::HereDocBody);
        }
        self.visitor.redirect(r, &self.enclosing);
    }

    fn word(&mut self, word: &'a Word, role: WordRole) {
        self.visitor.word(word, role, &self.enclosing);
        for part in &word.parts {
            self.part(part);
        }
    }

    fn part(&mut self, part: &'a WordPart) {
        match part {
            WordPart::DoubleQuoted { parts, .. } => {
                for p in parts {
                    self.part(p);
                }
            }
            WordPart::Param(p) => {
                if let Some(arg) = &p.arg {
                    self.word(arg, WordRole::ParamArgument);
                }
            }
            WordPart::CommandSubst { list, .. } => {
                self.list_in(list, Enclosing::CommandSubstitution, true);
            }
            WordPart::ProcessSubst { list, .. } => {
                self.list_in(list, Enclosing::ProcessSubstitution, true);
            }
            WordPart::Arith { expr, .. } => self.word(expr, WordRole::Arithmetic),
            WordPart::Array { words, .. } => {
                for w in words {
                    self.word(w, WordRole::ArrayElement);
                }
            }
            WordPart::Literal { .. }
            | WordPart::Escaped { .. }
            | WordPart::SingleQuoted { .. }
            | WordPart::AnsiCQuoted { .. }
            | WordPart::Glob { .. } => {}
        }
    }
}

struct Collect<'a> {
    commands: Option<Vec<CommandInfo<'a>>>,
    pipelines: Option<Vec<PipelineInfo<'a>>>,
    words: Option<Vec<(&'a Word, WordRole)>>,
}

impl<'a> Visitor<'a> for Collect<'a> {
    fn command(&mut self, info: &CommandInfo<'a>) {
        if let Some(v) = &mut self.commands {
            v.push(info.clone());
        }
    }
    fn pipeline(&mut self, info: &PipelineInfo<'a>) {
        if let Some(v) = &mut self.pipelines {
            v.push(info.clone());
        }
    }
    fn word(&mut self, word: &'a Word, role: WordRole, _enclosing: &[Enclosing]) {
        if let Some(v) = &mut self.words {
            v.push((word, role));
        }
    }
}

impl List {
    fn collect(
        &self,
        initial: ShellOptions,
        commands: bool,
        pipelines: bool,
        words: bool,
    ) -> Collect<'_> {
        let mut c = Collect {
            commands: commands.then(Vec::new),
            pipelines: pipelines.then(Vec::new),
            words: words.then(Vec::new),
        };
        walk(self, initial, &mut c);
        c
    }

    /// Every simple command, in source order, including those inside substitutions,
    /// subshells, pipelines, control structures and function bodies.
    pub fn commands(&self) -> Vec<CommandInfo<'_>> {
        self.commands_with(ShellOptions::default())
    }

    /// [`List::commands`] with the options in effect before the script starts.
    pub fn commands_with(&self, initial: ShellOptions) -> Vec<CommandInfo<'_>> {
        self.collect(initial, true, false, false)
            .commands
            .unwrap_or_default()
    }

    /// Every pipeline (including single commands), in source order.
    pub fn pipelines_with(&self, initial: ShellOptions) -> Vec<PipelineInfo<'_>> {
        self.collect(initial, false, true, false)
            .pipelines
            .unwrap_or_default()
    }

    /// Every word with its role, in source order, nested words included.
    pub fn words(&self) -> Vec<(&Word, WordRole)> {
        self.collect(ShellOptions::default(), false, false, true)
            .words
            .unwrap_or_default()
    }

    /// The options in effect at byte `offset`: those seen by the first command that starts at
    /// or after it, or the options at the end of the script.
    pub fn options_at(&self, offset: usize, initial: ShellOptions) -> ShellOptions {
        struct At {
            offset: usize,
            found: Option<ShellOptions>,
        }
        impl<'a> Visitor<'a> for At {
            fn command(&mut self, info: &CommandInfo<'a>) {
                if self.found.is_none() && info.command.span.start >= self.offset {
                    self.found = Some(info.options);
                }
            }
        }
        let mut at = At {
            offset,
            found: None,
        };
        let end = walk(self, initial, &mut at);
        at.found.unwrap_or(end)
    }
}

// ----- command lines ----------------------------------------------------------------------------

/// A command line as words: `words[0]` is the name. Cheap to copy; [`CommandView::wrapped`]
/// returns a view into the same words.
#[derive(Clone, Copy, Debug)]
pub struct CommandView<'a> {
    pub words: &'a [Word],
}

/// Which flags take a value, for [`CommandView::parse_args`]: short letters (`"ot"` for `-o X`
/// and `-t X`) and long names without dashes (`&["target-release"]`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ArgSpec<'s> {
    pub short_with_value: &'s str,
    pub long_with_value: &'s [&'s str],
}

impl<'s> ArgSpec<'s> {
    pub const NONE: ArgSpec<'static> = ArgSpec {
        short_with_value: "",
        long_with_value: &[],
    };

    pub const fn new(short_with_value: &'s str, long_with_value: &'s [&'s str]) -> Self {
        ArgSpec {
            short_with_value,
            long_with_value,
        }
    }
}

/// A flag's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgValue<'a> {
    /// Attached: `--name=value`, `-tvalue`, `-q=2`.
    Attached(String),
    /// The next word: `--name value`, `-t value`.
    Next(&'a Word),
}

impl ArgValue<'_> {
    pub fn static_value(&self) -> Option<String> {
        match self {
            ArgValue::Attached(s) => Some(s.clone()),
            ArgValue::Next(w) => w.static_value(),
        }
    }
}

/// One flag found on a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgFlag<'a> {
    /// Without dashes: `y` for `-y` (or the `y` of `-qy`), `yes` for `--yes`.
    pub name: String,
    pub long: bool,
    pub value: Option<ArgValue<'a>>,
    /// The word the flag is written in.
    pub word: &'a Word,
}

/// A command line split into flags and positional arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args<'a> {
    pub flags: Vec<ArgFlag<'a>>,
    /// Arguments that are not flags or flag values (everything after `--`, `-` itself, and
    /// words whose value is not static).
    pub positionals: Vec<&'a Word>,
}

impl<'a> Args<'a> {
    fn matches(flag: &ArgFlag<'_>, short: Option<char>, long: Option<&str>) -> bool {
        if flag.long {
            long.is_some_and(|l| l == flag.name)
        } else {
            short.is_some_and(|s| flag.name.chars().eq(std::iter::once(s)))
        }
    }

    /// The flag is present as `-s` (alone or combined, like the `y` of `-qy`) or `--long`.
    pub fn has(&self, short: Option<char>, long: Option<&str>) -> bool {
        self.flags.iter().any(|f| Self::matches(f, short, long))
    }

    /// The first value given to the flag.
    pub fn value(&self, short: Option<char>, long: Option<&str>) -> Option<&ArgValue<'a>> {
        self.flags
            .iter()
            .filter(|f| Self::matches(f, short, long))
            .find_map(|f| f.value.as_ref())
    }

    /// How many times the flag is given (`-q -q` or `-qq` count 2).
    pub fn count(&self, short: Option<char>, long: Option<&str>) -> usize {
        self.flags
            .iter()
            .filter(|f| Self::matches(f, short, long))
            .count()
    }

    /// The static values of the positional arguments (`None` where dynamic).
    pub fn positional_values(&self) -> Vec<Option<String>> {
        self.positionals.iter().map(|w| w.static_value()).collect()
    }
}

/// Commands that run another command given in their arguments.
pub const WRAPPERS: [&str; 13] = [
    "sudo", "doas", "env", "exec", "command", "builtin", "xargs", "nice", "nohup", "time",
    "timeout", "stdbuf", "gosu",
];

impl<'a> CommandView<'a> {
    pub fn new(words: &'a [Word]) -> Self {
        CommandView { words }
    }

    pub fn name_word(&self) -> Option<&'a Word> {
        self.words.first()
    }

    /// The static command name (borrowed from the word when it is plain text).
    pub fn name(&self) -> Option<Cow<'a, str>> {
        self.name_word().and_then(Word::static_str)
    }

    /// The name after the last `/` (`apt-get` for `/usr/bin/apt-get`).
    pub fn basename(&self) -> Option<Cow<'a, str>> {
        Some(match self.name()? {
            Cow::Borrowed(name) => Cow::Borrowed(name.rsplit('/').next().unwrap_or_default()),
            Cow::Owned(name) => match name.rfind('/') {
                Some(at) => Cow::Owned(name[at + 1..].to_owned()),
                None => Cow::Owned(name),
            },
        })
    }

    /// The static name equals `name`.
    pub fn is(&self, name: &str) -> bool {
        self.name_word().is_some_and(|w| w.is(name))
    }

    pub fn args(&self) -> &'a [Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The flags and positional arguments, with the flags of `spec` taking values.
    pub fn parse_args(&self, spec: &ArgSpec<'_>) -> Args<'a> {
        parse_args(self.args(), spec)
    }

    /// `-s` (also inside combined short flags such as `-qy`) or `--long`/`--long=value` is
    /// present. No flag is assumed to take a value; use [`CommandView::parse_args`] for that.
    pub fn has_flag(&self, short: Option<char>, long: Option<&str>) -> bool {
        self.parse_args(&ArgSpec::NONE).has(short, long)
    }

    /// The positional arguments, skipping flags and the values of the flags in `spec`.
    pub fn positionals(&self, spec: &ArgSpec<'_>) -> Vec<&'a Word> {
        self.parse_args(spec).positionals
    }

    /// The static value of the first positional argument (the subcommand of `apt-get install`,
    /// `pip install`, `npm ci`, ...).
    pub fn subcommand(&self, spec: &ArgSpec<'_>) -> Option<String> {
        self.positionals(spec)
            .first()
            .and_then(|w| w.static_value())
    }

    /// If this is a wrapper (see [`WRAPPERS`]) running another command, that command.
    pub fn wrapped(&self) -> Option<CommandView<'a>> {
        let name = self.basename()?;
        let args = self.args();
        let spec = match name.as_ref() {
            "sudo" | "doas" => ArgSpec::new(
                "ugpChDrtTUa",
                &[
                    "user",
                    "group",
                    "host",
                    "prompt",
                    "close-from",
                    "chdir",
                    "role",
                    "type",
                    "other-user",
                    "command-timeout",
                ],
            ),
            "env" => ArgSpec::new("uCS", &["unset", "chdir", "split-string"]),
            "exec" => ArgSpec::new("a", &[]),
            "xargs" => ArgSpec::new(
                "adEILnPs",
                &[
                    "arg-file",
                    "delimiter",
                    "max-lines",
                    "max-args",
                    "max-procs",
                    "max-chars",
                    "process-slot-var",
                    "eof",
                    "replace",
                ],
            ),
            "nice" => ArgSpec::new("n", &["adjustment"]),
            "time" => ArgSpec::new("fo", &["format", "output"]),
            "timeout" => ArgSpec::new("sk", &["signal", "kill-after"]),
            "stdbuf" => ArgSpec::new("ioe", &["input", "output", "error"]),
            "command" | "builtin" | "nohup" | "gosu" => ArgSpec::NONE,
            _ => return None,
        };
        let start = command_start(args, &spec, &name)?;
        let rest = args.get(start..)?;
        let view = CommandView::new(rest);
        view.name_word().map(|_| view)
    }

    /// The command run through any number of wrappers (itself if it is not a wrapper).
    pub fn unwrapped(&self) -> CommandView<'a> {
        let mut view = *self;
        for _ in 0..8 {
            match view.wrapped() {
                Some(inner) => view = inner,
                None => break,
            }
        }
        view
    }
}

/// Where the wrapped command starts in a wrapper's arguments.
fn command_start(args: &[Word], spec: &ArgSpec<'_>, wrapper: &str) -> Option<usize> {
    let mut i = 0;
    let mut skip_positionals = match wrapper {
        "timeout" | "gosu" => 1,
        _ => 0,
    };
    while let Some(word) = args.get(i) {
        let Some(text) = word.static_value() else {
            break;
        };
        if text == "--" {
            i += 1;
            break;
        }
        if text == "-" && wrapper == "env" {
            i += 1;
            continue;
        }
        let is_flag = text.len() > 1 && text.starts_with('-') && wrapper != "gosu";
        if is_flag {
            match wrapper {
                "command" if text.contains(['v', 'V']) => return None,
                "env" if text == "-S" || text.starts_with("--split-string") => return None,
                "sudo" | "doas"
                    if matches!(
                        text.as_str(),
                        "-i" | "-s" | "-l" | "-e" | "-v" | "-k" | "-K"
                    ) && args.len() == i + 1 =>
                {
                    return None
                }
                _ => {}
            }
            i += 1 + flag_takes_next(&text, spec);
            continue;
        }
        if matches!(wrapper, "sudo" | "doas" | "env")
            && crate::ast::assignment_prefix(text.as_bytes()).is_some()
        {
            i += 1;
            continue;
        }
        if skip_positionals > 0 {
            skip_positionals -= 1;
            i += 1;
            continue;
        }
        break;
    }
    (i < args.len()).then_some(i)
}

/// How many following words a flag word consumes as its value (0 or 1).
fn flag_takes_next(text: &str, spec: &ArgSpec<'_>) -> usize {
    if let Some(long) = text.strip_prefix("--") {
        return usize::from(!long.contains('=') && spec.long_with_value.contains(&long));
    }
    let letters = text.get(1..).unwrap_or("");
    for (k, c) in letters.char_indices() {
        if c == '=' {
            return 0;
        }
        if spec.short_with_value.contains(c) {
            return usize::from(k + c.len_utf8() == letters.len());
        }
    }
    0
}

/// Splits arguments into flags and positionals.
pub fn parse_args<'a>(args: &'a [Word], spec: &ArgSpec<'_>) -> Args<'a> {
    let mut out = Args::default();
    let mut i = 0;
    let mut only_positionals = false;
    while let Some(word) = args.get(i) {
        i += 1;
        let text = word.static_value();
        let text = match text {
            Some(t) if !only_positionals && t.len() > 1 && t.starts_with('-') => t,
            _ => {
                out.positionals.push(word);
                continue;
            }
        };
        if text == "--" {
            only_positionals = true;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(ArgValue::Attached(v.to_string()))),
                None => {
                    let value = if spec.long_with_value.contains(&long) {
                        let next = args.get(i).map(ArgValue::Next);
                        i += usize::from(next.is_some());
                        next
                    } else {
                        None
                    };
                    (long.to_string(), value)
                }
            };
            out.flags.push(ArgFlag {
                name,
                long: true,
                value,
                word,
            });
            continue;
        }
        let letters = text.get(1..).unwrap_or("");
        for (k, c) in letters.char_indices() {
            let rest = letters.get(k + c.len_utf8()..).unwrap_or("");
            if let Some(v) = rest.strip_prefix('=') {
                out.flags.push(ArgFlag {
                    name: c.to_string(),
                    long: false,
                    value: Some(ArgValue::Attached(v.to_string())),
                    word,
                });
                break;
            }
            if spec.short_with_value.contains(c) {
                let value = if rest.is_empty() {
                    let next = args.get(i).map(ArgValue::Next);
                    i += usize::from(next.is_some());
                    next
                } else {
                    Some(ArgValue::Attached(rest.to_string()))
                };
                out.flags.push(ArgFlag {
                    name: c.to_string(),
                    long: false,
                    value,
                    word,
                });
                break;
            }
            out.flags.push(ArgFlag {
                name: c.to_string(),
                long: false,
                value: None,
                word,
            });
        }
    }
    out
}
