//! DL4006: set the SHELL option `-o pipefail` before RUN with a pipe in it.
//!
//! **What** — a pipe (`|`, `|&`) in a RUN while `pipefail` is off: the `SHELL` in effect (also
//! inherited from a parent stage built `FROM` it — hadolint#406 does not see that) has no
//! `-o pipefail`, and the script has not run `set -o pipefail` (or `set -euo pipefail`)
//! before the pipe — in a heredoc script, for example (hadolint#1137 reports those). The
//! shell is matched by its base name, so `/usr/bin/bash` counts as bash.
//!
//! **Why** — a pipeline's status is that of its last command: `curl … | tar x` succeeds when
//! the download fails, and the build carries on with a broken layer.
//!
//! **Bad** — `RUN curl -fsSL https://example.com/x.tgz | tar -xz` ·
//! **Good** — `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it
//!
//! **Fix** — insert `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine
//! images, or the current shell with `-o pipefail`) before the first such RUN of the stage.
//! Unsafe: the image must have that shell, and every later RUN of the stage uses it.

use layerlab_shell::{walk, PipelineInfo, Visitor};
use layerlab_syntax::{Instruction, Span};

use crate::scripts::Script;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta, StageBase};

pub struct Dl4006;

static META: RuleMeta = RuleMeta {
    code: "DL4006",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
    bad: "FROM debian:12.7\nRUN echo hello | wc -c\n",
    good: "FROM debian:12.7\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo hello | wc -c\n",
    fixable: true,
};

#[derive(Default)]
struct FirstPipe {
    span: Option<layerlab_shell::Span>,
}

impl<'a> Visitor<'a> for FirstPipe {
    fn pipeline(&mut self, info: &PipelineInfo<'a>) {
        if self.span.is_none() && info.is_pipe() && !info.options.pipefail {
            self.span = info.pipeline.pipes.first().map(|(_, span)| *span);
        }
    }
}

fn json(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `SHELL [...]` with pipefail for the script's shell, inserted before its instruction.
fn fix(cx: &Context<'_>, script: &Script<'_>, instruction: &Instruction) -> Option<Fix> {
    if script.onbuild {
        return None;
    }
    let program = script.shell.program().to_owned();
    let shell = match program.as_str() {
        "sh" => {
            let alpine = script
                .stage
                .and_then(|s| cx.stages.get(s))
                .is_some_and(|s| matches!(&s.base, StageBase::Image(i) if i.to_ascii_lowercase().contains("alpine")));
            if alpine { "/bin/ash" } else { "/bin/bash" }.to_owned()
        }
        "bash" | "zsh" | "ash" | "ksh" | "mksh" => script.shell.argv.first()?.clone(),
        _ => return None,
    };
    let before = cx.text.get(..instruction.span.start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = before.get(line_start..)?;
    if !indent.trim().is_empty() {
        return None;
    }
    let argv = [shell.as_str(), "-o", "pipefail", "-c"]
        .iter()
        .map(|a| json(a))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Fix {
        title: format!("Insert `SHELL [{argv}]` before the RUN"),
        safe: false,
        edits: vec![Edit {
            span: Span::new(line_start, line_start),
            replacement: format!("{indent}SHELL [{argv}]\n"),
        }],
    })
}

impl Rule for Dl4006 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let mut reported: Vec<*const Instruction> = Vec::new();
        let mut fixed_stages: Vec<Option<usize>> = Vec::new();
        for script in cx.scripts() {
            let instruction: *const Instruction = script.instruction;
            if reported.contains(&instruction) {
                continue;
            }
            let mut visitor = FirstPipe::default();
            walk(
                &script.parsed.script,
                script.initial_options(),
                &mut visitor,
            );
            let Some(pipe) = visitor.span else {
                continue;
            };
            reported.push(instruction);
            let fix = if fixed_stages.contains(&script.stage) {
                None
            } else {
                fix(cx, script, script.instruction)
            };
            if fix.is_some() {
                fixed_stages.push(script.stage);
            }
            cx.report_with_fix(&META, script.span(pipe), META.summary, fix);
        }
    }
}
