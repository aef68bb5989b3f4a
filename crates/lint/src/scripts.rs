//! The shell scripts of a Dockerfile, parsed once for every rule: each shell-form RUN (and
//! `ONBUILD RUN`), and each heredoc body that the shell runs, with the shell in effect.
//!
//! The shell of a RUN is the stage's last `SHELL` before it, else the one its parent stage
//! ends with (SHELL is image config, so `FROM <stage>` inherits it — hadolint #406 gets this
//! wrong), else a `# hadolint shell=…` pragma, else `/bin/sh`. Scripts for shells that are not
//! POSIX-like (PowerShell, cmd) are not parsed, as hadolint skips them.

use layerlab_shell::{CommandInfo, ShellOptions};
use layerlab_syntax::{Instruction, Keyword, Span};

use crate::{Context, StageBase};

/// The shell a RUN's command is handed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellConfig {
    /// The `SHELL` JSON array, or `["/bin/sh", "-c"]`.
    pub argv: Vec<String>,
}

impl ShellConfig {
    fn default_shell() -> Self {
        ShellConfig {
            argv: vec!["/bin/sh".to_owned(), "-c".to_owned()],
        }
    }

    /// The program's base name: `bash` for `/usr/bin/bash`.
    pub fn program(&self) -> &str {
        let program = self.argv.first().map_or("sh", String::as_str);
        program.rsplit(['/', '\\']).next().unwrap_or(program)
    }

    /// A POSIX-like shell whose scripts we can parse.
    pub fn is_posix(&self) -> bool {
        let program = self.program().to_ascii_lowercase();
        let program = program.trim_end_matches(".exe");
        matches!(
            program,
            "sh" | "bash" | "ash" | "dash" | "ksh" | "mksh" | "zsh" | "busybox"
        )
    }

    /// `-o pipefail` among the shell's options (also combined, as in `-euo pipefail`).
    pub fn pipefail(&self) -> bool {
        self.argv.windows(2).any(|w| {
            let is_o = w[0] == "-o"
                || (w[0].starts_with('-') && !w[0].starts_with("--") && w[0].ends_with('o'));
            is_o && w[1] == "pipefail"
        })
    }
}

/// Where a script's text comes from, to map its offsets back to the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The shell-form command: offsets start at this offset of the instruction's `original`.
    Command { offset: usize },
    /// A heredoc body, verbatim file text starting here.
    Heredoc { file_offset: usize },
}

/// One parsed script.
pub struct Script<'a> {
    /// The top-level instruction (a RUN, or the ONBUILD wrapping it).
    pub instruction: &'a Instruction,
    /// The RUN itself.
    pub run: &'a Instruction,
    pub onbuild: bool,
    pub stage: Option<usize>,
    pub shell: ShellConfig,
    pub text: &'a str,
    pub origin: Origin,
    pub parsed: layerlab_shell::Parse,
}

impl Script<'_> {
    /// The file span of a span in the script.
    pub fn span(&self, span: layerlab_shell::Span) -> Span {
        match self.origin {
            Origin::Command { offset } => self
                .run
                .map_original(offset + span.start..offset + span.end),
            Origin::Heredoc { file_offset } => {
                Span::new(file_offset + span.start, file_offset + span.end)
            }
        }
    }

    /// The options the shell starts with (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`).
    pub fn initial_options(&self) -> ShellOptions {
        ShellOptions {
            pipefail: self.shell.pipefail(),
            ..ShellOptions::default()
        }
    }

    /// Every simple command of the script, with the shell's options in effect.
    pub fn commands(&self) -> Vec<CommandInfo<'_>> {
        self.parsed.script.commands_with(self.initial_options())
    }

    /// The source text of a script span.
    pub fn slice(&self, span: layerlab_shell::Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }
}

/// A `# hadolint shell=…` pragma, if the file has one.
fn pragma_shell(cx: &Context<'_>) -> Option<ShellConfig> {
    cx.parse.dockerfile.comments.iter().find_map(|span| {
        let body = cx.slice(*span).trim_start_matches('#').trim();
        let shell = body
            .strip_prefix("hadolint")?
            .trim_start()
            .strip_prefix("shell=")?;
        let shell = shell.split_whitespace().next()?;
        Some(ShellConfig {
            argv: vec![shell.to_owned(), "-c".to_owned()],
        })
    })
}

