//! The analyses over scanned layers against the shared fixtures' oracle (`expected.py`): the
//! layers' entries (and their xattrs) are rebuilt from every `*.expected.json` (no archive
//! reading here), then compared with the oracle's merged tree, merge summary and warnings,
//! totals, wasted versions, `notable` (setuid, setgid, world-writable, capabilities, secret-like
//! paths) and dive numbers. Packages need file contents the JSON lacks; `packages.rs` tests them.
//!
//! The fixtures live outside the repository (`tests/support/image_fixtures.rs` finds them);
//! missing fixtures fail loudly: a silent skip would let CI pass without checking.
#![allow(clippy::panic)]

#[path = "../../../tests/support/image_fixtures.rs"]
mod image_fixtures;

use layerlab_image::dive;
use layerlab_image::findings::{findings, FindingKind};
use layerlab_image::merge::merge;
use layerlab_image::model::{Entry, EntryKind, LayerEntries, Xattr};
use serde_json::{json, Value};

fn kind(name: &str) -> EntryKind {
    match name {
        "file" => EntryKind::File,
        "dir" => EntryKind::Dir,
        "symlink" => EntryKind::Symlink,
        "hardlink" => EntryKind::Hardlink,
        "char" => EntryKind::Char,
        "block" => EntryKind::Block,
        "fifo" => EntryKind::Fifo,
        "whiteout" => EntryKind::Whiteout,
        "opaque" => EntryKind::Opaque,
        "whiteout-meta" => EntryKind::WhiteoutMeta,
        _ => EntryKind::Other,
    }
}

fn octal(mode: &Value) -> u32 {
    u32::from_str_radix(mode.as_str().expect("mode"), 8).expect("octal mode")
}

fn layer_entries(layer: &Value) -> LayerEntries {
    let entries = layer["entries"]
        .as_array()
        .expect("entries (fixtures made without --no-entries)")
        .iter()
        .map(|e| Entry {
            path: e["path"].as_str().expect("path").into(),
            kind: kind(e["type"].as_str().expect("type")),
            typeflag: e["typeflag"]
                .as_str()
                .expect("typeflag")
                .bytes()
                .next()
                .unwrap_or(0),
            size: e["size"].as_u64().expect("size"),
            mode: octal(&e["mode"]),
            uid: e["uid"].as_u64().expect("uid") as u32,
            gid: e["gid"].as_u64().expect("gid") as u32,
            link_target: e["link_target"].as_str().map(Into::into),
        })
        .collect();
    let xattrs = layer["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(index, e)| {
            e["xattrs_hex"]
                .as_object()
                .into_iter()
                .flatten()
                .map(move |(name, hex)| Xattr {
                    entry: index,
                    name: name.as_str().into(),
                    value: unhex(hex.as_str().expect("hex")),
                })
        })
        .collect();
    LayerEntries {
        entries,
        xattrs,
        ..LayerEntries::default()
    }
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex byte"))
        .collect()
}

/// The oracle's `notable` block from our findings (its secret rule is a subset of ours, and
/// the fixtures hold nothing only ours would flag).
fn oracle_notable(found: &[layerlab_image::findings::Finding]) -> Value {
    let paths = |kind: FindingKind| -> Vec<&str> {
        found
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.path.as_str())
            .collect()
    };
    let capabilities: Vec<Value> = found
        .iter()
        .filter(|f| f.kind == FindingKind::Capability)
        .map(|f| {
            let hex = f
                .detail
                .rsplit('(')
                .next()
                .unwrap_or("")
                .trim_end_matches(')');
            json!({"path": f.path, "layer": f.layer, "value_hex": hex, "visible": f.visible})
        })
        .collect();
    let secrets: Vec<Value> = found
        .iter()
        .filter(|f| f.kind == FindingKind::SecretPath)
        .map(|f| json!({"path": f.path, "layer": f.layer, "visible": f.visible}))
        .collect();
    json!({
        "setuid": paths(FindingKind::Setuid),
        "setgid": paths(FindingKind::Setgid),
        "world_writable_files": paths(FindingKind::WorldWritable),
        "capabilities": capabilities,
        "secret_like_paths": secrets,
    })
}

/// Our merged node in the oracle's shape.
fn oracle_node(node: &layerlab_image::merge::MergedNode) -> Value {
    let mut item = json!({
        "path": node.path,
        "type": node.kind.as_str(),
        "size": node.size,
        "layer": node.layer,
        "mode": format!("{:04o}", node.mode),
    });
    if node.implicit {
        item["implicit"] = json!(true);
    }
    if let Some(target) = &node.link_target {
        item["link_target"] = json!(target);
    }
    if node.kind == EntryKind::Hardlink {
        item["resolved_size"] = json!(node.resolved_size);
    }
    item
}

