//! `layerlab inspect` and `layerlab diff` end to end on the shared fixture archives.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/image_fixtures.rs"]
mod image_fixtures;

use std::path::PathBuf;
use std::process::{Command, Output};

fn layerlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    image_fixtures::image_fixtures_dir()
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("layerlab-inspect-{}-{name}", std::process::id()));
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn json_report_has_the_documented_keys_and_the_fixture_digests() {
    for (archive, expected) in image_fixtures::image_fixtures() {
        let output = layerlab(&["inspect", "-f", "json", archive.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        for key in [
            "format",
            "platform",
            "platforms",
            "repo_tags",
            "config_digest",
            "manifest_digest",
            "layers",
            "history",
            "merged",
            "reclaimable_bytes",
            "waste_top",
            "dive",
            "packages",
            "findings",
            "problems",
        ] {
            assert!(
                report.get(key).is_some(),
                "{}: missing key {key}",
                archive.display()
            );
        }
        let image = &expected["images"][0];
        // Legacy archives have no manifest naming the blob digests: nothing to check them against.
        let blob_check = if expected["format"] == "docker-archive-legacy" {
            "unchecked"
        } else {
            "ok"
        };
        assert_eq!(report["config_digest"], image["config_digest"]);
        assert_eq!(report["manifest_digest"], image["manifest_digest"]);
        assert_eq!(report["problems"], serde_json::json!([]));
        for (layer, want) in report["layers"]
            .as_array()
            .unwrap()
            .iter()
            .zip(image["layers"].as_array().unwrap())
        {
            assert_eq!(layer["diff_id"], want["diff_id"]);
            assert_eq!(layer["compressed_size"], want["blob_size"]);
            assert_eq!(layer["size"], want["uncompressed_tar_size"]);
            assert_eq!(
                layer["verified"],
                serde_json::json!({"digest": blob_check, "diff_id": "ok"})
            );
        }
        assert_eq!(
            report["dive"]["wasted_bytes"],
            image["dive_compatible"]["WastedBytes"]
        );
        assert_eq!(report["reclaimable_bytes"], image["totals"]["wasted_bytes"]);
    }
}

#[test]
fn the_ci_gate_follows_dive_defaults_flags_and_dive_ci_files() {
    let archive = fixture("demo.docker.tar");
    let failing = layerlab(&["inspect", "--ci", &archive]);
    assert_eq!(failing.status.code(), Some(1));
    let text = stdout(&failing);
    assert!(text.contains("FAIL: lowest-efficiency"), "{text}");
    assert!(text.contains("SKIP: highest-wasted-bytes"), "{text}");
    assert!(
        text.contains("Result:FAIL [Total:3] [Passed:0] [Failed:2]"),
        "{text}"
    );

    let passing = layerlab(&[
        "inspect",
        "--ci",
        "--lowest-efficiency",
        "0.4",
        "--highest-user-wasted-percent=off",
        "--highest-wasted-bytes",
        "1MB",
        &archive,
    ]);
    assert!(passing.status.success(), "{}", stdout(&passing));
    assert!(stdout(&passing).contains("PASS: highest-wasted-bytes"));

    let config = temp_file(
        "dive-ci",
        "rules:\n  lowestEfficiency: 0.4\n  highestUserWastedPercent: disabled\n",
    );
    let from_file = layerlab(&[
        "inspect",
        "--ci",
        "--ci-config",
        config.to_str().unwrap(),
        &archive,
    ]);
    assert!(from_file.status.success(), "{}", stdout(&from_file));

    let bad = temp_file("dive-ci-bad", "rules:\n  lowestEfficiency: 1.5\n");
    let rejected = layerlab(&[
        "inspect",
        "--ci",
        "--ci-config",
        bad.to_str().unwrap(),
        &archive,
    ]);
    assert_eq!(rejected.status.code(), Some(1));
    assert!(stderr(&rejected).contains(":2:"), "{}", stderr(&rejected));

    let json = layerlab(&["inspect", "--ci", "-f", "json", &archive]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["ci"][0]["status"], "fail");
}

#[test]
fn files_lists_the_merged_tree_or_one_layer() {
    let archive = fixture("demo.oci.tar");
    let output = layerlab(&["inspect", "--files", &archive]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 38);
    let setuid = text.lines().find(|l| l.ends_with(" usr/bin/tool")).unwrap();
    let fields: Vec<&str> = setuid.split_whitespace().collect();
    assert_eq!(fields, ["file", "204800", "4755", "0", "usr/bin/tool"]);
    let layer = stdout(&layerlab(&["inspect", "--files", "--layer", "3", &archive]));
    assert!(
        layer
            .lines()
            .any(|l| l.starts_with("opaque") && l.ends_with("app/data/.wh..wh..opq")),
        "{layer}"
    );
    let out_of_range = layerlab(&["inspect", "--files", "--layer", "9", &archive]);
    assert_eq!(out_of_range.status.code(), Some(2));
    assert!(stderr(&out_of_range).contains("4 layer(s)"));
}

#[test]
fn diff_of_two_archives_of_the_same_image_is_empty() {
    let output = layerlab(&[
        "diff",
        &fixture("demo.docker.tar"),
        &fixture("demo.oci.tar"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("4 shared") && text.contains("0 added, 0 removed, 0 changed"),
        "{text}"
    );
}

#[test]
fn bad_inputs_are_clear_errors() {
    let not_tar = temp_file("not-an-archive", "hello");
    let output = layerlab(&["inspect", not_tar.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not-an-archive"),
        "{}",
        stderr(&output)
    );
    let output = layerlab(&["inspect", "/nonexistent/image.tar"]);
    assert_eq!(output.status.code(), Some(1));
    let output = layerlab(&[
        "inspect",
        "--platform",
        "linux/s390x",
        &fixture("demo.multi.tar"),
    ]);
    assert!(
        stderr(&output).contains("linux/arm64"),
        "{}",
        stderr(&output)
    );
    let output = layerlab(&["inspect"]);
    assert_eq!(output.status.code(), Some(2));
}
