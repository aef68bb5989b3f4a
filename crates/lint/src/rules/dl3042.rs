//! DL3042: avoid the pip cache directory with `pip install --no-cache-dir`.
//!
//! **What** — `pip install` (also `pip3`, `python -m pip`) without `--no-cache-dir`. Exempt:
//! a truthy `PIP_NO_CACHE_DIR` (set by ENV or ARG in the stage or a parent stage, or as an
//! assignment before the command) and a RUN with a cache or tmpfs mount on `…/.cache/pip`.
//!
//! **Why** — pip keeps every downloaded wheel in `~/.cache/pip`, which then ships in the layer.
//!
//! **Bad** — `RUN pip install flask==3.0.3` ·
//! **Good** — `RUN pip install --no-cache-dir flask==3.0.3`
//!
//! **Fix** — add `--no-cache-dir` after `install` (safe).

use super::dl3013::pip_install;
use super::dl_shell::{commands, has_cache_mount, insert_after, report};
use super::dl_support::known_vars;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3042;

static META: RuleMeta = RuleMeta {
    code: "DL3042",
    aliases: &[],
    level: Level::Warning,
    category: Category::Efficiency,
    summary: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
    bad: "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
    fixable: true,
};

fn truthy(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "off" | "no"
    )
}

impl Rule for Dl3042 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            let Some((view, install, _)) = pip_install(&cmd) else {
                continue;
            };
            if view.has_flag(None, Some("no-cache-dir"))
                || has_cache_mount(cmd.script.run, &[".cache/pip"])
            {
                continue;
            }
            let inline = cmd.info.command.assignments.iter().any(|a| {
                a.name == "PIP_NO_CACHE_DIR" && a.value.static_value().is_some_and(|v| truthy(&v))
            });
            if inline {
                continue;
            }
            let index = cx
                .instructions
                .iter()
                .position(|i| std::ptr::eq(i, cmd.script.instruction));
            let from_env = index.is_some_and(|i| {
                known_vars(cx, i)
                    .get("PIP_NO_CACHE_DIR")
                    .is_some_and(|v| truthy(v))
            });
            if from_env {
                continue;
            }
            let fix = insert_after(
                &cmd,
                install,
                "--no-cache-dir",
                "Add `--no-cache-dir`",
                true,
            );
            report(cx, &META, cmd.name_span(), Some(fix));
        }
    }
}