#[test]
fn merge_and_dive_match_the_oracle_on_every_fixture() {
    let mut images_checked = 0;
    for (archive, expected) in image_fixtures::image_fixtures() {
        let name = archive
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        for image in expected["images"].as_array().expect("images") {
            let layers: Vec<LayerEntries> = image["layers"]
                .as_array()
                .expect("layers")
                .iter()
                .map(layer_entries)
                .collect();
            let refs: Vec<&LayerEntries> = layers.iter().collect();
            let merged = merge(&refs);
            let context = format!("{name:?}");

            let nodes: Vec<Value> = merged.nodes().map(|node| oracle_node(&node)).collect();
            assert_eq!(json!(nodes), image["merged"], "merged[] of {context}");

            let summary = &image["merged_summary"];
            assert_eq!(
                json!(merged.summary),
                *summary,
                "merged_summary of {context}"
            );
            assert_eq!(
                serde_json::to_value(&merged.warnings).expect("json"),
                image["merge_warnings"],
                "merge_warnings of {context}"
            );

            let totals = &image["totals"];
            let ours = &merged.totals;
            assert_eq!(
                json!(merged.summary.file_bytes),
                totals["merged_file_bytes"]
            );
            assert_eq!(
                json!(ours.wasted_bytes),
                totals["wasted_bytes"],
                "{context}"
            );
            assert_eq!(
                json!(ours.wasted_by_reason),
                totals["wasted_by_reason"],
                "{context}"
            );
            assert_eq!(
                json!(ours.wasted_by_layer),
                totals["wasted_by_layer"],
                "{context}"
            );
            assert_eq!(
                json!(ours.kept_only_via_hardlink_bytes),
                totals["kept_only_via_hardlink_bytes"]
            );
            assert_eq!(
                json!(ours.sized_non_file_entry_bytes),
                totals["sized_non_file_entry_bytes"]
            );
            assert_eq!(
                json!(ours.file_bytes_all_layers),
                totals["file_bytes_all_layers"]
            );
            assert_eq!(
                serde_json::to_value(&merged.wasted_versions).expect("json"),
                image["wasted_versions"],
                "wasted_versions of {context}"
            );

            let notable = &image["notable"];
            let mut want_notable = notable.clone();
            if let Some(map) = want_notable.as_object_mut() {
                map.remove("secret_like_paths_rule");
                for secret in map["secret_like_paths"]
                    .as_array_mut()
                    .into_iter()
                    .flatten()
                {
                    secret.as_object_mut().map(|s| s.remove("size"));
                }
            }
            assert_eq!(
                oracle_notable(&findings(&refs, &merged)),
                want_notable,
                "notable of {context}"
            );

            let analysis = dive::analyze(&refs);
            let want = &image["dive_compatible"];
            assert_eq!(json!(analysis.efficiency), want["Efficiency"], "{context}");
            assert_eq!(
                json!(analysis.efficiency_min_sum),
                want["efficiency_numerator_sum_min"]
            );
            assert_eq!(
                json!(analysis.efficiency_cumulative_sum),
                want["efficiency_denominator_sum_cumulative"]
            );
            assert_eq!(
                json!(analysis.wasted_bytes),
                want["WastedBytes"],
                "{context}"
            );
            assert_eq!(json!(analysis.size_bytes), want["SizeBytes"]);
            assert_eq!(json!(analysis.user_size_bytes), want["UserSizeBytes"]);
            assert_eq!(
                json!(analysis.user_wasted_percent),
                want["WastedUserPercent"],
                "{context}"
            );
            assert_eq!(json!(analysis.layer_sizes), want["layer_sizes"]);
            assert_eq!(
                serde_json::to_value(&analysis.inefficiencies).expect("json"),
                want["inefficiencies"],
                "inefficiencies of {context}"
            );
            assert_eq!(
                json!(analysis.corrected_wasted_bytes()),
                want["corrected_reclaimable_bytes_sum_C_minus_m"]
            );
            let stopped: Vec<Value> = analysis
                .stopped_early
                .iter()
                .map(|s| json!({"layer": s.layer, "error": format!("'path does not exist: {}'", s.path)}))
                .collect();
            assert_eq!(json!(stopped), want["layers_where_dive_stops_early"]);
            images_checked += 1;
        }
    }
    assert!(images_checked >= 7, "only {images_checked} images checked");
}
