//! `cargo xtask <task>`: the project's own tasks, in Rust so they run wherever cargo does.
//!
//! - `serve [trunk args]`: install what is missing, then build and serve the web app on
//!   http://127.0.0.1:8080 (rebuilds on change; reload the page yourself).
//! - `test`: everything CI checks, in order, stopping at the first failure.
//! - `dist [--dist DIR] [--single-file [PATH]]`: release build of the static site into dist/
//!   (or DIR), with its size; `--single-file` also writes the whole app as one HTML file
//!   (default dist/layerlab.html) that works from disk (xtask/src/single_file.rs).
//! - `npm [--out DIR] [--no-opt]`: the wasm core as an npm-ready package (xtask/src/npm.rs).
//! - `bench [args]`: the parser's benchmarks.

mod bench;
mod cmd;
mod npm;
mod setup;
mod single_file;
mod size;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cmd::{fail, Result};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  serve [ARGS]  build the web app and serve it on http://127.0.0.1:8080 (ARGS go to trunk serve)
  test          fmt, clippy, native + wasm + end-to-end tests, release build and size budget
  dist [--dist DIR] [--single-file [PATH]] [--no-build]
                release build of the static site into dist/ (or DIR); --single-file also
                writes the app as one self-contained HTML file (default DIR/layerlab.html);
                --no-build assembles it from the site already in DIR
  npm [--out DIR] [--no-opt]
                the wasm core as an npm-ready package (default target/npm/layerlab/);
                --no-opt skips wasm-opt
  bench [ARGS]  cargo bench -p layerlab-syntax (ARGS go to cargo bench)

Missing tools are installed first: see xtask/src/setup.rs.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let root = repo_root();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    match task {
        "serve" => serve(&root, rest),
        "test" => test::run(&root),
        "dist" => dist_task(&root, rest),
        "npm" => npm::task(&root, &setup::web_toolchain(&root)?, rest),
        "bench" => bench::run(&root, rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => fail(format!("unknown task `{other}`\n\n{USAGE}")),
    }
}

/// The workspace root: xtask lives one level below it.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn serve(root: &Path, extra: &[String]) -> Result<()> {
    let tools = setup::web_toolchain(root)?;
    eprintln!("serving on http://127.0.0.1:8080 (Ctrl-C stops)");
    // Address, port and the rest come from Trunk.toml.
    cmd::run(
        "trunk serve",
        tools
            .command("trunk")
            .arg("serve")
            .args(extra)
            .current_dir(root),
    )
}

/// `cargo xtask dist [--dist DIR] [--single-file [PATH]]`.
fn dist_task(root: &Path, args: &[String]) -> Result<()> {
    let mut out_dir = root.join("dist");
    let mut single_file = None;
    let mut build = true;
    let mut args = args.iter().peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dist" => match args.next() {
                Some(dir) => out_dir = PathBuf::from(dir),
                None => return fail("--dist needs a folder"),
            },
            "--single-file" => {
                let path = args.next_if(|next| !next.starts_with("--"));
                single_file = Some(path.map(PathBuf::from));
            }
            // Only assemble the single file from the site already built in DIR.
            "--no-build" => build = false,
            other => return fail(format!("dist: unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if build {
        dist_into(root, &setup::web_toolchain(root)?, &out_dir)?;
    }
    if let Some(path) = single_file {
        let path = path.unwrap_or_else(|| out_dir.join(single_file::DEFAULT_NAME));
        let bytes = single_file::write(&out_dir, &path)?;
        eprintln!(
            "single file: {} ({bytes} bytes; open it from disk, it requests nothing)",
            path.display()
        );
    }
    Ok(())
}

/// Builds dist/ for release and prints what a first visit downloads.
pub fn dist(root: &Path, tools: &setup::Tools) -> Result<size::Sizes> {
    dist_into(root, tools, &root.join("dist"))
}

/// Builds the site into `out_dir` for release and prints what a first visit downloads.
pub fn dist_into(root: &Path, tools: &setup::Tools, out_dir: &Path) -> Result<size::Sizes> {
    cmd::run(
        "release build of the web app",
        tools
            .command("trunk")
            .args(["build", "--release", "--dist"])
            .arg(out_dir)
            .current_dir(root),
    )?;
    // The rules' documentation pages, where every finding's `url` points (dist/rules/CODE/).
    cmd::run(
        "rule documentation pages",
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "layerlab",
                "--",
                "rules",
                "--site",
            ])
            .arg(out_dir)
            .current_dir(root),
    )?;
    let sizes = size::measure(out_dir)?;
    size::print(&sizes);
    Ok(sizes)
}
