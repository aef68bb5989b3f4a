//! The two phases of inspecting an archive. [`plan`] indexes the outer tar and reads the
//! manifests and the config — everything a layer list needs, with no layer decompressed.
//! Then each layer is scanned ([`Plan::scan`] one after another, or the caller runs
//! [`scan::scan_layer`] on several threads or workers), and [`crate::report`] assembles the
//! result.

use crate::model::Problem;
use serde::Deserialize;

use crate::archive::{Archive, MAX_JSON_BYTES};
use crate::compress::sha256_digest;
use crate::layout::{self, Candidate, Check, Format, LayerRef, Layout, Platform};
use crate::scan::{self, LayerScan, ScanAwaitingDigest, ScanOptions};
use crate::source::{ReadAt, Window};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct HistoryJson {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub empty_layer: Option<bool>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub diff_ids: Option<Vec<String>>,
}

/// The parts of an image config the analysis uses.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
    #[serde(default)]
    pub history: Option<Vec<HistoryJson>>,
}

/// Where a layer blob sits and what is claimed about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerJob {
    /// Position in the manifest.
    pub index: usize,
    pub reference: LayerRef,
    /// Offset and length of the blob in the outer tar (when it is present).
    pub region: Option<(u64, u64)>,
    /// The diff_id the config expects for this position.
    pub diff_id: Option<String>,
    pub created_by: Option<String>,
    /// An earlier layer with the same blob: scanned once, reported twice.
    pub same_as: Option<usize>,
}

/// Everything known before any layer is read.
#[derive(Debug)]
pub struct Plan {
    pub archive: Archive,
    pub format: Format,
    pub candidates: Vec<Candidate>,
    pub chosen: usize,
    pub config: ImageConfig,
    pub config_digest: Option<String>,
    pub config_check: Check,
    pub layers: Vec<LayerJob>,
    /// History entries with, for each, the layer it created (None for `empty_layer`).
    pub history: Vec<(HistoryJson, Option<usize>)>,
    pub problems: Vec<Problem>,
}

/// The archive cannot be analysed at all (not an image archive, no such platform).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectError(pub String);

impl std::fmt::Display for InspectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Indexes the archive, finds its images and reads the chosen one's config.
pub fn plan<S: ReadAt + ?Sized>(source: &S, platform: Option<&str>) -> Result<Plan, InspectError> {
    let archive = Archive::index(source).map_err(|e| InspectError(e.0))?;
    let Layout {
        format,
        candidates,
        problems: layout_problems,
    } = layout::discover(&archive, source).map_err(InspectError)?;
    let mut problems = archive.problems.clone();
    problems.extend(layout_problems);
    let (chosen, candidate) = layout::choose(&candidates, platform).map_err(InspectError)?;
    for artifact in candidates.iter().filter(|c| c.is_artifact()) {
        problems.push(Problem::warning(format!(
            "an artifact manifest (config type {}) is listed but not applied: it is not an image",
            artifact.config_media_type.as_deref().unwrap_or("unknown")
        )));
    }
    let candidate = candidate.clone();

    let mut config = ImageConfig::default();
    let mut config_digest = None;
    let mut config_check = Check::Unchecked;
    match candidate
        .config_member
        .map(|m| archive.read(source, m, MAX_JSON_BYTES))
    {
        None => problems.push(Problem::error(format!(
            "the image config {:?} is missing",
            candidate.config_name
        ))),
        Some(Err(e)) => problems.push(Problem::warning(e)),
        Some(Ok(bytes)) => {
            let actual = sha256_digest(&bytes);
            config_check = match &candidate.config_digest {
                Some(expected) if expected.starts_with("sha256:") && *expected == actual => {
                    Check::Ok
                }
                Some(expected) if expected.starts_with("sha256:") => {
                    problems.push(Problem::error(format!(
                        "config digest mismatch: {} is named {expected} but its content is {actual}",
                        candidate.config_name
                    )));
                    Check::Mismatch
                }
                _ => Check::Unchecked,
            };
            if let Some(size) = candidate.config_size {
                if size != bytes.len() as u64 {
                    problems.push(Problem::error(format!(
                        "config size mismatch: the manifest says {size} bytes, the blob has {}",
                        bytes.len()
                    )));
                    config_check = Check::Mismatch;
                }
            }
            config_digest = Some(actual);
            match serde_json::from_slice::<ImageConfig>(&bytes) {
                Ok(parsed) => config = parsed,
                Err(e) => problems.push(Problem::error(format!(
                    "the image config is not valid: {e}"
                ))),
            }
        }
    }

    let diff_ids = config
        .rootfs
        .as_ref()
        .and_then(|r| r.diff_ids.clone())
        .unwrap_or_default();
    if diff_ids.len() != candidate.layers.len() && !candidate.layers.is_empty() {
        problems.push(Problem::warning(format!(
            "the manifest lists {} layer(s) but the config has {} diff_id(s)",
            candidate.layers.len(),
            diff_ids.len()
        )));
    }
    let history_json = config.history.clone().unwrap_or_default();
    let mut history = Vec::with_capacity(history_json.len());
    let mut next_layer = 0;
    for entry in history_json {
        if entry.empty_layer.unwrap_or(false) {
            history.push((entry, None));
        } else {
            history.push((entry, Some(next_layer)));
            next_layer += 1;
        }
    }
    if !history.is_empty() && next_layer != candidate.layers.len() {
        problems.push(Problem::warning(format!(
            "the config history has {next_layer} non-empty entries for {} layer(s); created_by may be misaligned",
            candidate.layers.len()
        )));
    }

    let mut layers: Vec<LayerJob> = Vec::with_capacity(candidate.layers.len());
    for (index, reference) in candidate.layers.iter().enumerate() {
        let region = reference
            .member
            .and_then(|m| archive.members.get(m))
            .map(|member| (member.offset, member.size));
        if reference.member.is_none() {
            problems.push(Problem::error(format!(
                "layer {index}: blob {:?} {}",
                reference.name,
                archive.unresolved_reason(&reference.name)
            )));
        }
        let same_as = layers
            .iter()
            .find(|earlier| {
                earlier.reference.member.is_some() && earlier.reference.member == reference.member
            })
            .map(|earlier| earlier.index);
        let created_by = history
            .iter()
            .find(|(_, layer)| *layer == Some(index))
            .and_then(|(h, _)| h.created_by.clone());
        layers.push(LayerJob {
            index,
            reference: reference.clone(),
            region,
            diff_id: diff_ids.get(index).cloned(),
            created_by,
            same_as,
        });
    }

    Ok(Plan {
        archive,
        format,
        candidates,
        chosen,
        config,
        config_digest,
        config_check,
        layers,
        history,
        problems,
    })
}

