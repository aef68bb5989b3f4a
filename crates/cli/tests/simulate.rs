//! `layerlab simulate` end to end, on a context directory made for each test.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(files: &[(&str, &str)]) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "layerlab-simulate-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, content) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, content).unwrap();
        }
        TempDir(dir)
    }

    fn path(&self, rel: &str) -> String {
        self.0.join(rel).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn layerlab(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `line → (status, reason)` from the JSON output.
fn status(v: &serde_json::Value, line: u64) -> (String, String) {
    let step = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["line"] == line && s.get("trigger").is_none())
        .unwrap_or_else(|| panic!("no line {line}: {v:#}"));
    (
        step["status"].as_str().unwrap().to_owned(),
        step["reason"].as_str().unwrap().to_owned(),
    )
}

const DOCKERFILE: &str = "\
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
";

fn node_project() -> TempDir {
    TempDir::new(&[
        ("Dockerfile", DOCKERFILE),
        ("package.json", "{}"),
        ("package-lock.json", "{}"),
        ("src/app.js", "console.log(1)"),
        ("node_modules/x/index.js", "junk"),
        (".dockerignore", "node_modules\nDockerfile\n"),
    ])
}

#[test]
fn json_output_for_a_changed_file() {
    let dir = node_project();
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--changed",
            "src/app.js",
            "Dockerfile",
        ],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["builder"], "buildkit");
    assert_eq!(v["target"], "stage-0");
    // `node:20` is a tag: its FROM is may-miss, and what depends on it says so.
    assert_eq!(
        status(&v, 1),
        (
            "may-miss".to_owned(),
            "base image tag `node:20` may move: BuildKit resolves it again on every build; pin it with @sha256:… to know (--base-changed node:20 if it moved, --assume-tags-unchanged if not)".to_owned()
        )
    );
    assert_eq!(status(&v, 4).0, "cached");
    assert_eq!(
        v["steps"][3]["depends_on_tags"],
        serde_json::json!(["node:20"])
    );
    assert_eq!(v["moving_tags"], serde_json::json!(["node:20"]));
    assert_eq!(
        status(&v, 5),
        (
            "rebuilt".to_owned(),
            "content of src/app.js changed".to_owned()
        )
    );
    assert_eq!(status(&v, 6).0, "rebuilt");
    assert_eq!(v["steps"][0]["stage_index"], 0);
    assert!(v["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["created_by"] == "RUN /bin/sh -c npm ci # buildkit"));
}

#[test]
fn the_context_defaults_to_the_dockerfile_directory() {
    let dir = node_project();
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--changed",
            &dir.path("package.json"),
            &dir.path("Dockerfile"),
        ],
        &std::env::temp_dir(),
    );
    let v = json(&out);
    assert_eq!(
        status(&v, 3),
        (
            "rebuilt".to_owned(),
            "content of package.json changed".to_owned()
        )
    );
}

#[test]
fn dockerignored_changes_are_invisible() {
    let dir = node_project();
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--changed",
            "node_modules/x/index.js",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(status(&v, 5).0, "cached");
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("node_modules/x/index.js is excluded by .dockerignore"));
}

#[test]
fn build_args_previous_dockerfile_and_legacy() {
    let dir = TempDir::new(&[
        (
            "Dockerfile",
            "FROM alpine\nARG V=1\nRUN true\nLABEL a=2\nRUN echo done\n",
        ),
        (
            "old.Dockerfile",
            "FROM alpine\nARG V=1\nRUN true\nLABEL a=1\nRUN echo done\n",
        ),
    ]);
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--build-arg",
            "V=2",
            "--previous-build-arg",
            "V=1",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(
        status(&v, 3),
        (
            "rebuilt".to_owned(),
            "build-arg V changed from 1 to 2 and this RUN sees it (ARG V, line 2)".to_owned()
        )
    );
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--builder",
            "legacy",
            "--previous-dockerfile",
            "old.Dockerfile",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(v["builder"], "legacy");
    assert_eq!(status(&v, 3).0, "cached");
    assert_eq!(status(&v, 4).0, "rebuilt");
    assert_eq!(status(&v, 5).0, "rebuilt");
}

