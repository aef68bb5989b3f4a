//! Every shell-form RUN in the shared corpus (`../shared/corpus/dockerfiles`) must parse
//! without panicking; the scripts that produce syntax errors are listed for inspection, and the
//! ones known to be invalid shell are pinned so a parser regression shows up as a new failure.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_syntax::{Instruction, Keyword};
use std::path::PathBuf;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dockerfiles");
    dir.is_dir().then_some(dir)
}

/// Is this heredoc body a shell script? (`RUN <<EOF` alone, `RUN bash <<EOF`, or a shell shebang.)
fn heredoc_is_shell(command: &str, content: &str) -> bool {
    if let Some(first) = content.lines().next() {
        if let Some(shebang) = first.strip_prefix("#!") {
            return ["sh", "bash", "ash", "dash", "ksh"]
                .iter()
                .any(|s| shebang.split(['/', ' ']).any(|p| p == *s));
        }
    }
    let name = layerlab_shell::parse(command)
        .commands()
        .first()
        .and_then(|c| c.effective().basename().map(|n| n.into_owned()));
    match name {
        None => true,
        Some(n) => matches!(n.as_str(), "sh" | "bash" | "ash" | "dash"),
    }
}

struct Script {
    file: String,
    line: usize,
    what: &'static str,
    text: String,
}

fn scripts() -> Option<(Vec<Script>, Vec<String>)> {
    let dir = corpus_dir()?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let parsed = layerlab_syntax::parse(&text);
        // Like hadolint: RUN in a stage whose shell is PowerShell or cmd is not sh.
        let mut stages: Vec<(String, bool)> = Vec::new();
        let mut posix = true;
        for instruction in &parsed.dockerfile.instructions {
            match instruction.kind {
                Keyword::From => {
                    let image = instruction
                        .args
                        .first()
                        .map(|w| w.value.to_ascii_lowercase())
                        .unwrap_or_default();
                    posix = match stages.iter().rev().find(|(name, _)| *name == image) {
                        Some((_, p)) => *p,
                        None => !["windows", "servercore", "nanoserver", "/framework/"]
                            .iter()
                            .any(|w| image.contains(w)),
                    };
                    let alias = match instruction.args.get(1) {
                        Some(w) if w.value.eq_ignore_ascii_case("as") => instruction
                            .args
                            .get(2)
                            .map(|w| w.value.to_ascii_lowercase())
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    stages.push((alias, posix));
                }
                Keyword::Shell => {
                    let first = instruction
                        .args
                        .first()
                        .map(|w| w.value.to_ascii_lowercase());
                    posix = !first.is_some_and(|s| {
                        ["powershell", "pwsh", "cmd"].iter().any(|n| {
                            s.rsplit(['/', '\\'])
                                .next()
                                .is_some_and(|b| b.trim_end_matches(".exe") == *n)
                        })
                    });
                    if let Some(last) = stages.last_mut() {
                        last.1 = posix;
                    }
                }
                _ => {}
            }
            let run: &Instruction = instruction.effective();
            if run.kind != Keyword::Run || run.json {
                continue;
            }
            let Some(command) = run.args.first() else {
                continue;
            };
            if !posix {
                // Not sh, but it must not make the parser panic either.
                let _ = layerlab_shell::parse(&command.value);
                skipped.push(format!("{file}:{}", instruction.start_line));
                continue;
            }
            out.push(Script {
                file: file.clone(),
                line: instruction.start_line,
                what: "RUN",
                text: command.value.clone(),
            });
            for heredoc in &run.heredocs {
                // Whatever the language, parsing must not panic.
                let _ = layerlab_shell::parse(&heredoc.content);
                if heredoc_is_shell(&command.value, &heredoc.content) {
                    out.push(Script {
                        file: file.clone(),
                        line: instruction.start_line,
                        what: "heredoc",
                        text: heredoc.content.clone(),
                    });
                }
            }
        }
    }
    Some((out, skipped))
}

/// Scripts in the corpus that really are invalid sh/bash (checked by hand; see the notes).
const KNOWN_INVALID: &[(&str, usize)] = &[];

#[test]
fn corpus_runs_parse() {
    let Some((scripts, skipped)) = scripts() else {
        eprintln!("corpus not found; skipping");
        return;
    };
    let mut with_errors = Vec::new();
    let mut runs = 0;
    let mut heredocs = 0;
    let mut commands = 0;
    for s in &scripts {
        match s.what {
            "RUN" => runs += 1,
            _ => heredocs += 1,
        }
        let parsed = layerlab_shell::parse(&s.text);
        commands += parsed.commands().len();
        // Every span lies inside the text and on character boundaries.
        for e in &parsed.errors {
            assert!(e.span.end <= s.text.len() && s.text.get(e.span.start..e.span.end).is_some());
        }
        for c in parsed.commands() {
            for w in &c.command.words {
                assert!(
                    s.text.get(w.span.start..w.span.end).is_some(),
                    "{}:{}",
                    s.file,
                    s.line
                );
            }
        }
        if !parsed.errors.is_empty() {
            with_errors.push((s, parsed.errors));
        }
    }
    let files: std::collections::BTreeSet<_> =
        skipped.iter().filter_map(|s| s.split(':').next()).collect();
    eprintln!(
        "skipped {} RUNs in {} files whose stage shell is PowerShell or cmd",
        skipped.len(),
        files.len()
    );
    eprintln!(
        "corpus: {} shell-form RUN scripts + {} shell heredoc bodies, {} simple commands; {} with syntax errors",
        runs,
        heredocs,
        commands,
        with_errors.len()
    );
    let mut unexpected = Vec::new();
    for (s, errors) in &with_errors {
        let known = KNOWN_INVALID
            .iter()
            .any(|(f, l)| *f == s.file && *l == s.line);
        eprintln!(
            "{} {}:{} {} {}",
            if known { "known" } else { "NEW" },
            s.file,
            s.line,
            s.what,
            errors
                .iter()
                .map(|e| format!(
                    "[{}..{} {:?}] {}",
                    e.span.start,
                    e.span.end,
                    e.span.slice(&s.text),
                    e.message
                ))
                .collect::<Vec<_>>()
                .join("; ")
        );
        if !known {
            unexpected.push(format!("{}:{}", s.file, s.line));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected syntax errors in {unexpected:?}"
    );
}
