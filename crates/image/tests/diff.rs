//! Image diffs between archives built in-test: shared layers, added, removed and changed
//! files, content compared by fingerprint.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_image::diff::{diff, ImageDiff, Side};
use layerlab_image::inspect::plan;
use layerlab_image::model::LayerEntries;
use layerlab_image::report;
use layerlab_image::scan::ScanOptions;
use support::archives::{layer_tar, oci_archive};

fn diff_archives(a: &Vec<u8>, b: &Vec<u8>) -> ImageDiff {
    let options = ScanOptions {
        content_hashes: true,
        ..ScanOptions::default()
    };
    let inspect = |bytes: &Vec<u8>| {
        let plan = plan(bytes, None).unwrap();
        let scans = plan.scan(bytes, &options, &mut |_, _, _| {});
        let analysis = report::analyze(&plan, &scans);
        (scans, analysis)
    };
    let (scans_a, analysis_a) = inspect(a);
    let (scans_b, analysis_b) = inspect(b);
    let layers_a: Vec<&LayerEntries> = scans_a.iter().map(|s| &s.as_ref().unwrap().layer).collect();
    let layers_b: Vec<&LayerEntries> = scans_b.iter().map(|s| &s.as_ref().unwrap().layer).collect();
    diff(
        &Side {
            report: &analysis_a.report,
            merged: &analysis_a.merged,
            layers: &layers_a,
        },
        &Side {
            report: &analysis_b.report,
            merged: &analysis_b.merged,
            layers: &layers_b,
        },
    )
}

fn paths(files: &[layerlab_image::diff::FileDiff]) -> Vec<&str> {
    files.iter().map(|f| &*f.path).collect()
}

#[test]
fn a_rebuilt_top_layer_shows_exactly_what_changed() {
    let base = layer_tar(&[("etc/", b""), ("etc/os-release", b"debian\n")]);
    let app_v1 = layer_tar(&[
        ("app/", b""),
        ("app/main.py", b"print(1)\n"),
        ("app/same.txt", b"unchanged\n"),
        ("app/old.txt", b"bye\n"),
    ]);
    let app_v2 = layer_tar(&[
        ("app/", b""),
        ("app/main.py", b"print(2)\n"),
        ("app/same.txt", b"unchanged\n"),
        ("app/new.txt", b"hello\n"),
    ]);
    let a = oci_archive(&[base.clone(), app_v1], |_, _| {});
    let b = oci_archive(&[base, app_v2], |_, _| {});
    let result = diff_archives(&a, &b);
    assert_eq!(result.shared_layers.len(), 1);
    assert_eq!(
        (result.only_in_first.len(), result.only_in_second.len()),
        (1, 1)
    );
    assert_eq!(paths(&result.added), ["app/new.txt"]);
    assert_eq!(paths(&result.removed), ["app/old.txt"]);
    // main.py has the same size but new content; same.txt was rewritten identically.
    assert_eq!(paths(&result.changed), ["app/main.py"]);
    assert_eq!(result.changed[0].what, ["content"]);
    assert_eq!(result.size_delta, 6 - 4);
}

#[test]
fn an_image_against_itself_has_no_changes() {
    let a = oci_archive(&[layer_tar(&[("x", b"1")])], |_, _| {});
    let result = diff_archives(&a, &a);
    assert!(result.added.is_empty() && result.removed.is_empty() && result.changed.is_empty());
    assert_eq!(result.shared_layers.len(), 1);
}