#[test]
fn tty_output_is_a_table_with_reasons() {
    let dir = node_project();
    let out = layerlab(
        &["simulate", "--changed", "src/app.js", "Dockerfile"],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // Not a terminal: no colours.
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(
        text.contains("LINE  STAGE    STATUS     INSTRUCTION"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("5 "))
        .unwrap();
    assert!(
        row.contains("rebuilt")
            && row.contains("COPY . .")
            && row.ends_with("content of src/app.js changed"),
        "{row}"
    );
    assert!(
        text.contains("3 cached, 2 rebuilt, 1 may miss, 0 skipped"),
        "{text}"
    );
    // Rows whose status assumes the tag did not move are starred, with a footnote.
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("4 "))
        .unwrap();
    assert!(
        row.contains("cached*") && row.contains("RUN npm ci"),
        "{row}"
    );
    assert!(
        text.contains("* 4 step(s) assume that `node:20` did not move"),
        "{text}"
    );
}

#[test]
fn assume_tags_unchanged_for_ci() {
    let dir = node_project();
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--assume-tags-unchanged",
            "--changed",
            "src/app.js",
            "Dockerfile",
        ],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(status(&v, 1).0, "cached");
    assert_eq!(status(&v, 4).0, "cached");
    assert!(v["steps"][3].get("depends_on_tags").is_none(), "{v:#}");
    assert_eq!(v["moving_tags"], serde_json::json!([]));
    assert_eq!(v["summary"]["may_miss"], 0);
    let out = layerlab(
        &["simulate", "--assume-tags-unchanged", "Dockerfile"],
        &dir.0,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("did not move"), "{text}");
    // A digest-pinned FROM needs neither.
    let pinned = format!("FROM node:20@sha256:{}\nRUN npm ci\n", "a".repeat(64));
    let dir = TempDir::new(&[("Dockerfile", &pinned)]);
    let v = json(&layerlab(&["simulate", "-f", "json", "Dockerfile"], &dir.0));
    assert_eq!(status(&v, 1).0, "cached");
    assert_eq!(v["moving_tags"], serde_json::json!([]));
}

#[test]
fn targets_no_cache_and_bases() {
    let dir = TempDir::new(&[(
        "Dockerfile",
        "FROM golang AS build\nRUN go build\nFROM alpine AS unused\nRUN true\nFROM scratch\nCOPY --from=build /app /app\n",
    )]);
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--base-changed",
            "golang",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(status(&v, 1).0, "rebuilt");
    assert_eq!(status(&v, 4).0, "skipped");
    assert_eq!(status(&v, 6).0, "may-miss");
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--no-cache-filter",
            "build",
            "--target",
            "build",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(v["target"], "build");
    assert_eq!(status(&v, 2).0, "rebuilt");
    assert_eq!(status(&v, 6).0, "skipped");
}

#[test]
fn context_dockerignore_added_removed_and_no_cache() {
    // The Dockerfile lives outside the context; the ignore file is named on the command line.
    let dir = TempDir::new(&[
        ("docker/Dockerfile", "FROM alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY lib/ /lib/\nRUN make\nCOPY src/ /src/\n"),
        ("docker/custom.ignore", "secret.txt\n"),
        ("app/lib/a.c", "a"),
        ("app/src/new.js", "n"),
        ("app/secret.txt", "s"),
    ]);
    let args = |extra: &[&str]| {
        let mut a = vec![
            "simulate",
            "-f",
            "json",
            "--context",
            "app",
            "--dockerignore",
            "docker/custom.ignore",
        ];
        a.extend_from_slice(extra);
        a.push("docker/Dockerfile");
        layerlab(&a, &dir.0)
    };
    let v = json(&args(&["--added", "src/new.js", "--changed", "secret.txt"]));
    assert_eq!(status(&v, 2).0, "cached");
    assert_eq!(status(&v, 3).0, "cached");
    let (s, why) = status(&v, 4);
    assert_eq!(s, "rebuilt");
    assert!(why.contains("src/new.js"), "{why}");
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["message"]
            .as_str()
            .unwrap()
            .starts_with("secret.txt is excluded by .dockerignore")));
    let v = json(&args(&["--removed", "lib/old.c"]));
    let (s, why) = status(&v, 2);
    assert_eq!(s, "rebuilt");
    assert!(why.contains("lib/old.c"), "{why}");
    assert_eq!(status(&v, 3).0, "rebuilt");
    let v = json(&args(&["--no-cache"]));
    assert_eq!(status(&v, 1).0, "cached");
    assert_eq!(status(&v, 2).0, "rebuilt");
    assert!(status(&v, 2).1.starts_with("--no-cache"));
}

#[test]
fn errors_exit_1_and_bad_usage_exits_2() {
    let dir = TempDir::new(&[("Dockerfile", "FROM alpine\nCOPY missing.txt /x\n")]);
    let out = layerlab(&["simulate", "-f", "json", "Dockerfile"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not in the build context"));
    let out = layerlab(&["simulate", "--builder", "kaniko", "Dockerfile"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    let out = layerlab(&["simulate"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    let bad = TempDir::new(&[("Dockerfile", "FROM alpine\n"), (".dockerignore", "!\n")]);
    let out = layerlab(&["simulate", "Dockerfile"], &bad.0);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("illegal exclusion pattern"));
}

#[cfg(unix)]
#[test]
fn file_modes_and_symlinks_are_read_from_disk() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new(&[
        ("Dockerfile", "FROM alpine\nCOPY bin/ /bin/\n"),
        ("bin/run", "#!/bin/sh"),
    ]);
    std::fs::set_permissions(
        dir.0.join("bin/run"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::os::unix::fs::symlink("run", dir.0.join("bin/start")).unwrap();
    let out = layerlab(
        &[
            "simulate",
            "-f",
            "json",
            "--changed",
            "bin/start",
            "Dockerfile",
        ],
        &dir.0,
    );
    let v = json(&out);
    assert_eq!(
        status(&v, 2),
        (
            "rebuilt".to_owned(),
            "symlink bin/start now points elsewhere".to_owned()
        )
    );
}
