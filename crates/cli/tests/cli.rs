//! End-to-end tests of the `layerlab` binary: exact output, exit codes, and no panic on
//! hostile input.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn layerlab(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // The child may exit before reading everything; a broken pipe is fine here.
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A crash would exit with 101 (Rust panic) or a signal; we want a clean 0 or 1.
fn assert_clean_exit(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "stderr: {}",
        stderr(output)
    );
}

#[test]
fn parse_prints_buildkit_dump() {
    let input = "FROM golang:1.22 AS build\nCOPY --from=build --chown=1:1 a b\nONBUILD RUN echo x\nENV A=1 B=2\n";
    let output = layerlab(&["parse", "--format", "buildkit", "-"], input.as_bytes());
    assert_clean_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "(from \"golang:1.22\" \"AS\" \"build\")\n(copy [\"--from=build\" \"--chown=1:1\"] \"a\" \"b\")\n(onbuild (run \"echo x\"))\n(env \"A\" \"1\" \"=\" \"B\" \"2\" \"=\")\n"
    );
}

#[test]
fn parse_rejects_like_buildkit_with_position() {
    let output = layerlab(&["parse", "-"], b"FROM a\nRUN echo ok\nENV lonely\n");
    assert_clean_exit(&output, 1);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "<stdin>:3:5: error: ENV must have two arguments\n"
    );
    let output = layerlab(&["parse", "-"], b"FROM a\nRUN <<EOF\nnever closed\n");
    assert_clean_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        "<stdin>:2:5: error: unterminated heredoc\n"
    );
}

#[test]
fn parse_reads_files_and_names_them_in_errors() {
    let dir = std::env::temp_dir().join(format!("layerlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, "# only a comment\n").unwrap();
    let output = layerlab(&["parse", path.to_str().unwrap()], b"");
    assert_clean_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        format!("{}:2:1: error: file with no instructions\n", path.display())
    );
    let missing = dir.join("missing");
    let output = layerlab(&["parse", missing.to_str().unwrap()], b"");
    assert_clean_exit(&output, 1);
    assert!(stderr(&output).starts_with(&format!("{}: error: cannot read", missing.display())));
}

#[test]
fn parse_json_has_spans_positions_and_diagnostics() {
    let output = layerlab(
        &["parse", "--format=json", "-"],
        "FROM a\nRUN --mount=type=cache,target=/c \\\n  make\n".as_bytes(),
    );
    assert_clean_exit(&output, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["accepted_by_buildkit"], true);
    let run = &json["dockerfile"]["instructions"][1];
    assert_eq!(run["keyword"]["value"], "RUN");
    assert_eq!(run["start_line"], 2);
    assert_eq!(run["end_line"], 3);
    assert_eq!(run["flags"][0]["text"], "--mount=type=cache,target=/c");
    assert_eq!(run["flags"][0]["span"]["start_pos"]["line"], 2);
    assert_eq!(run["flags"][0]["span"]["start_pos"]["column"], 5);
    assert_eq!(run["args"][0]["span"]["start_pos"]["line"], 3);
    // Continuation lines keep their indentation; the argument starts after it.
    assert_eq!(run["args"][0]["span"]["start_pos"]["column"], 3);
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let output = layerlab(&["parse", "-"], b"FROM a\nRUN echo \xff\xfe\n");
    assert_clean_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        "<stdin>:2:10: error: invalid UTF-8 (byte 0xff); Dockerfiles must be UTF-8 text\n"
    );
}

#[test]
fn binary_and_huge_inputs_never_crash() {
    let binary: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 & 0x7f)
        .collect();
    let output = layerlab(&["parse", "-"], &binary);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );

    // 50 MB: one instruction continued over a million lines, then many small ones.
    let mut huge = String::from("FROM a\nRUN echo \\\n");
    while huge.len() < 25_000_000 {
        huge.push_str("  --flag value \\\n");
    }
    huge.push_str("  end\n");
    while huge.len() < 50_000_000 {
        huge.push_str("RUN echo hello world && make\n");
    }
    let output = layerlab(&["parse", "-"], huge.as_bytes());
    assert_clean_exit(&output, 0);
    assert_eq!(
        stdout(&output).lines().count(),
        2 + (50_000_000 - 25_000_000) / 29 + 1
    );

    let long_line = format!("FROM a\nRUN {}\n", "x".repeat(100_000));
    let output = layerlab(&["parse", "-"], long_line.as_bytes());
    assert_clean_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        "<stdin>:2:1: error: dockerfile line greater than max allowed size of 65535\n"
    );
}

#[test]
fn expand_prints_what_buildkit_makes_of_a_word() {
    let output = layerlab(
        &[
            "expand",
            "--env",
            "NAME=world",
            "--",
            "hello-${NAME:-x}-${UNSET:-dflt}",
        ],
        b"",
    );
    assert_clean_exit(&output, 0);
    assert_eq!(stdout(&output), "hello-world-dflt\n");

    let output = layerlab(
        &[
            "expand",
            "--env",
            "FILES=a b",
            "--words",
            "--",
            "$FILES 'c d'",
        ],
        b"",
    );
    assert_clean_exit(&output, 0);
    assert_eq!(stdout(&output), "a\nb\nc d\n");

    let output = layerlab(&["expand", "--", "${X:=y}"], b"");
    assert_clean_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        "error: failed to process \"${X:=y}\": unsupported modifier (:=) in substitution\n"
    );
}

#[test]
fn expand_survives_deep_nesting() {
    // As deep as one command-line argument allows (Linux caps one at 128 KiB).
    let deep = format!("{}x{}", "${A:-".repeat(15_000), "}".repeat(15_000));
    let output = layerlab(&["expand", "--", &deep], b"");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = layerlab(&["parse", "--format", "yaml", "-"], b"");
    assert_clean_exit(&output, 2);
    assert!(stderr(&output).contains("unknown format `yaml`"));
    let output = layerlab(&["frobnicate"], b"");
    assert_clean_exit(&output, 2);
}
