//! LL1001: dependencies are installed after the whole source is copied.
//!
//! **What** — `COPY . .` (or `ADD . …`: the whole build context) in a stage, followed later in
//! the same stage by a dependency install driven by manifests: `npm ci`, a bare `npm install`,
//! `yarn`/`yarn install`, `pnpm install`, `pip install -r` (also `python -m pip`),
//! `poetry install`,
//! `go mod download`, `cargo build`/`cargo fetch`, `bundle install`, `composer install`.
//! Reported at the COPY.
//!
//! **Why** — the layer cache of a RUN is invalidated when anything copied before it changes.
//! With the whole source copied first, every edit of any file reruns the install, downloading
//! and compiling all dependencies again.
//!
//! **Bad** — `COPY . .` then `RUN go mod download` · **Good** — `COPY go.mod go.sum ./`,
//! `RUN go mod download`, then `COPY . .`
//!
//! **Fix** — copy only the dependency manifests (and lock files) first, install, then copy the
//! rest of the source.

use std::borrow::Cow;

use layerlab_syntax::{Instruction, Keyword};

use super::ll_support::{flag, program_and_args, scripts_of, sources};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Ll1001;

static META: RuleMeta = RuleMeta {
    code: "LL1001",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "Dependencies are installed after copying the whole source: copy the manifests first",
    bad: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
    good: "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n",
    fixable: false,
};

/// The install command a command line is, when it installs from manifests.
pub(crate) fn manifest_install(program: &str, args: &[Cow<'_, str>]) -> Option<&'static str> {
    // `python -m pip …` is pip.
    if program.starts_with("python") {
        return match args {
            [m, module, rest @ ..] if m == "-m" && matches!(module.as_ref(), "pip" | "pip3") => {
                manifest_install("pip", rest)
            }
            _ => None,
        };
    }
    let positionals: Vec<&str> = args
        .iter()
        .map(AsRef::as_ref)
        .filter(|a: &&str| !a.starts_with('-'))
        .collect();
    let sub = positionals.first().copied();
    let has = |flags: &[&str]| {
        args.iter().any(|a| {
            flags
                .iter()
                .any(|f| a == f || a.starts_with(&format!("{f}=")))
        })
    };
    match (program, sub) {
        ("npm", Some("ci")) => Some("npm ci"),
        ("npm", Some("install" | "i")) if positionals.len() == 1 => Some("npm install"),
        ("yarn", None) | ("yarn", Some("install")) => Some("yarn install"),
        ("pnpm", Some("install" | "i")) if positionals.len() == 1 => Some("pnpm install"),
        ("pip" | "pip3", Some("install")) if has(&["-r", "--requirement"]) => {
            Some("pip install -r")
        }
        ("poetry", Some("install")) => Some("poetry install"),
        ("go", Some("mod")) if positionals.get(1) == Some(&"download") => Some("go mod download"),
        ("cargo", Some("build")) => Some("cargo build"),
        ("cargo", Some("fetch")) => Some("cargo fetch"),
        ("bundle", Some("install")) => Some("bundle install"),
        ("composer", Some("install")) => Some("composer install"),
        _ => None,
    }
}

/// A COPY/ADD of the whole build context from the context itself.
fn copies_whole_source(instruction: &Instruction) -> bool {
    matches!(instruction.kind, Keyword::Copy | Keyword::Add)
        && flag(instruction, "from").is_none()
        && sources(instruction)
            .iter()
            .any(|w| matches!(w.value.as_str(), "." | "./"))
}

impl Rule for Ll1001 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            let body = cx.stage_instructions(stage);
            let Some(position) = body.iter().position(copies_whole_source) else {
                continue;
            };
            let copy = &body[position];
            let install = body[position + 1..].iter().find_map(|instruction| {
                scripts_of(cx, instruction).find_map(|script| {
                    cx.commands_of(script).iter().find_map(|info| {
                        let (program, args) = program_and_args(info)?;
                        manifest_install(&program, &args)
                    })
                })
            });
            if let Some(install) = install {
                cx.report(
                    &META,
                    copy.span,
                    format!(
                        "`{install}` runs after the whole source is copied, so any source change \
                         reruns it: copy the dependency manifests (and lock files) first, install, \
                         then copy the rest"
                    ),
                );
            }
        }
    }
}
