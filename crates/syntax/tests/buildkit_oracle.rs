//! Conformance against BuildKit's own parser (through `tests/buildkit_oracle.py`): every
//! corpus file and every edge-case fixture must get the same accept/reject decision, the same
//! instructions with the same start and end lines, flags, arguments and heredoc bodies.
//!
//! The corpus lives outside the repository (`../shared/corpus/dockerfiles`, or
//! `$LAYERLAB_CORPUS`, or `$LAYERLAB_SHARED/corpus/dockerfiles`). A missing corpus or oracle
//! fails the test loudly: a silent skip would let CI go green without checking anything.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use corpus::corpus_files;
use std::process::{Command, Stdio};

use layerlab_syntax::{parse, Instruction, Keyword};
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

/// Runs BuildKit's parser over all files in one process.
fn oracle(files: &[PathBuf]) -> Vec<Value> {
    let script = repo_root().join("tests/buildkit_oracle.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 for the BuildKit oracle: {e}"));
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), list.as_bytes()).unwrap();
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "\n\n*** The BuildKit oracle failed: {}\n*** Install it with: python3 -m pip install dockerfile==3.4.0\n\n",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// One instruction in the shape the oracle reports it (v0.12.5 drops ENV/LABEL separators and
/// flattens ONBUILD into `sub_cmd`).
fn our_command(instruction: &Instruction) -> Value {
    let effective = instruction.effective();
    let mut values: Vec<&str> = effective.args.iter().map(|w| w.value.as_str()).collect();
    if effective.trigger.is_some() {
        // A nested ONBUILD's `Next` is the unnamed node holding its trigger.
        values = vec![""];
    }
    if matches!(effective.kind, Keyword::Env | Keyword::Label) {
        values = values
            .chunks(3)
            .flat_map(|triple| triple.iter().take(2).copied())
            .collect();
    }
    serde_json::json!({
        "cmd": instruction.keyword.value,
        "sub_cmd": instruction.trigger.as_ref().map(|t| t.keyword.value.clone()),
        "start_line": instruction.start_line,
        "end_line": instruction.end_line,
        "flags": instruction.flags.iter().map(|f| f.text.clone()).collect::<Vec<_>>(),
        "value": values,
        // The oracle lists the heredocs of the innermost node it reports.
        "heredocs": if instruction.trigger.is_some() { &effective.heredocs } else { &instruction.heredocs }.iter().map(|h| h.content.clone()).collect::<Vec<_>>(),
    })
}

fn theirs(command: &Value) -> Value {
    let mut command = command.clone();
    let object = command.as_object_mut().unwrap();
    object.remove("json");
    // The wrapper reports an empty instruction word as None.
    if object["cmd"].is_null() {
        object.insert("cmd".into(), Value::from(""));
    }
    command
}

fn compare(files: &[PathBuf]) -> Vec<String> {
    let expected = oracle(files);
    assert_eq!(expected.len(), files.len());
    let mut mismatches = Vec::new();
    for (path, expected) in files.iter().zip(&expected) {
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let parsed = parse(&text);
        let name = path.file_name().unwrap().to_string_lossy();
        let ok = expected["ok"].as_bool().unwrap();
        match (ok, parsed.buildkit_error()) {
            (true, Some(error)) => {
                mismatches.push(format!(
                    "{name}: BuildKit accepts, we reject: {}",
                    error.message
                ));
                continue;
            }
            (false, None) => {
                mismatches.push(format!(
                    "{name}: BuildKit rejects ({}), we accept",
                    expected["error"]
                ));
                continue;
            }
            (false, Some(error)) => {
                let theirs = expected["error"].as_str().unwrap_or_default();
                if !theirs.contains(&error.message) {
                    mismatches.push(format!(
                        "{name}: both reject, BuildKit says {theirs:?}, we say {:?}",
                        error.message
                    ));
                }
                continue;
            }
            (true, None) => {}
        }
        let ours: Vec<Value> = parsed
            .dockerfile
            .instructions
            .iter()
            .map(our_command)
            .collect();
        let theirs: Vec<Value> = expected["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(theirs)
            .collect();
        if ours.len() != theirs.len() {
            mismatches.push(format!(
                "{name}: {} instructions, BuildKit has {}",
                ours.len(),
                theirs.len()
            ));
            continue;
        }
        for (ours, theirs) in ours.iter().zip(&theirs) {
            if ours != theirs {
                mismatches.push(format!("{name}:\n  ours:   {ours}\n  theirs: {theirs}"));
                break;
            }
        }
    }
    mismatches
}

#[test]
fn corpus_matches_buildkit() {
    let mismatches = compare(&corpus_files());
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn edge_cases_match_buildkit() {
    let files = case_files();
    assert!(files.len() >= 20, "edge-case fixtures missing");
    let mismatches = compare(&files);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
