//! What the hadolint rules that look inside RUN share: every simple command of every script
//! with the script it belongs to, package-manager argument helpers, cache mounts, and edits
//! that insert a flag after a word.

use layerlab_shell::{ArgSpec, CommandInfo, CommandView, Word};
use layerlab_syntax::{Instruction, Span};

use crate::scripts::Script;
use crate::{Context, Edit, Fix, RuleMeta};

/// One simple command of a script.
pub(crate) struct Cmd<'s, 'a> {
    pub script: &'s Script<'a>,
    pub info: &'s CommandInfo<'s>,
    /// Index of the script in [`Context::scripts`].
    pub script_index: usize,
}

impl<'s> Cmd<'s, '_> {
    /// The command line as written. Like hadolint, wrappers such as `sudo` are not looked
    /// through (DL3004 reports `sudo` itself).
    pub fn view(&self) -> CommandView<'s> {
        self.info.view()
    }

    /// The program's base name (`apt-get` for `/usr/bin/apt-get`).
    pub fn program(&self) -> Option<&'s str> {
        self.info.program.as_deref()
    }

    pub fn is(&self, names: &[&str]) -> bool {
        self.program().is_some_and(|p| names.contains(&p))
    }

    /// The file span of a word of the script.
    pub fn span(&self, word: &Word) -> Span {
        self.script.span(word.span)
    }

    /// The file span of the command's name.
    pub fn name_span(&self) -> Span {
        match self.info.name_word() {
            Some(word) => self.span(word),
            None => self.script.span(self.info.command.span),
        }
    }

    /// The static text of a word, or its source text when it has expansions.
    pub fn text(&self, word: &Word) -> String {
        word.static_value()
            .unwrap_or_else(|| self.script.slice(word.span).to_owned())
    }

    /// The positional arguments (flag values of `spec` skipped) as `(word, text)`.
    pub fn positionals(&self, spec: &ArgSpec<'_>) -> Vec<(&'s Word, String)> {
        self.view()
            .positionals(spec)
            .into_iter()
            .map(|w| (w, self.text(w)))
            .collect()
    }

    /// The first positional argument, when it is one of `subcommands`, with the positionals
    /// after it.
    pub fn subcommand(
        &self,
        spec: &ArgSpec<'_>,
        subcommands: &[&str],
    ) -> Option<(&'s Word, Vec<(&'s Word, String)>)> {
        let mut positionals = self.positionals(spec).into_iter();
        let (word, text) = positionals.next()?;
        subcommands
            .contains(&text.as_str())
            .then(|| (word, positionals.collect()))
    }

    /// Any argument word's text equals one of `texts` (`-y`, `--yes`, `-q=2`, …).
    pub fn has_arg(&self, texts: &[&str]) -> bool {
        self.view()
            .args()
            .iter()
            .any(|w| texts.contains(&self.text(w).as_str()))
    }

    /// The flag is given, as `-s` (also combined) or `--long`/`--long=value`.
    pub fn has_flag(&self, short: Option<char>, long: Option<&str>) -> bool {
        self.view().has_flag(short, long)
    }
}

/// Every simple command of every script; `onbuild` includes the scripts of `ONBUILD RUN`.
pub(crate) fn commands<'s, 'a>(cx: &'s Context<'a>, onbuild: bool) -> Vec<Cmd<'s, 'a>> {
    let mut out = Vec::new();
    for (script_index, script) in cx.scripts().iter().enumerate() {
        if script.onbuild && !onbuild {
            continue;
        }
        let infos = cx
            .script_commands()
            .get(script_index)
            .map_or(&[][..], Vec::as_slice);
        for info in infos {
            out.push(Cmd {
                script,
                info,
                script_index,
            });
        }
    }
    out
}

/// The commands after `cmd` in the same RUN (later in its script, or in a later heredoc).
pub(crate) fn later_in_run<'c, 's, 'a>(
    all: &'c [Cmd<'s, 'a>],
    cmd: &Cmd<'s, 'a>,
) -> impl Iterator<Item = &'c Cmd<'s, 'a>> {
    let start = cmd.info.command.span.start;
    let index = cmd.script_index;
    let instruction: *const Instruction = cmd.script.instruction;
    all.iter().filter(move |c| {
        std::ptr::eq(c.script.instruction, instruction)
            && (c.script_index > index
                || (c.script_index == index && c.info.command.span.start > start))
    })
}

