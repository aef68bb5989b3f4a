//! `LayerScan::encode`/`decode` over real scans: every layer of every shared fixture archive,
//! scanned as the browser's image worker scans it (content fingerprints on), comes back
//! unchanged, and the report built from the decoded scans is the report built from the
//! originals. Damaged encodings of a real scan are errors, never panics.
#![allow(clippy::panic)]

#[path = "../../../tests/support/image_fixtures.rs"]
mod image_fixtures;

use layerlab_image::inspect;
use layerlab_image::report;
use layerlab_image::scan::{LayerScan, ScanOptions};

fn options() -> ScanOptions {
    ScanOptions {
        content_hashes: true,
        ..ScanOptions::default()
    }
}

fn scans_of(bytes: &Vec<u8>) -> (inspect::Plan, Vec<Option<LayerScan>>) {
    let plan = inspect::plan(bytes, None).unwrap_or_else(|e| panic!("plan: {e}"));
    let scans = plan.scan(bytes, &options(), &mut |_, _, _| {});
    (plan, scans)
}

#[test]
fn fixture_scans_round_trip() {
    let (mut entries, mut captured, mut xattrs, mut tokens, mut problems) = (0, 0, 0, 0, 0);
    for (archive, _) in image_fixtures::image_fixtures() {
        let bytes =
            std::fs::read(&archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
        let (plan, scans) = scans_of(&bytes);
        let mut decoded_scans = Vec::new();
        for (layer, scan) in scans.iter().enumerate() {
            let Some(scan) = scan else {
                decoded_scans.push(None);
                continue;
            };
            let encoded = scan.encode();
            let decoded = LayerScan::decode(&encoded)
                .unwrap_or_else(|e| panic!("{} layer {layer}: {e}", archive.display()));
            assert_eq!(&decoded, scan, "{} layer {layer}", archive.display());
            let layer_entries = &scan.layer;
            entries += layer_entries.entries.len();
            captured += layer_entries.captured.len();
            xattrs += layer_entries.xattrs.len();
            tokens += layer_entries.token_hits.len();
            problems += scan.problems.len();
            assert_eq!(
                layer_entries.content_hashes.len(),
                layer_entries.entries.len()
            );
            decoded_scans.push(Some(decoded));
        }
        let original = report::analyze(&plan, &scans);
        let rebuilt = report::analyze(&plan, &decoded_scans);
        assert_eq!(
            serde_json::to_string(&original.report).ok(),
            serde_json::to_string(&rebuilt.report).ok(),
            "{}: the same report from decoded scans",
            archive.display()
        );
    }
    // The fixtures exercise the optional parts of a scan, not just entries.
    assert!(entries > 100, "{entries} entries");
    assert!(captured > 0, "captured package files");
    assert!(xattrs > 0, "xattrs (file capabilities)");
    assert!(tokens > 0, "secret token hits");
    eprintln!("{entries} entries, {captured} captured, {xattrs} xattrs, {tokens} token hits, {problems} problems");
}

#[test]
fn damaged_real_scans_are_errors_not_panics() {
    let archive = image_fixtures::image_fixtures_dir().join("demo.oci.tar");
    let bytes = std::fs::read(&archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let (_, scans) = scans_of(&bytes);
    let scan = scans
        .iter()
        .flatten()
        .max_by_key(|scan| scan.layer.entries.len())
        .unwrap_or_else(|| panic!("no scanned layer"));
    let encoded = scan.encode();
    for len in (0..encoded.len()).step_by(7) {
        assert!(LayerScan::decode(&encoded[..len]).is_err(), "cut at {len}");
    }
    // Flip bits all over it: each result is an error or some scan, and nothing panics.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..5_000 {
        let mut damaged = encoded.clone();
        for _ in 0..3 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let index = (state % damaged.len() as u64) as usize;
            damaged[index] ^= 1 << (state >> 61);
        }
        let _ = LayerScan::decode(&damaged);
    }
}
