//! Every shared fixture archive (made by skopeo and umoci) against its `.expected.json`,
//! computed by an independent analyzer: formats, digests, verification, layers and entries.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "../../../tests/support/image_fixtures.rs"]
mod image_fixtures;

use layerlab_image::inspect::{plan, Plan};
use layerlab_image::layout::Check;
use layerlab_image::report;
use layerlab_image::scan::{LayerScan, ScanOptions};
use serde_json::Value;

fn str_of(v: &Value) -> Option<&str> {
    v.as_str()
}

fn format_name(expected: &str) -> &'static str {
    match expected {
        "docker-archive-legacy" => "docker-archive",
        "docker-archive-oci-layout" => "docker-archive+oci",
        "oci-archive" => "oci-archive",
        other => panic!("unknown fixture format {other}"),
    }
}

fn scan_all(plan: &Plan, bytes: &Vec<u8>) -> Vec<Option<LayerScan>> {
    plan.scan(bytes, &ScanOptions::default(), &mut |_, _, _| {})
}

/// Compares one image of a fixture.
fn check_image(
    name: &str,
    bytes: &Vec<u8>,
    platform: Option<&str>,
    image: &Value,
    format: &str,
) -> usize {
    let plan = plan(bytes, platform).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        serde_json::to_value(plan.format).unwrap(),
        format_name(format),
        "{name}: format"
    );
    assert!(
        plan.problems.is_empty(),
        "{name}: unexpected problems {:?}",
        plan.problems
    );
    assert_eq!(
        plan.config_digest.as_deref(),
        str_of(&image["config_digest"]),
        "{name}: config digest"
    );
    let expected_check =
        if format == "docker-archive-legacy" || image["checks"]["config_digest_ok"] == true {
            Check::Ok
        } else {
            Check::Mismatch
        };
    assert_eq!(plan.config_check, expected_check, "{name}: config check");
    let manifest = plan.candidate().and_then(|c| c.manifest.clone());
    assert_eq!(
        manifest.as_ref().map(|m| m.digest.as_str()),
        str_of(&image["manifest_digest"]),
        "{name}: manifest digest"
    );
    if let Some(m) = &manifest {
        assert_eq!(m.digest_check, Check::Ok, "{name}: manifest digest check");
    }
    let platform_text = plan.platform().text();
    let expected_platform = format!(
        "{}/{}",
        image["os"].as_str().unwrap(),
        image["architecture"].as_str().unwrap()
    );
    assert_eq!(platform_text, expected_platform, "{name}: platform");

    let scans = scan_all(&plan, bytes);
    let layers = image["layers"].as_array().unwrap();
    assert_eq!(plan.layers.len(), layers.len(), "{name}: layer count");
    for (job, expected) in plan.layers.iter().zip(layers) {
        let at = format!("{name} layer {}", job.index);
        let scan = scans[job.index]
            .as_ref()
            .unwrap_or_else(|| panic!("{at}: not scanned"));
        assert!(
            scan.problems.is_empty(),
            "{at}: problems {:?}",
            scan.problems
        );
        assert_eq!(
            scan.blob_digest.as_deref(),
            str_of(&expected["blob_digest"]),
            "{at}: blob digest"
        );
        assert_eq!(
            scan.blob_size,
            expected["blob_size"].as_u64().unwrap(),
            "{at}: blob size"
        );
        assert_eq!(
            scan.diff_id.as_deref(),
            str_of(&expected["diff_id"]),
            "{at}: diff_id"
        );
        assert_eq!(
            job.diff_id.as_deref(),
            str_of(&expected["diff_id"]),
            "{at}: config diff_id"
        );
        assert_eq!(
            scan.tar_size,
            expected["uncompressed_tar_size"].as_u64().unwrap(),
            "{at}: tar size"
        );
        assert_eq!(
            scan.compression.map(|c| c.as_str()),
            str_of(&expected["compression"]),
            "{at}: compression"
        );
        assert_eq!(
            job.reference.media_type.as_deref(),
            str_of(&expected["media_type"]),
            "{at}: media type"
        );
        assert_eq!(
            job.created_by.as_deref(),
            str_of(&expected["created_by"]),
            "{at}: created_by"
        );
        let entries = expected["entries"].as_array().unwrap();
        assert_eq!(scan.layer.entries.len(), entries.len(), "{at}: entry count");
        for (entry, want) in scan.layer.entries.iter().zip(entries) {
            let got = serde_json::json!({
                "path": entry.path,
                "type": entry.kind.as_str(),
                "size": entry.size,
                "mode": format!("{:04o}", entry.mode),
                "uid": entry.uid,
                "gid": entry.gid,
                "link_target": entry.link_target,
            });
            for key in ["path", "type", "size", "mode", "uid", "gid"] {
                assert_eq!(got[key], want[key], "{at}: {key} of {}", want["path"]);
            }
            if let Some(target) = want.get("link_target") {
                assert_eq!(
                    &got["link_target"], target,
                    "{at}: link target of {}",
                    want["path"]
                );
            }
        }
        let xattrs: Vec<String> = scan
            .layer
            .xattrs
            .iter()
            .map(|x| {
                let hex: String = x.value.iter().map(|b| format!("{b:02x}")).collect();
                format!("{}={}={hex}", scan.layer.entries[x.entry].path, x.name)
            })
            .collect();
        let want_xattrs: Vec<String> = entries
            .iter()
            .filter_map(|e| {
                e.get("xattrs_hex")
                    .map(|x| (e["path"].as_str().unwrap(), x))
            })
            .flat_map(|(path, x)| {
                x.as_object()
                    .unwrap()
                    .iter()
                    .map(move |(k, v)| format!("{path}={k}={}", v.as_str().unwrap()))
            })
            .collect();
        assert_eq!(xattrs, want_xattrs, "{at}: xattrs");
    }
    check_analysis(name, &plan, &scans, image);
    let history = image["history"].as_array().unwrap();
    assert_eq!(plan.history.len(), history.len(), "{name}: history length");
    for ((entry, layer), want) in plan.history.iter().zip(history) {
        assert_eq!(entry.created_by.as_deref(), str_of(&want["created_by"]));
        assert_eq!(layer.map(|l| l as u64), want["layer_index"].as_u64());
    }
    layers.len()
}