/// The commands of the same RUN (all its scripts).
pub(crate) fn in_same_run<'c, 's, 'a>(
    all: &'c [Cmd<'s, 'a>],
    cmd: &Cmd<'s, 'a>,
) -> impl Iterator<Item = &'c Cmd<'s, 'a>> {
    let instruction: *const Instruction = cmd.script.instruction;
    all.iter()
        .filter(move |c| std::ptr::eq(c.script.instruction, instruction))
}

/// The `target` of each `--mount=type=cache` or `type=tmpfs` of a RUN.
pub(crate) fn cache_mount_targets(run: &Instruction) -> Vec<String> {
    let mut targets = Vec::new();
    for flag in run.flags.iter().filter(|f| f.name() == "mount") {
        let value = flag.value().unwrap_or_default();
        let mut kind = "bind";
        let mut target = None;
        for field in value.split(',') {
            let (key, val) = field.split_once('=').unwrap_or((field, ""));
            match key.trim().to_ascii_lowercase().as_str() {
                "type" => kind = val.trim(),
                "target" | "dst" | "destination" => target = Some(val.trim()),
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs") {
            if let Some(target) = target {
                targets.push(target.trim_end_matches('/').to_owned());
            }
        }
    }
    targets
}

/// A cache or tmpfs mount of the RUN has a target ending with one of `suffixes`.
pub(crate) fn has_cache_mount(run: &Instruction, suffixes: &[&str]) -> bool {
    cache_mount_targets(run).iter().any(|t| {
        suffixes
            .iter()
            .any(|s| t.ends_with(s.trim_end_matches('/')))
    })
}

/// A fix inserting ` text` right after `word`.
pub(crate) fn insert_after(
    cmd: &Cmd<'_, '_>,
    word: &Word,
    text: &str,
    title: &str,
    safe: bool,
) -> Fix {
    let end = cmd.span(word).end;
    Fix {
        title: title.to_owned(),
        safe,
        edits: vec![Edit {
            span: Span::new(end, end),
            replacement: format!(" {text}"),
        }],
    }
}

/// Reports `meta` at `span` with its summary.
pub(crate) fn report(cx: &Context<'_>, meta: &'static RuleMeta, span: Span, fix: Option<Fix>) {
    cx.report_with_fix(meta, span, meta.summary, fix);
}

/// The stage must be reported for rules about what ships: the final stage or one a later
/// stage builds FROM. ONBUILD triggers ship in any case.
pub(crate) fn ships(cx: &Context<'_>, script: &Script<'_>) -> bool {
    script.onbuild
        || script
            .stage
            .and_then(|s| cx.stages.get(s))
            .is_some_and(|s| cx.is_final(s) || cx.is_reused(s))
}

/// `rm` with `-r`/`-f` style flags removing a path that starts with one of `prefixes`.
pub(crate) fn removes(cmd: &Cmd<'_, '_>, prefixes: &[&str]) -> bool {
    cmd.is(&["rm"])
        && cmd
            .positionals(&ArgSpec::NONE)
            .iter()
            .any(|(_, t)| prefixes.iter().any(|p| t.starts_with(p)))
}

/// A package argument of a package manager, dynamic or not: version pins are searched in its
/// text.
pub(crate) fn package_args(
    positionals: Vec<(&Word, String)>,
) -> impl Iterator<Item = (&Word, String)> {
    positionals.into_iter().filter(|(_, t)| !t.is_empty())
}

/// A yum/dnf package spec carries a version (a `-` followed by a digit, as in `name-1.2` or
/// `gcc-toolset-11-gdb`, or a final `-$VERSION`) or is an `.rpm` file. A bare variable is
/// not taken as pinned, like hadolint.
pub(crate) fn rpm_pinned(package: &str) -> bool {
    package.ends_with(".rpm")
        || package
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'-' && w[1].is_ascii_digit())
        || package
            .rsplit_once('-')
            .is_some_and(|(name, version)| !name.is_empty() && version.starts_with('$'))
}

/// `yum`/`dnf` options that take a value.
pub(crate) const RPM_TOOL: ArgSpec<'static> = ArgSpec::new(
    "cdeR",
    &[
        "config",
        "enablerepo",
        "disablerepo",
        "installroot",
        "releasever",
        "setopt",
        "exclude",
        "repo",
        "repoid",
        "repofrompath",
    ],
);

/// `zypper` options that take a value (global and of `install`).
pub(crate) const ZYPPER: ArgSpec<'static> = ArgSpec::new(
    "trRDc",
    &[
        "type",
        "repo",
        "root",
        "from",
        "config",
        "reposd-dir",
        "cache-dir",
    ],
);
