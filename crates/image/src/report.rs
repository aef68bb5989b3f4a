//! The stable result of `layerlab inspect` (and the browser's image explorer): what the
//! archive is, what each layer holds, whether every digest checked out, and what went wrong.
//! Field names are a public contract (documented in the README); add, never rename.

use serde::Serialize;

use crate::dive::{self, DiveAnalysis, Inefficiency};
use crate::findings::{self, Finding, LargeFile};
use crate::inspect::Plan;
use crate::layout::{Check, Format, Platform};
use crate::merge::{self, Merged, PathWaste};
use crate::model::{LayerEntries, Problem};
use crate::packages::{self, Package};
use crate::path_tree::PathTree;
use crate::scan::LayerScan;

/// How many paths `waste_top`, `largest_files` and `dive.inefficiencies` list.
const TOP: usize = 10;

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

/// The merged filesystem: every visible path after all layers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergedReport {
    pub entries: usize,
    pub files: usize,
    /// Bytes of the visible regular files.
    pub bytes: u64,
}

/// dive v0.13.1's numbers, computed exactly as dive computes them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiveReport {
    pub efficiency: f64,
    /// Every copy of every path seen in two or more layers, the kept copy included (dive's
    /// "Potential wasted space").
    pub wasted_bytes: u64,
    /// `wasted_bytes / user size` as a ratio (dive prints it ×100); null for one-layer images.
    pub user_wasted_percent: Option<f64>,
    pub size_bytes: u64,
    pub user_size_bytes: u64,
    /// The largest of dive's "inefficient files".
    pub inefficiencies: Vec<Inefficiency>,
}

impl DiveReport {
    fn new(analysis: &DiveAnalysis) -> Self {
        let mut inefficiencies = analysis.inefficiencies.clone();
        inefficiencies.sort_by(|a, b| {
            b.cumulative_size
                .cmp(&a.cumulative_size)
                .then_with(|| a.path.cmp(&b.path))
        });
        inefficiencies.truncate(TOP);
        DiveReport {
            efficiency: analysis.efficiency,
            wasted_bytes: analysis.wasted_bytes,
            user_wasted_percent: analysis.user_wasted_percent,
            size_bytes: analysis.size_bytes,
            user_size_bytes: analysis.user_size_bytes,
            inefficiencies,
        }
    }
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
    pub merged: MergedReport,
    /// Bytes of every file version that ships in a layer but is not visible in the merged
    /// filesystem (overwritten, deleted, hidden): what squashing would save.
    pub reclaimable_bytes: u64,
    /// The paths with the most reclaimable bytes.
    pub waste_top: Vec<PathWaste>,
    pub largest_files: Vec<LargeFile>,
    pub dive: DiveReport,
    pub packages: Vec<Package>,
    pub findings: Vec<Finding>,
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

/// The report plus the full analyses it summarises (for file listings, diffs, CI rules).
pub struct Analysis {
    pub report: Report,
    pub merged: Merged,
    pub dive: DiveAnalysis,
}

/// Builds the report from the plan and the per-layer scans (indexed like `plan.layers`;
/// `None` for layers not scanned — duplicates take their twin's scan).
pub fn build(plan: &Plan, scans: &[Option<LayerScan>]) -> Report {
    analyze(plan, scans).report
}

/// [`build`], keeping the merged filesystem and dive's analysis.
pub fn analyze(plan: &Plan, scans: &[Option<LayerScan>]) -> Analysis {
    let mut problems: Vec<Problem> = plan.problems.clone();
    let scan_of = |index: usize| -> Option<&LayerScan> {
        let job = plan.layers.get(index)?;
        scans.get(job.same_as.unwrap_or(index))?.as_ref()
    };
    let empty = LayerEntries::default();
    let entries: Vec<&LayerEntries> = plan
        .layers
        .iter()
        .map(|job| scan_of(job.index).map_or(&empty, |scan| &scan.layer))
        .collect();
    // dive first: its working trees are gone before the merge builds its own, and the paths
    // it interned are the merge's.
    let mut paths = PathTree::default();
    let dive = dive::analyze_with_paths(&entries, &mut paths);
    let merged = merge::merge_with_paths(&entries, paths);
    for warning in &merged.warnings {
        problems.push(Problem::warning(warning.to_string()));
    }
    let mut layers = Vec::with_capacity(plan.layers.len());
    for job in &plan.layers {
        let changes = merged.layers.get(job.index);
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
            compressed_size: scan.map_or_else(|| job.region.map_or(0, |r| r.1), |s| s.blob_size),
            size: scan.map_or(0, |s| s.tar_size),
            entries: scan.map_or(0, |s| s.layer.entries.len()),
            added: changes.map_or(0, |c| c.added),
            modified: changes.map_or(0, |c| c.modified),
            removed: changes.map_or(0, |c| c.removed),
            created_by: job.created_by.clone(),
            verified: Verified {
                digest: digest_check,
                diff_id: diff_check,
            },
        });
    }
    let candidate = plan.candidate();
    let mut waste_top = merged.waste_by_path();
    waste_top.truncate(TOP);
    let report = Report {
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
        merged: MergedReport {
            entries: merged.summary.paths,
            files: merged.summary.files,
            bytes: merged.summary.file_bytes,
        },
        reclaimable_bytes: merged.totals.wasted_bytes,
        waste_top,
        largest_files: findings::largest_files(&merged, TOP),
        dive: DiveReport::new(&dive),
        packages: packages::packages(&entries, &merged),
        findings: findings::findings(&entries, &merged),
        problems,
    };
    Analysis {
        report,
        merged,
        dive,
    }
}
