//! DL3013: pin versions in `pip install`.
//!
//! **What** — a package argument of `pip install` (also `pip3`, `pip3.12`, `python -m pip`)
//! without a version specifier (`==`, `>=`, `<=`, `>`, `<`, `!=`, `~=`, `===`). VCS URLs with
//! an `@ref`, wheels, sdists (`.tar.gz`) and paths are exempt, and nothing is reported when
//! the install takes a requirements (`-r`) or constraints (`-c`) file or installs `.`.
//!
//! **Why** — an unpinned package installs whatever PyPI has on the day of the build.
//!
//! **Bad** — `RUN pip install flask` · **Good** — `RUN pip install flask==3.0.3`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::{ArgSpec, CommandView, Word};

use super::dl_shell::{commands, report, Cmd};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3013;

static META: RuleMeta = RuleMeta {
    code: "DL3013",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`",
    bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
    fixable: false,
};

/// `pip install` options that take a value.
const PIP: ArgSpec<'static> = ArgSpec::new(
    "rceitfC",
    &[
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "find-links",
        "target",
        "prefix",
        "root",
        "src",
        "upgrade-strategy",
        "progress-bar",
        "trusted-host",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "log",
        "proxy",
        "retries",
        "timeout",
        "cert",
        "client-cert",
        "cache-dir",
        "exists-action",
        "global-option",
        "config-settings",
        "report",
    ],
);

/// The `pip` command line of a `pip …` or `python -m pip …` command.
pub(crate) fn pip_view<'s>(cmd: &Cmd<'s, '_>) -> Option<CommandView<'s>> {
    let program = cmd.program()?;
    let version_suffix = |rest: &str| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(rest) = program.strip_prefix("pip") {
        return version_suffix(rest).then(|| cmd.view());
    }
    let rest = program.strip_prefix("python")?;
    if !version_suffix(rest) {
        return None;
    }
    let words: &'s [Word] = &cmd.info.command.words;
    let m = words.iter().position(|w| w.is("-m"))?;
    let module = words.get(m + 1)?;
    module
        .is("pip")
        .then(|| CommandView::new(words.get(m + 1..).unwrap_or_default()))
}

/// A `pip install` command line, its `install` word, and its package arguments with their text.
pub(crate) type PipInstall<'s> = (CommandView<'s>, &'s Word, Vec<(&'s Word, String)>);

/// `pip install`: the `install` word and the package arguments with their text.
pub(crate) fn pip_install<'s>(cmd: &Cmd<'s, '_>) -> Option<PipInstall<'s>> {
    let view = pip_view(cmd)?;
    let mut positionals = view.positionals(&PIP).into_iter();
    let install = positionals.next()?;
    if !install.is("install") {
        return None;
    }
    let packages = positionals.map(|w| (w, cmd.text(w))).collect();
    Some((view, install, packages))
}

fn pinned(package: &str) -> bool {
    let lower = package.to_ascii_lowercase();
    package.contains(['=', '<', '>', '~', '!'])
        || package.contains('/')
        || lower.ends_with(".whl")
        || lower.ends_with(".tar.gz")
        || package.starts_with('.')
}

impl Rule for Dl3013 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            let Some((view, _, packages)) = pip_install(&cmd) else {
                continue;
            };
            let args = view.parse_args(&PIP);
            if args.has(Some('r'), Some("requirement")) || args.has(Some('c'), Some("constraint")) {
                continue;
            }
            if packages.iter().any(|(_, t)| t == ".") {
                continue;
            }
            for (word, text) in packages {
                if !text.is_empty() && !pinned(&text) {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
