//! What the ShellCheck (`SCxxxx`) and layerlab (`LLxxxx`) rules share: mapping script spans
//! to the file, quoting fixes, the POSIX-sh test for the `SC3xxx` checks, and a walk over every
//! compound command of a script.

use layerlab_shell::{Command, CompoundCommand, CompoundKind, List, SimpleCommand, Word, WordPart};
use layerlab_syntax::Span;

use crate::scripts::{Origin, Script};
use crate::{Context, Edit, Fix};

/// Builtins whose `NAME=value` arguments are assignments (not split, not globbed).
pub(crate) const DECLARATIONS: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

/// The file span of a script span, and whether the file text there is exactly the script text
/// (no line continuation in between), so that edits can be made there.
pub(crate) fn mapped(
    cx: &Context<'_>,
    script: &Script<'_>,
    span: layerlab_shell::Span,
) -> (Span, bool) {
    let file = script.span(span);
    let exact = cx.slice(file) == script.slice(span) && !file.is_empty();
    (file, exact)
}

/// A fix wrapping the script span in double quotes, when it is one unbroken piece of the file.
pub(crate) fn quote_fix(
    cx: &Context<'_>,
    script: &Script<'_>,
    span: layerlab_shell::Span,
) -> Option<Fix> {
    let (file, exact) = mapped(cx, script, span);
    exact.then(|| Fix {
        title: "Double-quote the expansion".to_owned(),
        // Quoting changes what the command receives when splitting was intended.
        safe: false,
        edits: vec![Edit {
            span: file,
            replacement: format!("\"{}\"", cx.slice(file)),
        }],
    })
}

/// The script runs in a plain POSIX shell (`sh`, `dash`, `ash`), where the `SC3xxx` checks
/// apply. A heredoc body with a bash (or other) shebang is run by that shell instead.
pub(crate) fn is_posix_sh(script: &Script<'_>) -> bool {
    if let Origin::Heredoc { .. } = script.origin {
        if let Some(line) = script
            .text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("#!"))
        {
            let mut words = line.split_whitespace();
            let program = words.next().unwrap_or_default();
            let program = if program.ends_with("/env") {
                words.next().unwrap_or_default()
            } else {
                program.rsplit('/').next().unwrap_or(program)
            };
            return matches!(program, "sh" | "dash" | "ash");
        }
    }
    let program = script.shell.program().to_ascii_lowercase();
    matches!(program.as_str(), "sh" | "dash" | "ash")
}

/// The name of a simple command, when static.
pub(crate) fn command_name(command: &SimpleCommand) -> Option<String> {
    command.name().and_then(Word::static_value)
}

/// Calls `f` on every compound command of `list`, nested ones and those inside command and
/// process substitutions included, in source order.
pub(crate) fn each_compound<'a>(list: &'a List, f: &mut dyn FnMut(&'a CompoundCommand)) {
    for item in &list.items {
        for pipeline in &item.and_or.pipelines {
            for command in &pipeline.commands {
                each_in_command(command, f);
            }
        }
    }
}

fn each_in_command<'a>(command: &'a Command, f: &mut dyn FnMut(&'a CompoundCommand)) {
    match command {
        Command::Simple(simple) => {
            for word in simple
                .assignments
                .iter()
                .map(|a| &a.value)
                .chain(&simple.words)
                .chain(simple.redirects.iter().map(|r| &r.target))
            {
                each_in_word(word, f);
            }
        }
        Command::Function(def) => each_in_command(&def.body, f),
        Command::Compound(compound) => {
            f(compound);
            match &compound.kind {
                CompoundKind::Brace(l) | CompoundKind::Subshell(l) => each_compound(l, f),
                CompoundKind::If { clauses, else_body } => {
                    for clause in clauses {
                        each_compound(&clause.condition, f);
                        each_compound(&clause.body, f);
                    }
                    if let Some(l) = else_body {
                        each_compound(l, f);
                    }
                }
                CompoundKind::For { words, body, .. } => {
                    for w in words.iter().flatten() {
                        each_in_word(w, f);
                    }
                    each_compound(body, f);
                }
                CompoundKind::ArithFor { body, .. } => each_compound(body, f),
                CompoundKind::While {
                    condition, body, ..
                } => {
                    each_compound(condition, f);
                    each_compound(body, f);
                }
                CompoundKind::Case { word, items } => {
                    each_in_word(word, f);
                    for item in items {
                        each_compound(&item.body, f);
                    }
                }
                CompoundKind::Test(words) => {
                    for w in words {
                        each_in_word(w, f);
                    }
                }
                CompoundKind::Arith(_) => {}
            }
        }
    }
}

fn each_in_word<'a>(word: &'a Word, f: &mut dyn FnMut(&'a CompoundCommand)) {
    for part in &word.parts {
        each_in_part(part, f);
    }
}

fn each_in_part<'a>(part: &'a WordPart, f: &mut dyn FnMut(&'a CompoundCommand)) {
    match part {
        WordPart::CommandSubst { list, .. } | WordPart::ProcessSubst { list, .. } => {
            each_compound(list, f);
        }
        WordPart::DoubleQuoted { parts, .. } => {
            for p in parts {
                each_in_part(p, f);
            }
        }
        WordPart::Param(p) => {
            if let Some(arg) = &p.arg {
                each_in_word(arg, f);
            }
        }
        _ => {}
    }
}

/// The parameter expansions of a word, quoted ones included (not those inside substitutions).
pub(crate) fn params(word: &Word) -> Vec<&layerlab_shell::Param> {
    fn push<'a>(part: &'a WordPart, out: &mut Vec<&'a layerlab_shell::Param>) {
        match part {
            WordPart::Param(p) => out.push(p),
            WordPart::DoubleQuoted { parts, .. } => {
                for p in parts {
                    push(p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for part in &word.parts {
        push(part, &mut out);
    }
    out
}
