//! `layerlab lint` as CI uses it: hadolint's JSON, configuration discovery and errors,
//! thresholds and exit codes, and `--fix`.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/image_fixtures.rs"]
#[allow(dead_code)]
mod image_fixtures;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlab-lint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

fn layerlab(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_layerlab"));
    command
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("NO_COLOR");
    for (key, _) in std::env::vars() {
        if key.starts_with("HADOLINT_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

const BAD: &str = "FROM ubuntu\nWORKDIR app\n";

#[test]
fn json_keeps_hadolint_keys_and_adds_ranges() {
    let dir = workspace("json", &[("Dockerfile", BAD)]);
    let output = layerlab(&dir, &["lint", "-f", "json", "Dockerfile"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let findings = json(&output);
    let first = &findings[0];
    assert_eq!(first["code"], "DL3006");
    assert_eq!(first["file"], "Dockerfile");
    assert_eq!(first["level"], "warning");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(6))
    );
    assert_eq!(
        (first["endLine"].as_u64(), first["endColumn"].as_u64()),
        (Some(1), Some(12))
    );
    assert!(first["url"].as_str().unwrap().contains("DL3006"));
}

#[test]
fn clean_file_prints_empty_array_and_exits_0() {
    let dir = workspace(
        "clean",
        &[("Dockerfile", "FROM alpine:3.20\nWORKDIR /app\n")],
    );
    let output = layerlab(&dir, &["lint", "-f", "json", "Dockerfile"], &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");
}

#[test]
fn thresholds_and_no_fail() {
    let dir = workspace("threshold", &[("Dockerfile", "FROM ubuntu\n")]);
    assert_eq!(
        layerlab(&dir, &["lint", "-t", "error", "Dockerfile"], &[])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        layerlab(&dir, &["lint", "-t", "warning", "Dockerfile"], &[])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        layerlab(&dir, &["lint", "--no-fail", "Dockerfile"], &[])
            .status
            .code(),
        Some(0)
    );
    let env = [("HADOLINT_FAILURE_THRESHOLD", "error")];
    assert_eq!(
        layerlab(&dir, &["lint", "Dockerfile"], &env).status.code(),
        Some(0)
    );
}

#[test]
fn config_file_is_found_and_honoured() {
    let dir = workspace(
        "config",
        &[
            ("Dockerfile", BAD),
            (
                ".hadolint.yaml",
                "ignored:\n  - DL3000\noverride:\n  error: [DL3006]\n",
            ),
        ],
    );
    let findings = json(&layerlab(&dir, &["lint", "-f", "json", "Dockerfile"], &[]));
    let codes: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [("DL3006", "error"), ("WorkdirRelativePath", "warning")]
    );
}

#[test]
fn malformed_config_is_an_error_with_its_position() {
    let dir = workspace(
        "badconfig",
        &[
            ("Dockerfile", BAD),
            (
                ".hadolint.yml",
                "ignored: [DL3000]\nfailure_threshold: error\n",
            ),
        ],
    );
    let output = layerlab(&dir, &["lint", "Dockerfile"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        ".hadolint.yml:2:1: error: unknown key `failure_threshold` (did you mean `failure-threshold`?)"
    );
}

#[test]
fn fix_rewrites_safe_fixes_in_place_and_is_idempotent() {
    let text =
        "FROM golang:1.23 AS Build\nENV PORT 8080\nRUN apk add \\\n\n    curl\nMAINTAINER me\n";
    let dir = workspace("fix", &[("Dockerfile", text)]);
    layerlab(&dir, &["lint", "--fix", "Dockerfile"], &[]);
    let fixed = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "FROM golang:1.23 AS build\nENV PORT=8080\nRUN apk add --no-cache \\\n    curl\nMAINTAINER me\n"
    );
    layerlab(&dir, &["lint", "--fix", "Dockerfile"], &[]);
    assert_eq!(
        std::fs::read_to_string(dir.join("Dockerfile")).unwrap(),
        fixed
    );
    layerlab(&dir, &["lint", "--fix-unsafe", "Dockerfile"], &[]);
    assert!(std::fs::read_to_string(dir.join("Dockerfile"))
        .unwrap()
        .ends_with("LABEL maintainer=\"me\"\n"));
}

#[test]
fn several_files_and_stdin() {
    let dir = workspace(
        "many",
        &[("a.Dockerfile", BAD), ("b.Dockerfile", "FROM ubuntu\n")],
    );
    let findings = json(&layerlab(
        &dir,
        &["lint", "-f", "json", "a.Dockerfile", "b.Dockerfile"],
        &[],
    ));
    let files: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "a.Dockerfile",
            "a.Dockerfile",
            "a.Dockerfile",
            "b.Dockerfile"
        ]
    );
    let missing = layerlab(&dir, &["lint", "missing.Dockerfile"], &[]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn rules_catalogue() {
    let dir = workspace("rules", &[]);
    let rules = json(&layerlab(&dir, &["rules", "-f", "json"], &[]));
    let dl4000 = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "DL4000")
        .unwrap();
    assert_eq!(dl4000["aliases"][0], "MaintainerDeprecated");
    assert_eq!(dl4000["fixable"], true);
}

/// `layerlab rules | head`: a reader that goes away ends the output quietly (no panic).
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for args in [&["rules", "-f", "markdown"][..], &["--help"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_layerlab"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the catalogue is written: every write fails (EPIPE).
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// `(line, column, message)` of every `InvalidBaseImagePlatform` finding in a JSON report.
fn base_platform_findings(output: &Output) -> Vec<(u64, u64, String)> {
    json(output)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "InvalidBaseImagePlatform")
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const PLATFORMS: &str = "FROM --platform=linux/arm64 demo AS arm\nFROM demo:latest AS amd\nFROM --platform=linux/s390x docker.io/library/demo\n";

#[test]
fn base_image_platform_flags_describe_the_images() {
    let dir = workspace("base-platform", &[("Dockerfile", PLATFORMS)]);
    // Without a description, the check never fires.
    let quiet = layerlab(&dir, &["lint", "-f", "json", "Dockerfile"], &[]);
    assert_eq!(base_platform_findings(&quiet), []);
    let output = layerlab(
        &dir,
        &[
            "lint",
            "-f",
            "json",
            "--base-image-platform",
            "demo:latest=linux/amd64,linux/arm64/v8",
            "--base-image-platform=docker.io/library/demo:latest=linux/ppc64le",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(
        base_platform_findings(&output),
        [(
            3,
            29,
            "Base image docker.io/library/demo was pulled with platform \"[linux/amd64, linux/arm64, linux/ppc64le]\", expected \"linux/s390x\" for current build".to_owned()
        )]
    );
    let url = json(&output)
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "InvalidBaseImagePlatform")
        .map(|f| f["url"].as_str().unwrap().to_owned())
        .unwrap();
    assert!(url.ends_with("/rules/InvalidBaseImagePlatform"), "{url}");

    for (value, complaint) in [
        ("demo", "no `=`"),
        ("demo=linux/", "`linux/` is not a platform"),
        ("Demo=linux/amd64", "`Demo` is not an image reference"),
    ] {
        let bad = layerlab(
            &dir,
            &["lint", "--base-image-platform", value, "Dockerfile"],
            &[],
        );
        assert_eq!(bad.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(
            stderr.contains(&format!("got `{value}`")) && stderr.contains(complaint),
            "{value}: {stderr}"
        );
    }
}

#[test]
fn base_image_archives_give_their_tags_and_platforms() {
    let fixtures = image_fixtures::image_fixtures_dir();
    let docker = fixtures.join("demo.docker.tar");
    let multi = fixtures.join("demo.multi.tar");
    let (docker, multi) = (docker.to_str().unwrap(), multi.to_str().unwrap());
    let dir = workspace("base-archive", &[("Dockerfile", PLATFORMS)]);

    // `docker save` of docker.io/library/demo:latest, linux/amd64 only.
    let output = layerlab(
        &dir,
        &["lint", "-f", "json", "--base-image", docker, "Dockerfile"],
        &[],
    );
    assert_eq!(
        base_platform_findings(&output),
        [
            (
                1,
                29,
                "Base image demo was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build".to_owned()
            ),
            (
                3,
                29,
                "Base image docker.io/library/demo was pulled with platform \"linux/amd64\", expected \"linux/s390x\" for current build".to_owned()
            )
        ]
    );

    // skopeo's multi-platform OCI archive names no repository: REF=ARCHIVE names it.
    let named = format!("demo={multi}");
    let output = layerlab(
        &dir,
        &["lint", "-f", "json", "--base-image", &named, "Dockerfile"],
        &[],
    );
    assert_eq!(
        base_platform_findings(&output),
        [(
            3,
            29,
            "Base image docker.io/library/demo was pulled with platform \"[linux/amd64, linux/arm64]\", expected \"linux/s390x\" for current build".to_owned()
        )]
    );

    // Errors name the file and what is wrong with it.
    let unnamed = layerlab(&dir, &["lint", "--base-image", multi, "Dockerfile"], &[]);
    assert_eq!(unnamed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unnamed.stderr);
    assert!(
        stderr.contains(multi) && stderr.contains("names no image") && stderr.contains("REF="),
        "{stderr}"
    );
    for (archive, complaint) in [
        ("missing.tar", "missing.tar: error: base image archive: "),
        (
            "Dockerfile",
            "Dockerfile: error: base image archive: not a tar archive",
        ),
    ] {
        let bad = layerlab(&dir, &["lint", "--base-image", archive, "Dockerfile"], &[]);
        assert_eq!(bad.status.code(), Some(1), "{archive}");
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(stderr.contains(complaint), "{archive}: {stderr}");
        assert!(bad.stdout.is_empty(), "{archive}: linted anyway");
    }
}
