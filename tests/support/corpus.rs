//! Where the shared real-world Dockerfile corpus lives, for every crate's tests (included with
//! `#[path]`). The corpus is not part of the repository: `$LAYERLAB_CORPUS`, else
//! `$LAYERLAB_SHARED/corpus/dockerfiles`, else `../shared/corpus/dockerfiles` beside the
//! checkout. A missing corpus fails loudly: a silent skip would let CI pass without checking.

use std::path::{Path, PathBuf};

pub fn corpus_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("LAYERLAB_CORPUS") {
        return PathBuf::from(dir);
    }
    let shared = std::env::var("LAYERLAB_SHARED").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let dir = shared.join("corpus/dockerfiles");
    assert!(
        dir.is_dir(),
        "\n\n*** The Dockerfile corpus is missing at {}.\n*** Set LAYERLAB_CORPUS (or LAYERLAB_SHARED) to the shared corpus.\n\n",
        dir.display()
    );
    dir
}

/// Every corpus file, sorted by name.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    files.sort();
    assert!(
        files.len() > 1000,
        "the corpus looks truncated: {} files",
        files.len()
    );
    files
}
