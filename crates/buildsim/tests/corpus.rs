//! Every real-world Dockerfile of the shared corpus goes through both builder models without
//! panicking, and invariants hold: an unchanged build rebuilds nothing, and every instruction
//! gets exactly one row.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use layerlab_buildsim::{simulate, Builder, Change, Context, Entry, Ignore, Scenario, Status};

#[test]
fn corpus_simulates_and_an_unchanged_build_rebuilds_nothing() {
    let ignore = Ignore::none();
    let mut checked = 0;
    for path in corpus::corpus_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut context = Context::from_entries([
            ("src/main.c", Entry::file_with(b"int main;")),
            ("package.json", Entry::file_with(b"{}")),
        ]);
        context.insert("Dockerfile", Entry::file_with(text.as_bytes()));
        let instructions = layerlab_syntax::parse(&text).dockerfile.instructions.len();
        for builder in [Builder::Buildkit, Builder::Legacy] {
            let mut s = Scenario::new(&text, &context, &ignore);
            s.builder = builder;
            s.dockerfile_path = Some("Dockerfile");
            let same = simulate(&s);
            let rows = same.steps.iter().filter(|r| !r.trigger).count();
            // Instructions before the first FROM (meta ARGs) have no row.
            assert!(rows <= instructions, "{}: {rows} rows", path.display());
            let rebuilt: Vec<_> = same
                .steps
                .iter()
                .filter(|r| r.status == Status::Rebuilt)
                .collect();
            assert!(
                rebuilt.is_empty(),
                "{} ({builder:?}): unchanged build rebuilds line {}: {}",
                path.display(),
                rebuilt[0].line,
                rebuilt[0].reason
            );
            let changes = [Change::changed("src/main.c"), Change::added("new.txt")];
            let args = [("VERSION".to_owned(), "2".to_owned())];
            s.changes = &changes;
            s.build_args = &args;
            s.previous_build_args = Some(&[]);
            s.changed_bases = &[];
            let changed = simulate(&s);
            serde_json::to_string(&changed).unwrap();
        }
        checked += 1;
    }
    assert!(checked > 1000, "{checked} files");
}
