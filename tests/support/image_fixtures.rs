//! Where the shared image fixtures live (included with `#[path]`): archives made by skopeo
//! and umoci, each with an `.expected.json` from an independent analyzer. Not part of the
//! repository: `$LAYERLAB_SHARED/fixtures/images`, else `../shared/fixtures/images` beside the
//! checkout. Missing fixtures fail loudly: a silent skip would let CI pass without checking.

use std::path::{Path, PathBuf};

pub fn image_fixtures_dir() -> PathBuf {
    let shared = std::env::var("LAYERLAB_SHARED").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let dir = shared.join("fixtures/images");
    assert!(
        dir.is_dir(),
        "\n\n*** The image fixtures are missing at {}.\n*** Set LAYERLAB_SHARED to the shared folder.\n\n",
        dir.display()
    );
    dir
}

/// Every fixture archive that has an `.expected.json`, sorted by name.
pub fn image_fixtures() -> Vec<(PathBuf, serde_json::Value)> {
    let mut archives: Vec<PathBuf> = std::fs::read_dir(image_fixtures_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tar"))
        .collect();
    archives.sort();
    assert!(
        archives.len() >= 6,
        "the image fixtures look incomplete: {archives:?}"
    );
    archives
        .into_iter()
        .map(|archive| {
            let expected_path = PathBuf::from(format!("{}.expected.json", archive.display()));
            let text = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            let expected = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            (archive, expected)
        })
        .collect()
}
