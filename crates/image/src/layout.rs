//! Which images an archive holds, found from its content: `manifest.json` (docker save),
//! `index.json` + `oci-layout` (OCI), or both (Docker 25+). Walks nested indexes depth first
//! (cycles and depth bounded), verifies each manifest's digest and size against the
//! descriptor that points at it, skips attestation manifests, and lists artifacts without
//! applying them. Nothing here reads layers.

use crate::model::Problem;
use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::archive::{Archive, MAX_JSON_BYTES};
use crate::compress::sha256_digest;
use crate::source::ReadAt;

/// Deepest index nesting followed (real archives use 1 or 2).
const MAX_INDEX_DEPTH: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Format {
    #[serde(rename = "docker-archive")]
    DockerArchive,
    #[serde(rename = "docker-archive+oci")]
    DockerArchiveOci,
    #[serde(rename = "oci-archive")]
    OciArchive,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Platform {
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// `os/arch[/variant]`, with `unknown` for missing parts.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{}/{}",
            self.os.as_deref().unwrap_or("unknown"),
            self.architecture.as_deref().unwrap_or("unknown")
        );
        if let Some(variant) = self.variant.as_deref().filter(|v| !v.is_empty()) {
            text.push('/');
            text.push_str(variant);
        }
        text
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
struct IndexJson {
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
}

#[derive(Debug, Default, Deserialize)]
struct ManifestJson {
    #[serde(rename = "mediaType", default)]
    media_type: Option<String>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
    #[serde(default)]
    manifests: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct DockerManifestItem {
    #[serde(rename = "Config", default)]
    config: Option<String>,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Option<Vec<String>>,
}

/// The outcome of one digest or size check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Ok,
    Mismatch,
    Unchecked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ManifestRef {
    pub digest: String,
    pub size: u64,
    pub media_type: Option<String>,
    /// The manifest blob's sha256 against the descriptor digest.
    pub digest_check: Check,
}

/// Where a layer blob is and what the manifest claims about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRef {
    /// Member path as the manifest names it.
    pub name: String,
    /// Resolved member index (None: the blob is missing from the archive).
    pub member: Option<usize>,
    pub digest: Option<String>,
    pub size: Option<u64>,
    pub media_type: Option<String>,
}

/// One image found in the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub platform: Option<Platform>,
    pub manifest: Option<ManifestRef>,
    pub config_name: String,
    pub config_member: Option<usize>,
    /// The digest the config must have (descriptor, or the legacy `<id>.json` file name).
    pub config_digest: Option<String>,
    pub config_size: Option<u64>,
    pub config_media_type: Option<String>,
    pub layers: Vec<LayerRef>,
    pub repo_tags: Vec<String>,
}

impl Candidate {
    /// Images whose config is not an image config (OCI artifacts, `vnd.oci.empty`).
    pub fn is_artifact(&self) -> bool {
        match self.config_media_type.as_deref() {
            None => false,
            Some(t) => !matches!(
                t,
                "application/vnd.oci.image.config.v1+json"
                    | "application/vnd.docker.container.image.v1+json"
            ),
        }
    }
}

#[derive(Debug)]
pub struct Layout {
    pub format: Format,
    pub candidates: Vec<Candidate>,
    pub problems: Vec<Problem>,
}

fn blob_name(digest: &str) -> Option<String> {
    let (algorithm, hex) = digest.split_once(':')?;
    let valid = !algorithm.is_empty()
        && !hex.is_empty()
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+._-".contains(&b))
        && hex.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| format!("blobs/{algorithm}/{hex}"))
}

/// `blobs/sha256/<hex>` → `sha256:<hex>`: the digest a Docker 25 `manifest.json` path claims.
fn digest_of_blob_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("blobs/")?;
    let (algorithm, hex) = rest.split_once('/')?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("{algorithm}:{hex}"))
}

fn is_index_type(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/vnd.oci.image.index.v1+json"
            | "application/vnd.docker.distribution.manifest.list.v2+json"
    )
}

fn size_of(descriptor: &Descriptor) -> Option<u64> {
    descriptor.size.and_then(|s| u64::try_from(s).ok())
}

struct Walker<'a, S: ReadAt + ?Sized> {
    archive: &'a Archive,
    source: &'a S,
    problems: Vec<Problem>,
    candidates: Vec<Candidate>,
    visited: HashSet<String>,
    skipped_attestations: usize,
}

