//! LL1006: a build secret is printed to the build output.
//!
//! **What** — in a `RUN --mount=type=secret,…`, a command that writes the secret to standard
//! output: `echo`/`printf` of the secret's environment variable (`env=NAME`) or of a
//! substitution reading the secret file, or `cat`/`head`/`tail` of the secret file
//! (`/run/secrets/<id>`, or the mount's `target`). Output that is piped into another command,
//! redirected to a file, or captured by `$(…)` is not reported. Reported at the command.
//!
//! **Why** — the build log keeps everything a RUN prints: CI logs, `docker build` progress
//! output and build records then hold the secret in clear text.
//!
//! **Bad** — `RUN --mount=type=secret,id=token cat /run/secrets/token` · **Good** —
//! `RUN --mount=type=secret,id=token TOKEN="$(cat /run/secrets/token)" ./configure`
//!
//! **Fix** — pass the secret to the program that needs it (an argument from `$(cat …)`, a
//! pipe, `--password-stdin`), never to standard output.

use layerlab_shell::{CommandInfo, Enclosing, RedirectOp};

use super::ll_support::{field, mounts, program_and_args, scripts_of};
use super::sc_support::params;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Ll1006;

static META: RuleMeta = RuleMeta {
    code: "LL1006",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "A build secret is printed to the build output",
    bad: "FROM alpine:3.20\nRUN --mount=type=secret,id=token cat /run/secrets/token\n",
    good: "FROM alpine:3.20\nRUN --mount=type=secret,id=token TOKEN=\"$(cat /run/secrets/token)\" ./configure\n",
    fixable: false,
};

/// Where a secret can be read in the RUN.
#[derive(Default)]
struct Secrets {
    files: Vec<String>,
    env: Vec<String>,
}

/// The command's standard output reaches the build log.
fn prints(info: &CommandInfo<'_>) -> bool {
    let captured = info.enclosing.iter().any(|e| {
        matches!(
            e,
            Enclosing::CommandSubstitution | Enclosing::ProcessSubstitution | Enclosing::Pipeline
        )
    });
    let redirected = info.command.redirects.iter().any(|r| {
        matches!(
            r.op,
            RedirectOp::Write
                | RedirectOp::Append
                | RedirectOp::Clobber
                | RedirectOp::WriteAll
                | RedirectOp::AppendAll
        ) && r.fd.is_none_or(|fd| fd == 1)
    });
    !captured && !redirected && !info.pipes_output()
}

fn leaks(info: &CommandInfo<'_>, text: &str, secrets: &Secrets) -> bool {
    let Some((program, args)) = program_and_args(info) else {
        return false;
    };
    let words = info.effective().args();
    match program.as_ref() {
        "echo" | "printf" => words.iter().any(|w| {
            params(w).iter().any(|p| secrets.env.contains(&p.name))
                || (w.has_command_substitution()
                    && secrets
                        .files
                        .iter()
                        .any(|f| w.span.slice(text).contains(f.as_str())))
        }),
        "cat" | "head" | "tail" | "more" | "less" => {
            args.iter().any(|a| secrets.files.iter().any(|f| f == a))
        }
        _ => false,
    }
}

impl Rule for Ll1006 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            let run = instruction.effective();
            let mut secrets = Secrets::default();
            for mount in mounts(run) {
                if field(&mount, &["type"]) != Some("secret") {
                    continue;
                }
                let id = field(&mount, &["id"]);
                let target = field(&mount, &["target", "dst", "destination"]);
                let env = field(&mount, &["env"]);
                if let Some(env) = env.filter(|e| !e.is_empty()) {
                    secrets.env.push(env.to_owned());
                }
                match (target, id) {
                    (Some(target), _) if !target.is_empty() => {
                        secrets.files.push(target.to_owned());
                    }
                    (_, Some(id)) if env.is_none() && !id.is_empty() => {
                        secrets.files.push(format!("/run/secrets/{id}"));
                    }
                    _ => {}
                }
            }
            if secrets.files.is_empty() && secrets.env.is_empty() {
                continue;
            }
            for script in scripts_of(cx, instruction) {
                for info in cx.commands_of(script) {
                    if prints(info) && leaks(info, script.text, &secrets) {
                        cx.report(
                            &META,
                            script.span(info.command.span),
                            "This prints a build secret to the build output, where logs keep it",
                        );
                    }
                }
            }
        }
    }
}