impl Plan {
    pub fn candidate(&self) -> Option<&Candidate> {
        self.candidates.get(self.chosen)
    }

    /// The chosen image's platform: from its index descriptor, else from its config.
    pub fn platform(&self) -> Platform {
        self.candidate()
            .and_then(|c| c.platform.clone())
            .unwrap_or_else(|| Platform {
                os: self.config.os.clone(),
                architecture: self.config.architecture.clone(),
                variant: self.config.variant.clone(),
            })
    }

    /// Layers that need a scan of their own (duplicates and missing blobs excluded).
    pub fn jobs_to_scan(&self) -> impl Iterator<Item = &LayerJob> {
        self.layers
            .iter()
            .filter(|job| job.same_as.is_none() && job.region.is_some())
    }

    /// Scans every layer one after another (what a single browser worker does; the CLI runs
    /// [`scan::scan_layer`] on threads instead). Works for compressed outer archives too.
    /// `progress(layer, bytes_done, bytes_total)`.
    pub fn scan<S: ReadAt + ?Sized>(
        &self,
        source: &S,
        options: &ScanOptions,
        progress: &mut dyn FnMut(usize, u64, u64),
    ) -> Vec<Option<LayerScan>> {
        let mut scans: Vec<Option<LayerScan>> = vec![None; self.layers.len()];
        if self.archive.is_random_access() {
            for job in self.jobs_to_scan() {
                scans[job.index] = Some(scan_job(source, job, options, progress));
            }
        } else {
            let wanted: Vec<(usize, usize)> = self
                .jobs_to_scan()
                .filter_map(|job| job.reference.member.map(|m| (m, job.index)))
                .collect();
            let members: Vec<usize> = wanted.iter().map(|(m, _)| *m).collect();
            let streamed = self
                .archive
                .stream_members(source, &members, |member, reader| {
                    for (m, index) in &wanted {
                        if *m == member {
                            let total = self.layers[*index].region.map_or(0, |r| r.1);
                            let mut report = |done| progress(*index, done, total);
                            scans[*index] =
                                Some(scan::scan_layer(reader, total, options, &mut report));
                            break;
                        }
                    }
                });
            if let Err(e) = streamed {
                for job in self.jobs_to_scan() {
                    if scans[job.index].is_none() {
                        scans[job.index] = Some(LayerScan {
                            problems: vec![Problem::error(format!(
                                "cannot stream the archive: {e}"
                            ))],
                            ..LayerScan::default()
                        });
                    }
                }
            }
        }
        scans
    }
}

/// Scans one layer of a random-access archive (safe to call from several threads at once).
pub fn scan_job<S: ReadAt + ?Sized>(
    source: &S,
    job: &LayerJob,
    options: &ScanOptions,
    progress: &mut dyn FnMut(usize, u64, u64),
) -> LayerScan {
    let Some(region) = job.region else {
        return LayerScan::default();
    };
    scan_region(source, job.index, region, options, progress)
}

/// Scans the layer blob at `(offset, size)` of a random-access archive, reporting progress
/// as layer `layer`: all a worker needs of a [`LayerJob`] (see `web/src/bin/image_worker`),
/// no plan.
pub fn scan_region<S: ReadAt + ?Sized>(
    source: &S,
    layer: usize,
    (offset, size): (u64, u64),
    options: &ScanOptions,
    progress: &mut dyn FnMut(usize, u64, u64),
) -> LayerScan {
    let mut report = |done| progress(layer, done, size);
    scan::scan_layer(
        Window::streaming(source, offset, size),
        size,
        options,
        &mut report,
    )
}

/// [`scan_region`] without the blob digest, which [`digest_region`] computes for the same
/// region, typically on another thread. `progress` hears the bytes read.
pub fn scan_region_awaiting_digest<S: ReadAt + ?Sized>(
    source: &S,
    (offset, size): (u64, u64),
    options: &ScanOptions,
    progress: &mut dyn FnMut(u64),
) -> ScanAwaitingDigest {
    scan::scan_layer_awaiting_digest(
        Window::streaming(source, offset, size),
        size,
        options,
        progress,
    )
}

/// `sha256:…` and size of the blob at `(offset, size)`; `progress` hears the bytes hashed.
pub fn digest_region<S: ReadAt + ?Sized>(
    source: &S,
    (offset, size): (u64, u64),
    progress: &mut dyn FnMut(u64),
) -> Result<(String, u64), Problem> {
    scan::digest_blob(Window::streaming(source, offset, size), progress)
}