/// The merged tree, waste, dive numbers, packages and findings, from the scanned archive.
fn check_analysis(name: &str, plan: &Plan, scans: &[Option<LayerScan>], image: &Value) {
    let report = report::build(plan, scans);
    assert!(report.problems.is_empty(), "{name}: {:?}", report.problems);
    let summary = &image["merged_summary"];
    assert_eq!(
        report.merged.entries as u64,
        summary["paths"].as_u64().unwrap(),
        "{name}: merged paths"
    );
    assert_eq!(
        report.merged.files as u64,
        summary["files"].as_u64().unwrap(),
        "{name}: merged files"
    );
    assert_eq!(
        report.merged.bytes,
        summary["file_bytes"].as_u64().unwrap(),
        "{name}: merged bytes"
    );
    assert_eq!(
        report.reclaimable_bytes,
        image["totals"]["wasted_bytes"].as_u64().unwrap(),
        "{name}: reclaimable"
    );
    let dive = &image["dive_compatible"];
    assert_eq!(
        report.dive.efficiency,
        dive["Efficiency"].as_f64().unwrap(),
        "{name}: efficiency"
    );
    assert_eq!(
        report.dive.wasted_bytes,
        dive["WastedBytes"].as_u64().unwrap(),
        "{name}: dive wasted"
    );
    assert_eq!(
        report.dive.user_wasted_percent,
        dive["WastedUserPercent"].as_f64(),
        "{name}: user wasted"
    );
    assert_eq!(
        report.dive.size_bytes,
        dive["SizeBytes"].as_u64().unwrap(),
        "{name}: dive size"
    );

    let mut packages: Vec<(String, String, Option<String>)> = report
        .packages
        .iter()
        .map(|p| (p.manager.to_string(), p.name.clone(), p.version.clone()))
        .collect();
    packages.sort();
    let mut expected = Vec::new();
    for (manager, db) in image["packages"].as_object().unwrap() {
        for package in db["packages"].as_array().unwrap() {
            expected.push((
                manager.clone(),
                package["name"].as_str().unwrap().to_string(),
                package["version"].as_str().map(str::to_string),
            ));
        }
    }
    expected.sort();
    assert_eq!(packages, expected, "{name}: packages");

    let found = |kind: &str| -> Vec<String> {
        let mut paths: Vec<String> = report
            .findings
            .iter()
            .filter(|f| serde_json::to_value(f.kind).unwrap() == kind && f.visible)
            .map(|f| f.path.clone())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    };
    let notable = &image["notable"];
    let list = |key: &str| -> Vec<String> {
        let mut paths: Vec<String> = notable[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v.as_str()
                    .map_or_else(|| v["path"].as_str().unwrap().to_string(), str::to_string)
            })
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(found("setuid"), list("setuid"), "{name}: setuid");
    assert_eq!(found("setgid"), list("setgid"), "{name}: setgid");
    assert_eq!(
        found("capability"),
        list("capabilities"),
        "{name}: capabilities"
    );
    assert_eq!(
        found("secret-path"),
        list("secret_like_paths"),
        "{name}: secret paths"
    );
    // The fixture's fake AWS keys in app/.env are found by content too.
    assert!(
        report
            .findings
            .iter()
            .any(|f| serde_json::to_value(f.kind).unwrap() == "secret-token"),
        "{name}: no secret token found"
    );
}

#[test]
fn every_fixture_matches_its_expected_json() {
    let mut layers_checked = 0;
    for (path, expected) in image_fixtures::image_fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let format = expected["format"].as_str().unwrap();
        let images = expected["images"].as_array().unwrap();
        for image in images {
            let platform = format!(
                "{}/{}",
                image["os"].as_str().unwrap(),
                image["architecture"].as_str().unwrap()
            );
            let platform = (images.len() > 1).then_some(platform.as_str());
            layers_checked += check_image(&name, &bytes, platform, image, format);
        }
    }
    // 6 archives, one of them with two images, 4 layers each.
    assert_eq!(layers_checked, 28);
}
