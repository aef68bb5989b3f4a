//! What the first visit downloads: the files of the built site, gzipped as a server would
//! send them. The page loads the app, the parser worker it starts at once, the stylesheet and
//! the icon; files fetched only when a feature is used (the rule pages, workers started on
//! demand) are listed under `ON_DEMAND` and shown apart, outside the budget.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, fail, Result};

/// Fail `cargo xtask test` above this many gzipped bytes of first load.
pub const BUDGET: u64 = 600 * 1000;

/// Path prefixes (relative to dist/) of files the first visit does not fetch. A worker started
/// only when its feature is used belongs here (its loader, glue and wasm): the e2e tests check
/// that the first visit requests none of them.
pub const ON_DEMAND: &[&str] = &[
    "rules/",
    // Embedding (public/embed.js, the docs page embed.html and its stylesheet): fetched by
    // pages that embed the app, never by the app itself.
    "embed.js",
    "embed.html",
    "embed_page.css",
    // The single-file build (`cargo xtask dist --single-file`), when written into dist/.
    "layerlab.html",
    // The cache simulator's worker (web/src/bin/sim_worker.rs), started when its panel opens.
    "sim_worker",
    // The image explorer's worker: image_worker_loader.js, image_worker.js and its wasm.
    "image_worker",
    // The image explorer view itself: image_view_loader.js, image_view.js and its wasm.
    "image_view",
];

pub struct Sizes {
    /// First-load files: (path, raw, gzipped).
    pub files: Vec<(PathBuf, u64, u64)>,
    pub raw: u64,
    pub gzipped: u64,
    /// Files fetched on demand: (path, raw, gzipped).
    pub on_demand: Vec<(PathBuf, u64, u64)>,
}

pub fn is_on_demand(relative: &Path) -> bool {
    let text = relative.to_string_lossy().replace('\\', "/");
    ON_DEMAND.iter().any(|prefix| text.starts_with(prefix))
}

pub fn measure(dist: &Path) -> Result<Sizes> {
    let mut paths = Vec::new();
    collect(dist, &mut paths)?;
    paths.sort();
    let mut sizes = Sizes {
        files: Vec::new(),
        raw: 0,
        gzipped: 0,
        on_demand: Vec::new(),
    };
    for path in paths {
        let raw = fs::metadata(&path)?.len();
        let gzipped = gzip_len(&path)?;
        let relative = path.strip_prefix(dist).unwrap_or(&path).to_path_buf();
        if is_on_demand(&relative) {
            sizes.on_demand.push((relative, raw, gzipped));
            continue;
        }
        sizes.raw += raw;
        sizes.gzipped += gzipped;
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
    if !sizes.on_demand.is_empty() {
        let (raw, gzipped) = sizes
            .on_demand
            .iter()
            .fold((0, 0), |(r, g), (_, raw, gz)| (r + raw, g + gz));
        eprintln!("on demand (not in the first load):");
        for (path, raw, gzipped) in sizes
            .on_demand
            .iter()
            .filter(|(p, _, _)| !p.starts_with("rules"))
        {
            eprintln!(
                "  {:>9}  {:>9} gz  {}",
                kb(*raw),
                kb(*gzipped),
                path.display()
            );
        }
        eprintln!(
            "  {:>9}  {:>9} gz  total ({} files, rule pages included)",
            kb(raw),
            kb(gzipped),
            sizes.on_demand.len()
        );
    }
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
        fs::create_dir_all(dir.join("rules/DL3008")).expect("temp dir");
        fs::write(dir.join("rules/DL3008/index.html"), "rule").expect("write");
        let sizes = measure(&dir).expect("measured");
        fs::remove_dir_all(&dir).ok();

        assert_eq!(sizes.files.len(), 2);
        assert_eq!(sizes.raw, 3001);
        // Rule pages are fetched on demand: listed apart, outside the first load.
        assert_eq!(sizes.on_demand.len(), 1);
        // Repetitive text compresses well; a one-byte file grows by gzip's header.
        assert!(sizes.files[0].2 < 100, "{:?}", sizes.files[0]);
        assert!(sizes.files[1].2 > 1);
        assert_eq!(sizes.gzipped, sizes.files[0].2 + sizes.files[1].2);
    }
}
