//! Hostile and broken archives, built in-test with the `tar` crate (an independent writer):
//! each gets a clear problem or error, the rest of the analysis goes on, nothing panics.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use layerlab_image::compress::sha256_digest;
use layerlab_image::inspect::{plan, Plan};
use layerlab_image::layout::Check;
use layerlab_image::model::{EntryKind, Severity};
use layerlab_image::report::{self, Report};
use layerlab_image::scan::{LayerScan, ScanOptions};
use serde_json::json;
use support::archives::{blob_path, gzip, layer_tar, noise, oci_archive, oci_archive_with, Outer};

fn inspect_bytes(bytes: &Vec<u8>, options: &ScanOptions) -> (Plan, Vec<Option<LayerScan>>, Report) {
    let plan = plan(bytes, None).unwrap_or_else(|e| panic!("plan failed: {e}"));
    let scans = plan.scan(bytes, options, &mut |_, _, _| {});
    let report = report::build(&plan, &scans);
    (plan, scans, report)
}

fn messages(report: &Report, severity: Severity) -> Vec<String> {
    report
        .problems
        .iter()
        .filter(|p| p.severity == severity)
        .map(|p| p.message.clone())
        .collect()
}

fn two_layers() -> Vec<Vec<u8>> {
    vec![
        layer_tar(&[("etc/", b""), ("etc/hostname", b"box\n")]),
        layer_tar(&[("app/", b""), ("app/main.py", b"print('hi')\n")]),
    ]
}

#[test]
fn a_well_formed_archive_verifies_cleanly() {
    let bytes = oci_archive(&two_layers(), |_, _| {});
    let (_, _, report) = inspect_bytes(&bytes, &ScanOptions::default());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.verified.config, Check::Ok);
    assert_eq!(report.verified.manifest, Check::Ok);
    for layer in &report.layers {
        assert_eq!(
            (layer.verified.digest, layer.verified.diff_id),
            (Check::Ok, Check::Ok)
        );
    }
}

#[test]
fn a_tampered_layer_is_a_mismatch_with_both_digests() {
    let layers = two_layers();
    let bytes = oci_archive(&layers, |manifest, _| {
        manifest["layers"][1]["digest"] = json!(format!("sha256:{}", "ab".repeat(32)));
    });
    let (_, _, report) = inspect_bytes(&bytes, &ScanOptions::default());
    // The blob is then missing under its claimed name: reported, and layer 0 still verified.
    let errors = messages(&report, Severity::Error);
    assert!(errors.iter().any(|m| m.contains("missing")), "{errors:?}");
    assert_eq!(report.layers[0].verified.digest, Check::Ok);

    let bytes = oci_archive(&layers, |manifest, _| {
        manifest["layers"][0]["size"] = json!(3);
    });
    let (_, _, report) = inspect_bytes(&bytes, &ScanOptions::default());
    assert_eq!(report.layers[0].verified.digest, Check::Mismatch);
    assert!(messages(&report, Severity::Error)
        .iter()
        .any(|m| m.contains("size mismatch")));
}

#[test]
fn a_diff_id_mismatch_names_both_digests() {
    let bytes = oci_archive(&two_layers(), |_, _| {});
    // Rewrite the diff_id inside the config (same length: the tar stays valid).
    let diff0 = sha256_digest(&two_layers()[0]);
    let at = bytes
        .windows(diff0.len())
        .position(|w| w == diff0.as_bytes())
        .unwrap();
    let mut tampered = bytes.clone();
    tampered[at..at + diff0.len()]
        .copy_from_slice(format!("sha256:{}", "cd".repeat(32)).as_bytes());
    let (_, _, report) = inspect_bytes(&tampered, &ScanOptions::default());
    // The config no longer matches its digest either: both are reported, analysis goes on.
    assert_eq!(report.verified.config, Check::Mismatch);
    assert_eq!(report.layers[0].verified.diff_id, Check::Mismatch);
    assert_eq!(report.layers[1].verified.diff_id, Check::Ok);
    let errors = messages(&report, Severity::Error);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("diff_id mismatch") && m.contains(&diff0)),
        "{errors:?}"
    );
}

#[test]
fn a_corrupt_gzip_layer_still_gets_its_blob_digest() {
    let layers = vec![layer_tar(&[("big.bin", &vec![7u8; 100_000])])];
    let mut bytes = oci_archive(&layers, |_, _| {});
    // Flip bytes in the middle of the gzip member (the last member before the end blocks).
    let blob = gzip(&layers[0]);
    let at = bytes
        .windows(blob.len())
        .position(|w| w == blob.as_slice())
        .unwrap();
    for b in &mut bytes[at + 40..at + 60] {
        *b ^= 0x5a;
    }
    let (_, scans, report) = inspect_bytes(&bytes, &ScanOptions::default());
    let scan = scans[0].as_ref().unwrap();
    assert!(scan.blob_digest.is_some());
    assert_eq!(scan.diff_id, None);
    assert_eq!(report.layers[0].verified.digest, Check::Mismatch);
    assert_eq!(report.layers[0].verified.diff_id, Check::Unchecked);
    assert!(!messages(&report, Severity::Error).is_empty());
}

