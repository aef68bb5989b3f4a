//! What the first visit downloads: every file of the built site, gzipped as a server would
//! send it. Today the page fetches all of dist/ on load (the app, the parser worker it starts
//! at once, the stylesheet, the icon), so the total is the first-load size.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, fail, Result};

/// Fail `cargo xtask test` above this many gzipped bytes.
pub const BUDGET: u64 = 600 * 1000;

pub struct Sizes {
    pub files: Vec<(PathBuf, u64, u64)>,
    pub raw: u64,
    pub gzipped: u64,
}

pub fn measure(dist: &Path) -> Result<Sizes> {
    let mut paths = Vec::new();
    collect(dist, &mut paths)?;
    paths.sort();
    let mut sizes = Sizes {
        files: Vec::new(),
        raw: 0,
        gzipped: 0,
    };
    for path in paths {
        let raw = fs::metadata(&path)?.len();
        let gzipped = gzip_len(&path)?;
        sizes.raw += raw;
        sizes.gzipped += gzipped;
        let relative = path.strip_prefix(dist).unwrap_or(&path).to_path_buf();
        sizes.files.push((relative, raw, gzipped));
    }
    if sizes.files.is_empty() {
        return fail(format!("{} is empty: nothing was built", dist.display()));
    }
    Ok(sizes)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// `gzip -9`, as static hosts precompress; std has no deflate, and gzip is on every Unix.
fn gzip_len(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .arg(path)
        .output()
        .map_err(|error| cmd::Error(format!("measuring sizes needs `gzip`: {error}")))?;
    if !out.status.success() {
        return fail(format!("gzip failed on {}", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

pub fn print(sizes: &Sizes) {
    eprintln!("first load (dist/):");
    for (path, raw, gzipped) in &sizes.files {
        eprintln!(
            "  {:>9}  {:>9} gz  {}",
            kb(*raw),
            kb(*gzipped),
            path.display()
        );
    }
    eprintln!(
        "  {:>9}  {:>9} gz  total ({} files; budget {} gz)",
        kb(sizes.raw),
        kb(sizes.gzipped),
        sizes.files.len(),
        kb(BUDGET)
    );
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_every_file_gzipped() {
        let dir = std::env::temp_dir().join(format!("xtask-size-{}", std::process::id()));
        fs::create_dir_all(dir.join("snippets")).expect("temp dir");
        fs::write(dir.join("index.html"), "<p>".repeat(1000)).expect("write");
        fs::write(dir.join("snippets").join("a.js"), "x").expect("write");
        let sizes = measure(&dir).expect("measured");
        fs::remove_dir_all(&dir).ok();

        assert_eq!(sizes.files.len(), 2);
        assert_eq!(sizes.raw, 3001);
        // Repetitive text compresses well; a one-byte file grows by gzip's header.
        assert!(sizes.files[0].2 < 100, "{:?}", sizes.files[0]);
        assert!(sizes.files[1].2 > 1);
        assert_eq!(sizes.gzipped, sizes.files[0].2 + sizes.files[1].2);
    }
}