fn shell_of(instruction: &Instruction) -> Option<ShellConfig> {
    (instruction.kind == Keyword::Shell && instruction.json && !instruction.args.is_empty()).then(
        || ShellConfig {
            argv: instruction.args.iter().map(|w| w.value.clone()).collect(),
        },
    )
}

/// The shell a stage ends with (for stages built FROM it).
fn final_shell(
    cx: &Context<'_>,
    stage: usize,
    fallback: &ShellConfig,
    depth: usize,
) -> ShellConfig {
    let Some(current) = cx.stages.get(stage) else {
        return fallback.clone();
    };
    if let Some(shell) = cx
        .stage_instructions(current)
        .iter()
        .rev()
        .find_map(shell_of)
    {
        return shell;
    }
    match current.base {
        StageBase::Stage(parent) if depth < cx.stages.len() => {
            final_shell(cx, parent, fallback, depth + 1)
        }
        _ => fallback.clone(),
    }
}

/// The heredoc bodies the shell runs: `RUN <<EOF` (the command is only heredoc words) or
/// `RUN bash <<EOF`; `RUN python3 <<EOF` feeds Python, not the shell.
fn shell_heredocs(run: &Instruction) -> bool {
    let Some(command) = run.args.first() else {
        return false;
    };
    let words: Vec<&str> = command.value.split_whitespace().collect();
    let is_heredoc_word = |w: &str| {
        w.trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with("<<")
    };
    match words.as_slice() {
        [] => false,
        [first, rest @ ..] if is_heredoc_word(first) => rest.iter().all(|w| is_heredoc_word(w)),
        [first, ..] => {
            let program = first.rsplit('/').next().unwrap_or(first);
            matches!(program, "sh" | "bash" | "ash" | "dash" | "ksh" | "zsh")
        }
    }
}

/// A heredoc body's interpreter from its shebang, if any.
fn shebang_is_shell(body: &str) -> bool {
    let Some(line) = body.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return true;
    };
    let mut words = line.split_whitespace();
    let program = words.next().unwrap_or_default();
    let program = if program.ends_with("/env") {
        words.next().unwrap_or_default()
    } else {
        program.rsplit('/').next().unwrap_or(program)
    };
    matches!(program, "sh" | "bash" | "ash" | "dash" | "ksh" | "zsh")
}

pub(crate) fn collect<'a>(cx: &Context<'a>) -> Vec<Script<'a>> {
    let default = pragma_shell(cx).unwrap_or_else(ShellConfig::default_shell);
    let mut scripts = Vec::new();
    let mut shell = default.clone();
    for (i, instruction) in cx.instructions.iter().enumerate() {
        let stage = cx.stage_of.get(i).copied().flatten();
        if instruction.kind == Keyword::From {
            shell = match stage.and_then(|s| cx.stages.get(s)).map(|s| &s.base) {
                Some(StageBase::Stage(parent)) => final_shell(cx, *parent, &default, 0),
                _ => default.clone(),
            };
            continue;
        }
        if let Some(new_shell) = shell_of(instruction) {
            shell = new_shell;
            continue;
        }
        let run = instruction.effective();
        if run.kind != Keyword::Run || run.json || !shell.is_posix() {
            continue;
        }
        let onbuild = instruction.trigger.is_some();
        if let Some(command) = run.args.first() {
            scripts.push(Script {
                instruction,
                run,
                onbuild,
                stage,
                shell: shell.clone(),
                text: &command.value,
                origin: Origin::Command {
                    offset: run.args_offset,
                },
                parsed: layerlab_shell::parse(&command.value),
            });
        }
        if shell_heredocs(run) {
            for heredoc in instruction
                .heredocs
                .iter()
                .filter(|h| shebang_is_shell(&h.content))
            {
                scripts.push(Script {
                    instruction,
                    run,
                    onbuild,
                    stage,
                    shell: shell.clone(),
                    text: &heredoc.content,
                    origin: Origin::Heredoc {
                        file_offset: heredoc.body_span.start,
                    },
                    parsed: layerlab_shell::parse(&heredoc.content),
                });
            }
        }
    }
    scripts
}
