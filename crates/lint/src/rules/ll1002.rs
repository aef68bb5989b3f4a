//! LL1002: a package manager's download cache is left in the image.
//!
//! **What** — an install of a project's dependencies — `npm ci`, a bare `npm install`,
//! `composer install`/`update` — in the final stage (or a stage another stage builds on) when
//! the same RUN neither cleans the cache
//! (`npm cache clean --force`, `composer clear-cache`, removing `~/.npm` or the composer cache
//! directory), nor avoids it (`composer --no-cache`), nor keeps it in a cache mount
//! (`RUN --mount=type=cache,target=/root/.npm`). apt, apk, pip and yarn have their hadolint
//! rules (DL3009, DL3019, DL3042, DL3060); one-off package installs (`npm install -g tool`)
//! are left to DL3016, their cache being small.
//!
//! **Why** — the cache holds a second copy of every downloaded package: tens to hundreds of
//! megabytes in the layer, shipped with the image and never used at run time.
//!
//! **Bad** — `RUN npm ci` · **Good** — `RUN --mount=type=cache,target=/root/.npm npm ci`,
//! or `RUN npm ci && npm cache clean --force`
//!
//! **Fix** — use a cache mount for the cache directory, or clean the cache in the same RUN.

use std::borrow::Cow;

use layerlab_shell::CommandInfo;

use super::ll_support::{field, mounts, program_and_args, scripts_of};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Ll1002;

static META: RuleMeta = RuleMeta {
    code: "LL1002",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "Package manager cache left in the layer: clean it or use a cache mount",
    bad: "FROM node:22.11\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n",
    good: "FROM node:22.11\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci && npm cache clean --force\n",
    fixable: false,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Manager {
    Npm,
    Composer,
}

impl Manager {
    fn name(self) -> &'static str {
        match self {
            Manager::Npm => "npm",
            Manager::Composer => "composer",
        }
    }
}

fn positionals<'s>(args: &'s [Cow<'_, str>]) -> Vec<&'s str> {
    args.iter()
        .map(AsRef::as_ref)
        .filter(|a| !a.starts_with('-'))
        .collect()
}

/// The cache-filling install a command is.
fn install(info: &CommandInfo<'_>) -> Option<Manager> {
    let (program, args) = program_and_args(info)?;
    let positionals = positionals(&args);
    let sub = positionals.first().copied();
    match (program.as_ref(), sub) {
        ("npm", Some("ci")) => Some(Manager::Npm),
        ("npm", Some("install" | "i")) if positionals.len() == 1 => Some(Manager::Npm),
        ("composer", Some("install" | "update")) if !args.iter().any(|a| a == "--no-cache") => {
            Some(Manager::Composer)
        }
        _ => None,
    }
}

/// The command cleans (or removes) the manager's cache.
fn cleans(info: &CommandInfo<'_>, manager: Manager) -> bool {
    let Some((program, args)) = program_and_args(info) else {
        return false;
    };
    let pos = positionals(&args);
    match (manager, program.as_ref()) {
        (Manager::Npm, "npm") => pos.first() == Some(&"cache") && pos.get(1) == Some(&"clean"),
        (Manager::Composer, "composer") => matches!(
            pos.first().copied(),
            Some("clear-cache" | "clearcache" | "cc")
        ),
        (_, "rm") => {
            let needle = match manager {
                Manager::Npm => ".npm",
                Manager::Composer => "composer",
            };
            info.args().iter().any(|w| cx_text(w).contains(needle))
        }
        _ => false,
    }
}

/// A word's static value, or its expansions spelled out loosely (`$HOME/.npm` → `/.npm`).
fn cx_text(word: &layerlab_shell::Word) -> String {
    word.static_value().unwrap_or_else(|| {
        word.parts
            .iter()
            .filter_map(|p| match p {
                layerlab_shell::WordPart::Literal { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    })
}

impl Rule for Ll1002 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for stage in &cx.stages {
            if !cx.is_final(stage) && !cx.is_reused(stage) {
                continue;
            }
            for instruction in cx.stage_instructions(stage) {
                let run = instruction.effective();
                let cache_targets: Vec<String> = mounts(run)
                    .iter()
                    .filter(|m| matches!(field(m, &["type"]), Some("cache" | "tmpfs")))
                    .filter_map(|m| field(m, &["target", "dst", "destination"]))
                    .map(str::to_owned)
                    .collect();
                let scripts: Vec<_> = scripts_of(cx, instruction).collect();
                let commands: Vec<_> = scripts
                    .iter()
                    .flat_map(|s| cx.commands_of(s).iter().map(move |c| (*s, c)))
                    .collect();
                for (script, info) in &commands {
                    let Some(manager) = install(info) else {
                        continue;
                    };
                    let mounted = cache_targets.iter().any(|t| match manager {
                        Manager::Npm => t.contains("npm"),
                        Manager::Composer => t.contains("composer"),
                    });
                    if mounted || commands.iter().any(|(_, c)| cleans(c, manager)) {
                        continue;
                    }
                    let span = script.span(info.command.span);
                    let name = manager.name();
                    let hint = match manager {
                        Manager::Npm => {
                            "`npm cache clean --force` in the same RUN, or \
                                         `--mount=type=cache,target=/root/.npm`"
                        }
                        Manager::Composer => {
                            "`--no-cache`, or \
                                              `--mount=type=cache,target=/root/.composer/cache`"
                        }
                    };
                    cx.report(
                        &META,
                        span,
                        format!("{name}'s download cache stays in this layer: use {hint}"),
                    );
                }
            }
        }
    }
}
