//! The image archive reader on arbitrary bytes: indexing, layout discovery, layer scans and
//! the report must return (problems, not panics), within the limits below.
#![no_main]

use layerlab_image::inspect::plan;
use layerlab_image::report;
use layerlab_image::scan::ScanOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bytes = data.to_vec();
    let Ok(plan) = plan(&bytes, None) else {
        return;
    };
    // Small limits keep each run fast; the logic under test is the same.
    let options = ScanOptions {
        min_tar_limit: 16 << 20,
        max_expansion_ratio: 100,
        max_entries: 100_000,
        ..ScanOptions::default()
    };
    let mut last = vec![0u64; plan.layers.len()];
    let scans = plan.scan(&bytes, &options, &mut |layer, done, total| {
        // Progress never runs backwards and never passes the blob size.
        assert!(done >= last[layer] && done <= total, "progress {done}/{total}");
        last[layer] = done;
    });
    let report = report::build(&plan, &scans);
    assert_eq!(report.layers.len(), plan.layers.len());
    for scan in scans.iter().flatten() {
        assert!(scan.blob_size <= bytes.len() as u64);
        for entry in &scan.layer.entries {
            assert!(!entry.path.starts_with('/') && !entry.path.split('/').any(|p| p == ".."));
        }
    }
    let _ = serde_json::to_string(&report);
});
