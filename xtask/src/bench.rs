//! `cargo xtask bench`: every benchmark beside its peer on the same input in the same run, then
//! the README's performance table. Criterion does the measuring for our code; the peers are
//! timed by `tests/bench/*.py` (BuildKit's Go parser through PyPI `dockerfile`, hadolint,
//! `pigz | openssl` and dive on a Debian image that `tests/bench/make_bench_images.sh` builds
//! outside the repository, in `$LAYERLAB_BENCH_IMAGES` or `/tmp/layerlab-bench`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, Result};

/// Criterion's mean estimate, in nanoseconds, for a benchmark id such as `parse/corpus/1109`.
fn criterion_mean_ns(root: &Path, id: &str) -> Option<f64> {
    let path = root
        .join("target/criterion")
        .join(id)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let mean = text.split("\"mean\"").nth(1)?;
    json_number(mean, "point_estimate")
}

/// The number after `"key":` in a flat JSON text.
fn json_number(text: &str, key: &str) -> Option<f64> {
    let rest = text.split(&format!("\"{key}\"")).nth(1)?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// The only directory below `dir` (criterion names a benchmark by its parameter).
fn only_child(dir: &Path) -> Option<String> {
    let mut names = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name());
    let name = names.next()?.to_string_lossy().into_owned();
    Some(name)
}

fn corpus(root: &Path) -> PathBuf {
    std::env::var_os("LAYERLAB_CORPUS").map_or_else(
        || crate::test::shared_dir(root).join("corpus/dockerfiles"),
        PathBuf::from,
    )
}

fn bench_images() -> PathBuf {
    std::env::var_os("LAYERLAB_BENCH_IMAGES")
        .map_or_else(|| PathBuf::from("/tmp/layerlab-bench"), PathBuf::from)
}

fn ratio(theirs: f64, ours: f64) -> String {
    if ours > 0.0 {
        format!("{:.0}×", theirs / ours)
    } else {
        "—".to_owned()
    }
}

pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    let corpus = corpus(root);
    if !corpus.is_dir() {
        return cmd::fail(format!(
            "bench: the corpus is missing at {}; set LAYERLAB_CORPUS",
            corpus.display()
        ));
    }
    let corpus_arg = corpus.to_string_lossy().into_owned();
    for (package, bench) in [
        ("layerlab-syntax", "parse"),
        ("layerlab-buildsim", "simulate"),
    ] {
        cmd::run(
            "benchmarks",
            Command::new("cargo")
                .args(["bench", "-p", package, "--bench", bench, "--", "--noplot"])
                .args(extra)
                .env("LAYERLAB_CORPUS", &corpus)
                .current_dir(root),
        )?;
    }
    cmd::run(
        "release build of the CLI",
        Command::new("cargo")
            .args(["build", "--release", "-p", "layerlab"])
            .current_dir(root),
    )?;
    let parse_peer = cmd::output(
        "BuildKit parser timing",
        Command::new("python3")
            .arg(root.join("tests/bench/buildkit_peer.py"))
            .arg(&corpus_arg),
    )?;
    let binary = root.join("target/release/layerlab");
    let lint_peer = cmd::output(
        "hadolint timing",
        Command::new("python3")
            .arg(root.join("tests/bench/lint_peer.py"))
            .arg(&binary)
            .arg(&corpus_arg),
    )?;
    crate::setup::bench_image_tools()?;
    let images = bench_images();
    cmd::run(
        "building the benchmark image (once)",
        Command::new("bash")
            .arg(root.join("tests/bench/make_bench_images.sh"))
            .arg(&images),
    )?;
    // Markdown rows (`| … |`) for the table, then notes (`- …`).
    let image_peer = cmd::output(
        "image inspection timing (pigz | openssl, dive)",
        Command::new("python3")
            .arg(root.join("tests/bench/image_peer.py"))
            .arg(&binary)
            .arg(&images),
    )?;

    let criterion = root.join("target/criterion/parse");
    let corpus_id = only_child(&criterion.join("corpus")).unwrap_or_default();
    let median_id = only_child(&criterion.join("median_file")).unwrap_or_default();
    let ours_corpus_ms =
        criterion_mean_ns(root, &format!("parse/corpus/{corpus_id}")).unwrap_or(0.0) / 1e6;
    let ours_median_us =
        criterion_mean_ns(root, &format!("parse/median_file/{median_id}")).unwrap_or(0.0) / 1e3;
    let simulate_ms =
        criterion_mean_ns(root, "simulate/200_steps_50k_files_one_change").unwrap_or(0.0) / 1e6;
    let number = |text: &str, key: &str| json_number(text, key).unwrap_or(0.0);
    let bytes = number(&parse_peer, "bytes");
    let files = number(&parse_peer, "files");
    let theirs_corpus_ms = number(&parse_peer, "corpus_seconds") * 1e3;
    let theirs_median_us = number(&parse_peer, "median_file_us");
    let mib = bytes / 1_048_576.0;
    let ours_all = number(&lint_peer, "layerlab_all_seconds");
    let theirs_all = number(&lint_peer, "hadolint_all_seconds");
    let ours_each = number(&lint_peer, "layerlab_per_process_seconds");
    let theirs_each = number(&lint_peer, "hadolint_per_process_seconds");

    println!("\n| Task | layerlab | Peer | Ratio |\n|---|---|---|---|");
    println!(
        "| Parse the corpus ({files:.0} files, {mib:.1} MiB) | {ours_corpus_ms:.1} ms ({:.0} MiB/s) | BuildKit: {theirs_corpus_ms:.0} ms ({:.1} MiB/s) | {} |",
        mib / (ours_corpus_ms / 1e3),
        mib / (theirs_corpus_ms / 1e3),
        ratio(theirs_corpus_ms, ours_corpus_ms)
    );
    println!(
        "| Parse the median file | {ours_median_us:.1} µs | BuildKit: {theirs_median_us:.0} µs | {} |",
        ratio(theirs_median_us, ours_median_us)
    );
    println!(
        "| Lint the corpus, one process | {:.2} s ({:.0} files/s) | hadolint: {theirs_all:.1} s ({:.0} files/s) | {} |",
        ours_all,
        files / ours_all.max(1e-9),
        files / theirs_all.max(1e-9),
        ratio(theirs_all, ours_all)
    );
    println!(
        "| Lint one file per process (median) | {:.1} ms | hadolint: {:.0} ms | {} |",
        ours_each * 1e3,
        theirs_each * 1e3,
        ratio(theirs_each, ours_each)
    );
    println!(
        "| Simulate the cache after a one-file change (200 steps, 50k files) | {simulate_ms:.1} ms | — | target ≤ 50 ms |"
    );
    let (rows, notes): (Vec<&str>, Vec<&str>) = image_peer
        .lines()
        .filter(|line| !line.trim().is_empty())
        .partition(|line| line.starts_with('|'));
    for row in rows {
        // image_peer.py adds a Command column, which this table does not have.
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
        println!("| {} |", cells[..cells.len().min(4)].join(" | ").trim());
    }
    for note in notes {
        println!("{note}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::json_number;

    #[test]
    fn reads_numbers_from_json() {
        let text = r#"{"files": 1109, "corpus_seconds": 0.74, "x": 1e-3}"#;
        assert_eq!(json_number(text, "files"), Some(1109.0));
        assert_eq!(json_number(text, "corpus_seconds"), Some(0.74));
        assert_eq!(json_number(text, "x"), Some(0.001));
        assert_eq!(json_number(text, "missing"), None);
    }
}
