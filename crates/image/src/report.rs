//! The stable result of `layerlab inspect` (and the browser's image explorer): what the
//! archive is, what each layer holds, whether every digest checked out, and what went wrong.
//! Field names are a public contract (documented in the README); add, never rename.

use serde::Serialize;

use crate::inspect::Plan;
use crate::layout::{Check, Format, Platform};
use crate::model::Problem;
use crate::scan::LayerScan;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verified {
    pub digest: Check,
    pub diff_id: Check,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerReport {
    pub index: usize,
    /// The blob digest as the manifest names it (computed when no manifest names it).
    pub digest: Option<String>,
    /// The diff_id the config lists for this layer.
    pub diff_id: Option<String>,
    pub media_type: Option<String>,
    /// `gzip`, `zstd` or `none`, from the blob's magic bytes.
    pub compression: Option<&'static str>,
    pub compressed_size: u64,
    /// Uncompressed tar bytes.
    pub size: u64,
    pub entries: usize,
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
    pub created_by: Option<String>,
    pub verified: Verified,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryReport {
    pub created_by: Option<String>,
    pub empty_layer: bool,
    pub created: Option<String>,
    /// The layer this step wrote (None for `empty_layer` steps).
    pub layer: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ManifestVerified {
    pub config: Check,
    pub manifest: Check,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub format: Format,
    pub platform: String,
    /// Every image platform in the archive, in index order.
    pub platforms: Vec<String>,
    pub repo_tags: Vec<String>,
    /// The config's sha256, which is the image ID.
    pub config_digest: Option<String>,
    pub manifest_digest: Option<String>,
    pub verified: ManifestVerified,
    pub layers: Vec<LayerReport>,
    pub history: Vec<HistoryReport>,
    pub problems: Vec<Problem>,
}

fn check(expected: Option<&str>, actual: Option<&str>) -> Check {
    match (expected, actual) {
        (Some(e), Some(a)) if e.starts_with("sha256:") => {
            if e == a {
                Check::Ok
            } else {
                Check::Mismatch
            }
        }
        _ => Check::Unchecked,
    }
}

/// Builds the report from the plan and the per-layer scans (indexed like `plan.layers`;
/// `None` for layers not scanned — duplicates take their twin's scan).
pub fn build(plan: &Plan, scans: &[Option<LayerScan>]) -> Report {
    let mut problems: Vec<Problem> = plan.problems.clone();
    let scan_of = |index: usize| -> Option<&LayerScan> {
        let job = plan.layers.get(index)?;
        scans.get(job.same_as.unwrap_or(index))?.as_ref()
    };
    let mut layers = Vec::with_capacity(plan.layers.len());
    for job in &plan.layers {
        let scan = scan_of(job.index);
        let claimed = job.reference.digest.clone();
        let computed = scan.and_then(|s| s.blob_digest.clone());
        let mut digest_check = check(claimed.as_deref(), computed.as_deref());
        let diff_check = check(
            job.diff_id.as_deref(),
            scan.and_then(|s| s.diff_id.as_deref()),
        );
        if let (Some(scan), Some(size)) = (scan, job.reference.size) {
            if scan.blob_size != size {
                problems.push(Problem::error(format!(
                    "layer {}: size mismatch: the manifest says {size} bytes, the blob has {}",
                    job.index, scan.blob_size
                )));
                digest_check = Check::Mismatch;
            }
        }
        if digest_check == Check::Mismatch
            && claimed.is_some()
            && computed.is_some()
            && computed != claimed
        {
            problems.push(Problem::error(format!(
                "layer {}: blob digest mismatch: the manifest says {}, the content is {}",
                job.index,
                claimed.as_deref().unwrap_or_default(),
                computed.as_deref().unwrap_or_default()
            )));
        }
        if diff_check == Check::Mismatch {
            problems.push(Problem::error(format!(
                "layer {}: diff_id mismatch: the config says {}, the uncompressed layer is {}",
                job.index,
                job.diff_id.as_deref().unwrap_or_default(),
                scan.and_then(|s| s.diff_id.as_deref()).unwrap_or_default()
            )));
        }
        if job.same_as.is_none() {
            for problem in scan.map(|s| s.problems.as_slice()).unwrap_or_default() {
                problems.push(problem.in_layer(job.index));
            }
        }
        layers.push(LayerReport {
            index: job.index,
            digest: claimed.or(computed),
            diff_id: job.diff_id.clone(),
            media_type: job.reference.media_type.clone(),
            compression: scan.and_then(|s| s.compression).map(|c| c.as_str()),
            compressed_size: scan.map_or(0, |s| s.blob_size),
            size: scan.map_or(0, |s| s.tar_size),
            entries: scan.map_or(0, |s| s.layer.entries.len()),
            added: 0,
            modified: 0,
            removed: 0,
            created_by: job.created_by.clone(),
            verified: Verified {
                digest: digest_check,
                diff_id: diff_check,
            },
        });
    }
    let candidate = plan.candidate();
    Report {
        format: plan.format,
        platform: plan.platform().text(),
        platforms: plan
            .candidates
            .iter()
            .filter(|c| !c.is_artifact())
            .map(|c| {
                c.platform
                    .as_ref()
                    .map_or_else(|| plan.platform().text(), Platform::text)
            })
            .collect(),
        repo_tags: candidate.map(|c| c.repo_tags.clone()).unwrap_or_default(),
        config_digest: plan.config_digest.clone(),
        manifest_digest: candidate
            .and_then(|c| c.manifest.as_ref())
            .map(|m| m.digest.clone()),
        verified: ManifestVerified {
            config: plan.config_check,
            manifest: candidate
                .and_then(|c| c.manifest.as_ref())
                .map_or(Check::Unchecked, |m| m.digest_check),
        },
        layers,
        history: plan
            .history
            .iter()
            .map(|(h, layer)| HistoryReport {
                created_by: h.created_by.clone(),
                empty_layer: h.empty_layer.unwrap_or(false),
                created: h.created.clone(),
                layer: *layer,
            })
            .collect(),
        problems,
    }
}
