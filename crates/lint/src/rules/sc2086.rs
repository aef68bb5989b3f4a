//! SC2086: double quote to prevent globbing and word splitting.
//!
//! **What** — an unquoted `$name` or `${…}` expansion used as (part of) a command name,
//! argument or redirection target. Assignments, `[[ ]]` and arithmetic are not split and are
//! not reported, nor are the `NAME=value` arguments of declaration builtins (`export x=$y`)
//! when the shell is bash-like (POSIX `sh` splits them). Not reported either: `$?`, `$#`, `$$`,
//! `$!` and `${#x}`, which cannot expand to more than one word; variables declared by an ARG or
//! ENV before the RUN (as hadolint, which declares them to ShellCheck with a plain value); and
//! variables the script only ever assigns plain words without spaces or glob characters, once
//! such an assignment has run outside any branch or loop.
//! Unquoted `$@`/`$*` are left to their own check.
//!
//! **Why** — the shell splits the value on whitespace and expands globs in it: a value with a
//! space becomes two arguments, a value with `*` becomes a list of files.
//!
//! **Bad** — `RUN for f in /src/*.tgz; do tar -xzf $f; done` · **Good** — `tar -xzf "$f"`
//!
//! **Fix** — double-quote the expansion (unsafe: when the splitting was intended, quoting
//! changes the command).

use layerlab_shell::WordPart;

use std::collections::{BTreeMap, BTreeSet};

use layerlab_syntax::Keyword;

use super::dl_support::{arg_name, pairs};
use super::sc_support::{command_name, is_posix_sh, quote_fix, DECLARATIONS};
use crate::scripts::Script;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc2086;

static META: RuleMeta = RuleMeta {
    code: "SC2086",
    aliases: &[],
    level: Level::Info,
    category: Category::Correctness,
    summary: "Double quote to prevent globbing and word splitting",
    bad: "FROM alpine:3.20\nRUN for f in /src/*.tgz; do tar -xzf $f; done\n",
    good: "FROM alpine:3.20\nRUN for f in /src/*.tgz; do tar -xzf \"$f\"; done\n",
    fixable: true,
};

/// Parameters that always expand to a single word without glob characters.
fn never_splits(param: &layerlab_shell::Param) -> bool {
    param.length
        || matches!(param.name.as_str(), "?" | "#" | "$" | "!" | "-" | "@" | "*")
        || param.name.is_empty()
}

/// The ARG and ENV names declared before `at` in the file.
fn declared_before(cx: &Context<'_>, at: usize) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for instruction in cx.instructions.iter().take_while(|i| i.span.start < at) {
        match instruction.kind {
            Keyword::Arg => {
                names.extend(
                    instruction
                        .args
                        .iter()
                        .map(|w| arg_name(cx, w).0.to_owned()),
                );
            }
            Keyword::Env => names.extend(pairs(instruction).iter().map(|p| p.key.value.clone())),
            _ => {}
        }
    }
    names
}

/// A part of an assigned value that cannot add spaces or glob characters: plain text, a
/// number-valued parameter (`$!`, `$?`) or arithmetic.
fn plain_part(part: &WordPart) -> bool {
    let plain_text =
        |t: &str| !t.contains(|c: char| c.is_whitespace() || matches!(c, '*' | '?' | '['));
    match part {
        WordPart::Literal { text, .. }
        | WordPart::Escaped { text, .. }
        | WordPart::SingleQuoted { text, .. }
        | WordPart::AnsiCQuoted { text, .. } => plain_text(text),
        WordPart::DoubleQuoted { parts, .. } => parts.iter().all(plain_part),
        WordPart::Param(param) => never_splits(param) && param.name != "@" && param.name != "*",
        WordPart::Arith { .. } => true,
        _ => false,
    }
}

/// Variables the script assigns only plain words without whitespace or glob characters, with
/// where the first such assignment outside any branch, loop or group ends: before that point
/// the variable may still be unset or come from elsewhere.
fn plain_in(cx: &Context<'_>, script: &Script<'_>) -> BTreeMap<String, usize> {
    let mut plain: BTreeMap<String, usize> = BTreeMap::new();
    let mut other = BTreeSet::new();
    for info in cx.commands_of(script) {
        let declaration =
            command_name(info.command).is_some_and(|n| DECLARATIONS.contains(&n.as_str()));
        let declared = info
            .command
            .args()
            .iter()
            .filter_map(|w| w.as_assignment())
            .filter(|_| declaration);
        for assignment in info.command.assignments.iter().cloned().chain(declared) {
            let is_plain = assignment.value.parts.iter().all(plain_part);
            if !is_plain {
                other.insert(assignment.name);
            } else if info.enclosing.is_empty() {
                plain.entry(assignment.name).or_insert(assignment.span.end);
            }
        }
    }
    plain.retain(|n, _| !other.contains(n));
    plain
}

impl Rule for Sc2086 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts() {
            // An ONBUILD trigger runs in another build, where none of this file's ARG/ENV is set.
            let known = if script.onbuild {
                BTreeSet::new()
            } else {
                declared_before(cx, script.instruction.span.start)
            };
            let plain = plain_in(cx, script);
            // POSIX sh splits the arguments of `export`/`readonly` like any other.
            let splits_declarations = is_posix_sh(script);
            for info in cx.commands_of(script) {
                let command = info.command;
                let declaration = !splits_declarations
                    && command_name(command).is_some_and(|n| DECLARATIONS.contains(&n.as_str()));
                let args = command.words.iter();
                let targets = command
                    .redirects
                    .iter()
                    .filter_map(|r| r.heredoc.is_none().then_some(&r.target));
                for word in args.chain(targets) {
                    if declaration && word.as_assignment().is_some() {
                        continue;
                    }
                    for part in &word.parts {
                        let WordPart::Param(param) = part else {
                            continue;
                        };
                        let assigned_plain = plain
                            .get(&param.name)
                            .is_some_and(|end| *end <= param.span.start);
                        if never_splits(param) || known.contains(&param.name) || assigned_plain {
                            continue;
                        }
                        let (span, _) = super::sc_support::mapped(cx, script, param.span);
                        let fix = quote_fix(cx, script, param.span);
                        cx.report_with_fix(&META, span, META.summary, fix);
                    }
                }
            }
        }
    }
}
