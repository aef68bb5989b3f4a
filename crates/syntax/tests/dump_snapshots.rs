//! `buildkit_dump` (what `layerlab parse --format buildkit` prints) for every edge-case
//! fixture in `tests/cases`, as reviewed snapshots. Rejected files snapshot the error, with
//! its line and column, instead.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use layerlab_syntax::dump::buildkit_dump;
use layerlab_syntax::{parse, LineIndex};

#[test]
fn dumps_match_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parse(&text);
        let output = match parsed.buildkit_error() {
            Some(error) => {
                let at = LineIndex::new(&text).line_col(error.span.start);
                format!("error at {}:{}: {}", at.line, at.column, error.message)
            }
            None => buildkit_dump(&parsed.dockerfile),
        };
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // Long lines would make unreadable snapshots; their length is what matters.
        let output = output
            .lines()
            .map(|l| match l.char_indices().nth(300) {
                Some((cut, _)) => format!("{}… ({} bytes)", &l[..cut], l.len()),
                None => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(name, output);
    }
}