#[test]
fn a_truncated_archive_is_reported_and_the_metadata_still_read() {
    let layers = vec![
        layer_tar(&[("a", &noise(50_000, 1))]),
        layer_tar(&[("b", &noise(50_000, 2))]),
    ];
    let bytes = oci_archive(&layers, |_, _| {});
    let cut = bytes[..bytes.len() - 20_000].to_vec();
    let plan = plan(&cut, None).unwrap();
    assert!(plan
        .problems
        .iter()
        .any(|p| p.message.contains("truncated") || p.message.contains("damaged")));
    let scans = plan.scan(&cut, &ScanOptions::default(), &mut |_, _, _| {});
    let report = report::build(&plan, &scans);
    assert_eq!(report.layers.len(), 2);
    assert_eq!(report.layers[0].verified.diff_id, Check::Ok);
}

#[test]
fn a_decompression_bomb_is_stopped() {
    let layers = vec![layer_tar(&[("zeros", &vec![0u8; 4 << 20])])];
    let bytes = oci_archive(&layers, |_, _| {});
    let options = ScanOptions {
        min_tar_limit: 1 << 20,
        max_expansion_ratio: 10,
        ..ScanOptions::default()
    };
    let (_, scans, report) = inspect_bytes(&bytes, &options);
    let scan = scans[0].as_ref().unwrap();
    assert!(
        scan.tar_size <= (1 << 20) + (256 << 10),
        "stopped near the limit: {}",
        scan.tar_size
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("decompression bomb")),
        "{:?}",
        report.problems
    );
}

#[test]
fn an_index_cycle_is_reported_and_not_followed_forever() {
    // Digests make a true cycle impossible, but a blob stored under a name its content does
    // not hash to can point back at itself.
    let name = format!("sha256:{}", "ee".repeat(32));
    let looping = json!({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": name, "size": 1}
    ]});
    let mut outer = Outer::new();
    outer
        .add("oci-layout", b"{}".to_vec())
        .add("index.json", serde_json::to_vec(&looping).unwrap())
        .add(&blob_path(&name), serde_json::to_vec(&looping).unwrap());
    let bytes = outer.build();
    let archive = layerlab_image::archive::Archive::index(&bytes).unwrap();
    let layout = layerlab_image::layout::discover(&archive, &bytes).unwrap();
    assert!(layout.candidates.is_empty());
    let problems: Vec<&str> = layout.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(problems.iter().any(|m| m.contains("cycle")), "{problems:?}");
    assert!(
        problems.iter().any(|m| m.contains("digest mismatch")),
        "{problems:?}"
    );
    let err = plan(&bytes, None).expect_err("no image in there");
    assert!(err.0.contains("no image"), "{err}");
}

#[test]
fn garbage_json_and_missing_blobs_are_clear_errors() {
    let mut outer = Outer::new();
    outer
        .add("oci-layout", b"{}".to_vec())
        .add("index.json", b"{\"manifests\": [1, 2".to_vec());
    let bytes = outer.build();
    let err = plan(&bytes, None).expect_err("no image");
    assert!(err.0.contains("no image"), "{err}");

    let bytes = oci_archive(&two_layers(), |manifest, _| {
        manifest["config"]["digest"] = json!(format!("sha256:{}", "00".repeat(32)));
    });
    let plan = plan(&bytes, None).unwrap();
    assert!(plan
        .problems
        .iter()
        .any(|p| p.severity == Severity::Error && p.message.contains("missing")));

    let not_an_image = Outer::new().add("hello.txt", b"hi".to_vec()).build();
    let err = layerlab_image::inspect::plan(&not_an_image, None).expect_err("not an image");
    assert!(
        err.0.contains("neither manifest.json nor index.json"),
        "{err}"
    );
    let err =
        layerlab_image::inspect::plan(&b"not a tar at all".to_vec(), None).expect_err("not a tar");
    assert!(
        err.0.contains("not a tar archive") || err.0.contains("neither"),
        "{err}"
    );
}

#[test]
fn traversal_absolute_and_non_utf8_names_are_warned_and_clamped() {
    let mut builder = tar::Builder::new(Vec::new());
    for name in [&b"../../etc/evil"[..], b"/abs/file", b"caf\xe9.txt"] {
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_mode(0o644);
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_cksum();
        builder.append(&header, &b"x"[..]).unwrap();
    }
    let layer = builder.into_inner().unwrap();
    let bytes = oci_archive(&[layer], |_, _| {});
    let (_, scans, report) = inspect_bytes(&bytes, &ScanOptions::default());
    let paths: Vec<&str> = scans[0]
        .as_ref()
        .unwrap()
        .layer
        .entries
        .iter()
        .map(|e| &*e.path)
        .collect();
    assert_eq!(paths, ["etc/evil", "abs/file", "caf\u{fffd}.txt"]);
    let warnings = messages(&report, Severity::Warning).join("\n");
    assert!(warnings.contains("path traversal"), "{warnings}");
    assert!(warnings.contains("absolute"), "{warnings}");
    assert!(warnings.contains("not UTF-8"), "{warnings}");
}