impl<S: ReadAt + ?Sized> Walker<'_, S> {
    fn read_member(&mut self, name: &str) -> Option<Vec<u8>> {
        let Some(index) = self.archive.resolve(name) else {
            self.problems.push(Problem::error(format!(
                "{name} is referenced but {}",
                self.archive.unresolved_reason(name)
            )));
            return None;
        };
        match self.archive.read(self.source, index, MAX_JSON_BYTES) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.problems.push(Problem::warning(e));
                None
            }
        }
    }

    fn walk_index(&mut self, name: &str, bytes: &[u8], depth: usize) {
        let index: IndexJson = match serde_json::from_slice(bytes) {
            Ok(index) => index,
            Err(e) => {
                self.problems.push(Problem::error(format!(
                    "{name} is not a valid image index: {e}"
                )));
                return;
            }
        };
        let Some(manifests) = index.manifests else {
            self.problems
                .push(Problem::warning(format!("{name} lists no manifests")));
            return;
        };
        for descriptor in manifests {
            self.visit(name, descriptor, depth);
        }
    }

    fn visit(&mut self, parent: &str, descriptor: Descriptor, depth: usize) {
        let Some(digest) = descriptor.digest.clone() else {
            self.problems.push(Problem::error(format!(
                "{parent} has a descriptor without a digest"
            )));
            return;
        };
        let annotations = descriptor.annotations.clone().unwrap_or_default();
        if annotations
            .get("vnd.docker.reference.type")
            .map(String::as_str)
            == Some("attestation-manifest")
        {
            self.skipped_attestations += 1;
            return;
        }
        let Some(name) = blob_name(&digest) else {
            self.problems.push(Problem::error(format!(
                "{parent} has an invalid digest {digest:?}"
            )));
            return;
        };
        if depth > MAX_INDEX_DEPTH {
            self.problems.push(Problem::warning(format!(
                "{parent}: indexes nested more than {MAX_INDEX_DEPTH} deep; {digest} not followed"
            )));
            return;
        }
        if !self.visited.insert(digest.clone())
            && descriptor.media_type.as_deref().is_some_and(is_index_type)
        {
            self.problems.push(Problem::warning(format!(
                "{parent}: index cycle through {digest}; not followed again"
            )));
            return;
        }
        let Some(bytes) = self.read_member(&name) else {
            return;
        };
        let actual = sha256_digest(&bytes);
        let digest_check = if !digest.starts_with("sha256:") {
            Check::Unchecked
        } else if actual == digest {
            Check::Ok
        } else {
            self.problems.push(Problem::error(format!("{name}: digest mismatch: the descriptor in {parent} says {digest}, the content is {actual}")));
            Check::Mismatch
        };
        if let Some(size) = size_of(&descriptor) {
            if size != bytes.len() as u64 {
                self.problems.push(Problem::error(format!(
                    "{name}: size mismatch: the descriptor in {parent} says {size} bytes, the blob has {}",
                    bytes.len()
                )));
            }
        }
        let manifest: ManifestJson = match serde_json::from_slice(&bytes) {
            Ok(m) => m,
            Err(e) => {
                self.problems
                    .push(Problem::error(format!("{name} is not valid JSON: {e}")));
                return;
            }
        };
        let media_type = descriptor
            .media_type
            .clone()
            .or(manifest.media_type.clone());
        let is_index = media_type.as_deref().is_some_and(is_index_type)
            || (manifest.manifests.is_some() && manifest.config.is_none());
        if is_index {
            self.walk_index(&name, &bytes, depth + 1);
            return;
        }
        let Some(config) = manifest.config else {
            self.problems.push(Problem::error(format!(
                "{name} is neither an image manifest nor an index"
            )));
            return;
        };
        let config_digest = config.digest.clone();
        let config_name = config_digest
            .as_deref()
            .and_then(blob_name)
            .unwrap_or_default();
        let config_member = self.archive.resolve(&config_name);
        if config_member.is_none() {
            self.problems.push(Problem::error(format!(
                "{name}: config blob {config_name} {}",
                self.archive.unresolved_reason(&config_name)
            )));
        }
        let layers = manifest
            .layers
            .unwrap_or_default()
            .into_iter()
            .map(|layer| {
                let name = layer
                    .digest
                    .as_deref()
                    .and_then(blob_name)
                    .unwrap_or_default();
                LayerRef {
                    member: self.archive.resolve(&name),
                    name,
                    digest: layer.digest.clone(),
                    size: size_of(&layer),
                    media_type: layer.media_type,
                }
            })
            .collect();
        self.candidates.push(Candidate {
            platform: descriptor.platform,
            manifest: Some(ManifestRef {
                digest,
                size: bytes.len() as u64,
                media_type,
                digest_check,
            }),
            config_name,
            config_member,
            config_size: size_of(&config),
            config_digest,
            config_media_type: config.media_type,
            layers,
            repo_tags: annotations
                .get("io.containerd.image.name")
                .or_else(|| {
                    annotations
                        .get("org.opencontainers.image.ref.name")
                        .filter(|n| n.contains(':'))
                })
                .cloned()
                .into_iter()
                .collect(),
        });
    }

    fn docker_manifest(&mut self) -> Vec<Candidate> {
        let Some(bytes) = self.read_member("manifest.json") else {
            return Vec::new();
        };
        let items: Vec<DockerManifestItem> = match serde_json::from_slice(&bytes) {
            Ok(items) => items,
            Err(e) => {
                self.problems
                    .push(Problem::error(format!("manifest.json is not valid: {e}")));
                return Vec::new();
            }
        };
        items
            .into_iter()
            .map(|item| {
                let config_name = item.config.unwrap_or_default();
                let config_member = self.archive.resolve(&config_name);
                if config_member.is_none() {
                    self.problems.push(Problem::error(format!(
                        "manifest.json: config {config_name:?} {}",
                        self.archive.unresolved_reason(&config_name)
                    )));
                }
                let layers = item
                    .layers
                    .unwrap_or_default()
                    .into_iter()
                    .map(|name| LayerRef {
                        member: self.archive.resolve(&name),
                        digest: digest_of_blob_path(&name),
                        size: None,
                        media_type: None,
                        name,
                    })
                    .collect();
                Candidate {
                    platform: None,
                    manifest: None,
                    config_digest: legacy_config_digest(&config_name),
                    config_name,
                    config_member,
                    config_size: None,
                    config_media_type: None,
                    layers,
                    repo_tags: item.repo_tags.unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// Legacy configs are stored as `<sha256 hex>.json` (or `blobs/sha256/<hex>` since Docker 25).
fn legacy_config_digest(name: &str) -> Option<String> {
    if let Some(digest) = digest_of_blob_path(name) {
        return Some(digest);
    }
    let hex = name.rsplit('/').next()?.strip_suffix(".json")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{hex}"))
}

/// Finds the images in an indexed archive.
pub fn discover<S: ReadAt + ?Sized>(archive: &Archive, source: &S) -> Result<Layout, String> {
    let has_docker = archive.has("manifest.json");
    let has_oci = archive.has("index.json");
    let mut walker = Walker {
        archive,
        source,
        problems: Vec::new(),
        candidates: Vec::new(),
        visited: HashSet::new(),
        skipped_attestations: 0,
    };
    let format = match (has_docker, has_oci) {
        (false, false) => {
            return Err(
                "neither manifest.json nor index.json found: not a docker or OCI image archive"
                    .into(),
            );
        }
        (true, false) => Format::DockerArchive,
        (false, true) => Format::OciArchive,
        (true, true) => Format::DockerArchiveOci,
    };
    if has_oci {
        if !archive.has("oci-layout") {
            walker
                .problems
                .push(Problem::warning("index.json without an oci-layout file"));
        }
        if let Some(bytes) = walker.read_member("index.json") {
            walker.walk_index("index.json", &bytes, 0);
        }
    }
    if has_docker {
        let docker = walker.docker_manifest();
        if has_oci {
            cross_check(&docker, &walker.candidates, &mut walker.problems);
            // Repo tags live in manifest.json; carry them over to the OCI candidates.
            for item in &docker {
                if let Some(oci) = walker
                    .candidates
                    .iter_mut()
                    .find(|c| c.config_digest == item.config_digest)
                {
                    if oci.repo_tags.is_empty() {
                        oci.repo_tags = item.repo_tags.clone();
                    }
                }
            }
            if walker.candidates.is_empty() {
                walker.candidates = docker;
            }
        } else {
            walker.candidates = docker;
        }
    }
    // Docker archives (and OCI indexes without `platform`) name no platform: the config does.
    for candidate in &mut walker.candidates {
        if candidate.platform.is_none() {
            candidate.platform = candidate
                .config_member
                .and_then(|member| archive.read(source, member, MAX_JSON_BYTES).ok())
                .and_then(|bytes| serde_json::from_slice::<Platform>(&bytes).ok())
                .filter(|p| p.os.is_some() || p.architecture.is_some());
        }
    }
    if walker.skipped_attestations > 0 {
        walker.problems.push(Problem::warning(format!(
            "skipped {} attestation manifest(s) (not images)",
            walker.skipped_attestations
        )));
    }
    Ok(Layout {
        format,
        candidates: walker.candidates,
        problems: walker.problems,
    })
}

/// Docker 25+ writes the same image twice; real Docker versions wrote the two inconsistently
/// (moby #47065, #47072). Each `manifest.json` item must match an OCI manifest: same config,
/// same layers in the same order.
fn cross_check(docker: &[Candidate], oci: &[Candidate], problems: &mut Vec<Problem>) {
    for (i, item) in docker.iter().enumerate() {
        let Some(matching) = oci
            .iter()
            .find(|c| c.config_digest.is_some() && c.config_digest == item.config_digest)
        else {
            problems.push(Problem::error(format!(
                "manifest.json item {i} (config {}) has no matching manifest in index.json",
                item.config_name
            )));
            continue;
        };
        let docker_layers: Vec<Option<usize>> = item.layers.iter().map(|l| l.member).collect();
        let oci_layers: Vec<Option<usize>> = matching.layers.iter().map(|l| l.member).collect();
        if docker_layers != oci_layers {
            problems.push(Problem::error(format!(
                "manifest.json item {i} lists {} layer(s) that differ from the OCI manifest's {} (order or content)",
                docker_layers.len(),
                oci_layers.len()
            )));
        }
    }
}

/// Picks the image for `wanted` (`os/arch[/variant]`); by default linux/amd64, else the first.
pub fn choose<'a>(
    candidates: &'a [Candidate],
    wanted: Option<&str>,
) -> Result<(usize, &'a Candidate), String> {
    let images: Vec<(usize, &Candidate)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_artifact())
        .collect();
    let available = || {
        candidates
            .iter()
            .map(|c| {
                c.platform
                    .as_ref()
                    .map_or_else(|| "unknown".to_string(), Platform::text)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = wanted {
        return images
            .into_iter()
            .find(|(_, c)| {
                c.platform
                    .as_ref()
                    .is_some_and(|p| platform_matches(p, wanted))
            })
            .ok_or_else(|| {
                format!(
                    "no image for platform {wanted}; the archive has: {}",
                    available()
                )
            });
    }
    images
        .iter()
        .find(|(_, c)| {
            c.platform
                .as_ref()
                .is_some_and(|p| platform_matches(p, "linux/amd64"))
        })
        .or(images.first())
        .copied()
        .ok_or_else(|| {
            if candidates.is_empty() {
                "the archive lists no image".to_string()
            } else {
                format!(
                    "the archive holds only artifacts, no image: {}",
                    available()
                )
            }
        })
}

fn platform_matches(platform: &Platform, wanted: &str) -> bool {
    let mut parts = wanted.split('/');
    let os = parts.next().unwrap_or_default();
    let arch = parts.next().unwrap_or_default();
    let variant = parts.next();
    platform.os.as_deref() == Some(os)
        && platform.architecture.as_deref() == Some(arch)
        && variant.is_none_or(|v| platform.variant.as_deref() == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_names_reject_path_tricks() {
        assert_eq!(
            blob_name("sha256:abcd").as_deref(),
            Some("blobs/sha256/abcd")
        );
        assert_eq!(blob_name("sha256:../../etc"), None);
        assert_eq!(blob_name("nocolon"), None);
    }

    #[test]
    fn legacy_config_names_carry_their_digest() {
        let hex = "23b4ab5775387fb3399d664e6564a0ff8ab8b216c9edb10500a0def87bc21151";
        assert_eq!(
            legacy_config_digest(&format!("{hex}.json")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(
            legacy_config_digest(&format!("blobs/sha256/{hex}")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(legacy_config_digest("config.json"), None);
    }

    #[test]
    fn platforms_match_with_optional_variant() {
        let arm = Platform {
            os: Some("linux".into()),
            architecture: Some("arm".into()),
            variant: Some("v7".into()),
        };
        assert!(platform_matches(&arm, "linux/arm"));
        assert!(platform_matches(&arm, "linux/arm/v7"));
        assert!(!platform_matches(&arm, "linux/arm/v6"));
        assert_eq!(arm.text(), "linux/arm/v7");
    }
}
