//! `cargo xtask bench`: the parser's benchmarks.

use std::path::Path;
use std::process::Command;

use crate::cmd::{self, Result};

pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    cmd::run(
        "benchmarks",
        Command::new("cargo")
            .args(["bench", "-p", "layerlab-syntax"])
            .args(extra)
            .current_dir(root),
    )
}
