//! `cargo xtask <task>`: the project's own tasks, in Rust so they run wherever cargo does.
//!
//! - `serve [trunk args]`: install what is missing, then build and serve the web app on
//!   http://127.0.0.1:8080 (rebuilds on change; reload the page yourself).
//! - `test`: everything CI checks, in order, stopping at the first failure.
//! - `dist`: release build of the static site into dist/, with its size.
//! - `bench [args]`: the parser's benchmarks.

mod bench;
mod cmd;
mod setup;
mod size;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cmd::{fail, Result};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  serve [ARGS]  build the web app and serve it on http://127.0.0.1:8080 (ARGS go to trunk serve)
  test          fmt, clippy, native + wasm + end-to-end tests, release build and size budget
  dist          release build of the static site into dist/
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
        "dist" => dist(&root, &setup::web_toolchain(&root)?).map(|_| ()),
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

/// Builds dist/ for release and prints what a first visit downloads.
pub fn dist(root: &Path, tools: &setup::Tools) -> Result<size::Sizes> {
    cmd::run(
        "release build of the web app",
        tools
            .command("trunk")
            .args(["build", "--release"])
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
            .arg(root.join("dist"))
            .current_dir(root),
    )?;
    let sizes = size::measure(&root.join("dist"))?;
    size::print(&sizes);
    Ok(sizes)
}