#[test]
fn outer_gzip_and_zstd_wrappers_give_the_same_report() {
    let bytes = oci_archive(&two_layers(), |_, _| {});
    let (_, _, plain) = inspect_bytes(&bytes, &ScanOptions::default());
    let gz = gzip(&bytes);
    let (plan_gz, _, wrapped) = inspect_bytes(&gz, &ScanOptions::default());
    assert!(!plan_gz.archive.is_random_access());
    assert_eq!(plain, wrapped);
    let zst = ruzstd::encoding::compress_to_vec(
        bytes.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let (_, _, wrapped) = inspect_bytes(&zst, &ScanOptions::default());
    assert_eq!(plain, wrapped);
}

#[test]
fn a_layer_of_200000_files_is_listed() {
    let mut builder = tar::Builder::new(Vec::new());
    for i in 0..200_000u32 {
        let mut header = tar::Header::new_gnu();
        header.set_size(0);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, format!("d{}/f{i}", i % 100), &[][..])
            .unwrap();
    }
    let layer = builder.into_inner().unwrap();
    let scan = layerlab_image::scan::scan_layer(
        layer.as_slice(),
        layer.len() as u64,
        &ScanOptions::default(),
        &mut |_| {},
    );
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    assert_eq!(scan.diff_id, Some(sha256_digest(&layer)));
    assert_eq!(scan.layer.entries.len(), 200_000);
    assert!(scan.layer.entries.iter().all(|e| e.kind == EntryKind::File));
}

#[test]
fn docker25_manifest_json_disagreeing_with_index_json_is_reported() {
    let layers = two_layers();
    let bytes = oci_archive(&layers, |manifest, outer| {
        let config = manifest["config"]["digest"].as_str().unwrap().to_string();
        let layer_paths: Vec<String> = manifest["layers"]
            .as_array()
            .unwrap()
            .iter()
            .rev() // the wrong order, as some Docker versions wrote it
            .map(|l| blob_path(l["digest"].as_str().unwrap()))
            .collect();
        let docker =
            json!([{"Config": blob_path(&config), "RepoTags": ["demo:1"], "Layers": layer_paths}]);
        outer.add("manifest.json", serde_json::to_vec(&docker).unwrap());
    });
    let (plan, _, report) = inspect_bytes(&bytes, &ScanOptions::default());
    assert_eq!(
        serde_json::to_value(plan.format).unwrap(),
        "docker-archive+oci"
    );
    assert_eq!(report.repo_tags, ["demo:1"]);
    let errors = messages(&report, Severity::Error);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("manifest.json item 0") && m.contains("differ")),
        "{errors:?}"
    );
}

#[test]
fn platform_choice_lists_what_is_there() {
    let bytes = oci_archive(&two_layers(), |_, _| {});
    let err = plan(&bytes, Some("linux/s390x")).expect_err("no such platform");
    assert!(err.0.contains("linux/amd64"), "{err}");
}

#[test]
fn symlink_loops_and_enormous_json_are_named() {
    // A legacy archive whose layer is a symlink loop, and whose config is a 17 MiB JSON.
    let mut builder = tar::Builder::new(Vec::new());
    let manifest = json!([{"Config": "config.json", "RepoTags": [], "Layers": ["a/layer.tar"]}]);
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let mut header = tar::Header::new_ustar();
    header.set_size(manifest.len() as u64);
    builder
        .append_data(&mut header, "manifest.json", manifest.as_slice())
        .unwrap();
    for (link, target) in [
        ("a/layer.tar", "../b/layer.tar"),
        ("b/layer.tar", "../a/layer.tar"),
    ] {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        builder.append_link(&mut header, link, target).unwrap();
    }
    let mut big = b"{\"pad\": \"".to_vec();
    big.resize(17 << 20, b'x');
    big.extend_from_slice(b"\"}");
    let mut header = tar::Header::new_ustar();
    header.set_size(big.len() as u64);
    builder
        .append_data(&mut header, "config.json", big.as_slice())
        .unwrap();
    let bytes = builder.into_inner().unwrap();
    let plan = plan(&bytes, None).unwrap();
    let messages: Vec<&str> = plan.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("symlink loop")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("config.json") && m.contains("limit")),
        "{messages:?}"
    );
}

#[test]
fn artifacts_are_listed_not_applied() {
    let empty = b"{}".to_vec();
    let artifact = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha256_digest(&empty), "size": 2},
        "layers": []
    }))
    .unwrap();
    let descriptor = json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": sha256_digest(&artifact), "size": artifact.len(),
    });
    let empty_blob = blob_path(&sha256_digest(&empty));
    let bytes = oci_archive_with(
        &two_layers(),
        |_, outer| {
            outer.add(&empty_blob, empty.clone());
        },
        vec![(descriptor, artifact)],
    );
    let (plan, _, report) = inspect_bytes(&bytes, &ScanOptions::default());
    assert_eq!(plan.candidates.len(), 2);
    assert!(plan.candidate().is_some_and(|c| !c.is_artifact()));
    assert_eq!(report.platforms, ["linux/amd64"]);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("application/vnd.oci.empty.v1+json")),
        "{:?}",
        report.problems
    );
}
