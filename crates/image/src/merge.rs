//! The merged filesystem: every layer applied in order with OCI changeset semantics, plus what
//! each layer changed and which shipped file versions end up invisible (waste).
//!
//! Per layer, three steps run in this order (OCI image-spec `layer.md`, as the shared fixture
//! oracle `expected.py` applies them):
//! 1. every `D/.wh..wh..opq` hides all *lower-layer* descendants of `D`, wherever the marker
//!    sits in the tar;
//! 2. every `D/.wh.NAME` removes the lower-layer `D/NAME` and its subtree (a whiteout never
//!    hides an entry of its own layer, because the layer's own entries are applied after it);
//! 3. all other entries in tar order, a later duplicate winning: a directory over a directory
//!    keeps the children and takes the new attributes; anything else replaces the old path and,
//!    when that was a directory, its whole subtree. Missing parents become implicit directories.
//!
//! The tree is a `BTreeMap` keyed by path, so a subtree is one range query (`D/` up to `D0`,
//! `'0'` being the byte after `'/'`): whiting out `/usr` costs the size of `/usr`, never a scan
//! of the whole tree, and memory grows only with the number of entries.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Bound;

use serde::{Serialize, Serializer};

use crate::model::{EntryKind, LayerEntries};

/// Mode given to directories nobody wrote (`srv/` above `srv/a/file` when `srv/` has no entry).
const IMPLICIT_DIR_MODE: u32 = 0o755;

/// One visible path of the merged filesystem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergedNode {
    pub path: Box<str>,
    pub kind: EntryKind,
    /// Header size of the entry that wrote the path (0 for directories and links).
    pub size: u64,
    /// The last layer that wrote this path; for an implicit directory, the layer that first
    /// needed it.
    pub layer: usize,
    pub mode: u32,
    /// No layer has an entry for this directory; it exists because something below it does.
    pub implicit: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<Box<str>>,
    /// For hardlinks: the size of the target when the link was applied; `None` when the
    /// target was missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_size: Option<u64>,
    pub uid: u32,
    pub gid: u32,
    /// Index into `layers[layer].entries` of the entry that wrote the path (`None` for
    /// implicit directories); lets analyses find the captured content of the visible copy.
    #[serde(skip)]
    pub entry: Option<usize>,
}

/// How a path differs after a layer from the tree of the layers below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Not visible below, visible after the layer.
    Added,
    /// Visible below and after, and the layer wrote, replaced or re-created it (new content,
    /// new attributes, another type, or deleted and written again in the same layer).
    Modified,
    /// Visible below, not visible after the layer.
    Removed,
}

/// One path a layer changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathChange {
    pub path: Box<str>,
    pub change: Change,
}

/// What one layer changed against the merged tree of the layers below it. Every path counts
/// once: removing `/usr` with 5,000 files below it is 5,001 removals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LayerChanges {
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
    /// Every changed path, sorted by path bytes.
    pub paths: Vec<PathChange>,
}

/// Why a shipped regular-file version is not visible in the merged filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WasteReason {
    /// A later layer wrote a new file at the same path.
    Overwritten,
    /// The same layer wrote the path twice; the later entry won.
    OverwrittenSameLayer,
    /// A `.wh.` whiteout removed the path or a parent directory.
    Whiteout,
    /// An opaque marker hid the parent directory's lower-layer contents.
    Opaque,
    /// An entry of another type took the path.
    ReplacedBy(EntryKind),
    /// A parent directory was replaced by an entry of another type.
    ParentReplacedBy(EntryKind),
    /// A parent path was a non-directory and a deeper entry needed it to be a directory.
    ReplacedByImplicitDir,
}

impl fmt::Display for WasteReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WasteReason::Overwritten => f.write_str("overwritten"),
            WasteReason::OverwrittenSameLayer => f.write_str("overwritten-same-layer"),
            WasteReason::Whiteout => f.write_str("whiteout"),
            WasteReason::Opaque => f.write_str("opaque"),
            WasteReason::ReplacedBy(kind) => write!(f, "replaced-by-{}", kind.as_str()),
            WasteReason::ParentReplacedBy(kind) => {
                write!(f, "parent-replaced-by-{}", kind.as_str())
            }
            WasteReason::ReplacedByImplicitDir => f.write_str("replaced-by-implicit-dir"),
        }
    }
}

impl Serialize for WasteReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A regular-file version shipped in a layer but not visible in the merged filesystem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WastedVersion {
    pub path: Box<str>,
    /// The layer that shipped the bytes.
    pub layer: usize,
    pub size: u64,
    /// The layer whose entry made the version invisible.
    pub removed_in_layer: usize,
    pub reason: WasteReason,
}

/// Counts over the merged filesystem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergedSummary {
    /// Visible paths of every type.
    pub paths: usize,
    /// Visible paths per kind name (`file`, `dir`, …).
    pub type_counts: BTreeMap<&'static str, usize>,
    /// Visible regular files and their bytes (hardlinks not counted again).
    pub files: usize,
    pub file_bytes: u64,
    pub implicit_dirs: usize,
}

/// layerlab's waste figures. They add up:
/// `file_bytes_all_layers = summary.file_bytes + wasted_bytes + kept_only_via_hardlink_bytes
/// + sized_non_file_entry_bytes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WasteTotals {
    /// Header sizes of every entry of every layer (dive's SizeBytes).
    pub file_bytes_all_layers: u64,
    /// Bytes of every regular-file version that is not visible and not kept by a hardlink.
    pub wasted_bytes: u64,
    /// `wasted_bytes` split by reason name.
    pub wasted_by_reason: BTreeMap<String, u64>,
    /// `wasted_bytes` split by the layer that shipped them.
    pub wasted_by_layer: Vec<u64>,
    /// Versions removed at their own path but still reachable through a visible hardlink.
    pub kept_only_via_hardlink_bytes: u64,
    /// Header sizes of entries that are not regular files (rare: sized whiteouts, devices).
    pub sized_non_file_entry_bytes: u64,
}

/// What a merge warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeWarningKind {
    /// A `.wh.` entry with no name to remove (invalid per the OCI spec); ignored.
    BareWhiteoutInvalid,
    /// A whiteout for a path no lower layer has; ignored.
    WhiteoutTargetMissing,
    /// A hardlink whose target does not exist at that point; kept with no resolved size.
    HardlinkTargetMissing,
    /// A parent of the entry is a symlink; the entry is added without following it.
    ParentIsSymlink,
    /// A parent of the entry is neither a directory nor a symlink; it is replaced by an
    /// implicit directory.
    ParentNotDir,
}

/// A recoverable oddity met while merging; the merge goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeWarning {
    pub layer: usize,
    /// The entry's path.
    pub path: Box<str>,
    pub kind: MergeWarningKind,
    /// The path a whiteout or hardlink pointed at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Box<str>>,
    /// The parent that was not a directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<str>>,
}

impl fmt::Display for MergeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (layer, path) = (self.layer, &self.path);
        let other = self
            .target
            .as_deref()
            .or(self.parent.as_deref())
            .unwrap_or("");
        match self.kind {
            MergeWarningKind::BareWhiteoutInvalid => {
                write!(f, "layer {layer}: `{path}` is a whiteout with no name; ignored")
            }
            MergeWarningKind::WhiteoutTargetMissing => write!(
                f,
                "layer {layer}: whiteout `{path}` removes `{other}`, which no lower layer has"
            ),
            MergeWarningKind::HardlinkTargetMissing => write!(
                f,
                "layer {layer}: hardlink `{path}` points to `{other}`, which does not exist"
            ),
            MergeWarningKind::ParentIsSymlink => write!(
                f,
                "layer {layer}: `{path}` lies below the symlink `{other}`; not followed"
            ),
            MergeWarningKind::ParentNotDir => write!(
                f,
                "layer {layer}: `{path}` lies below `{other}`, which is not a directory; replaced by a directory"
            ),
        }
    }
}

/// The result of [`merge`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// Every visible path, sorted by path bytes.
    pub nodes: Vec<MergedNode>,
    pub summary: MergedSummary,
    /// One per input layer.
    pub layers: Vec<LayerChanges>,
    /// Every invisible regular-file version, in the order the versions were shipped.
    pub wasted_versions: Vec<WastedVersion>,
    pub totals: WasteTotals,
    pub warnings: Vec<MergeWarning>,
}

impl Merged {
    /// The visible node at `path` (normalised like `Entry::path`).
    pub fn get(&self, path: &str) -> Option<&MergedNode> {
        self.nodes
            .binary_search_by(|node| node.path.as_ref().cmp(path))
            .ok()
            .and_then(|index| self.nodes.get(index))
    }

    /// Whether `layers[layer].entries[entry]` is the version visible at `path`.
    pub fn is_visible(&self, path: &str, layer: usize, entry: usize) -> bool {
        self.get(path)
            .is_some_and(|node| node.layer == layer && node.entry == Some(entry))
    }

    /// Wasted bytes per path, biggest first (ties by path): where a rebuild would save most.
    pub fn waste_by_path(&self) -> Vec<PathWaste> {
        let mut by_path: BTreeMap<&str, PathWaste> = BTreeMap::new();
        for version in &self.wasted_versions {
            let waste = by_path.entry(&version.path).or_insert_with(|| PathWaste {
                path: version.path.clone(),
                bytes: 0,
                versions: 0,
            });
            waste.bytes = waste.bytes.saturating_add(version.size);
            waste.versions += 1;
        }
        let mut list: Vec<PathWaste> = by_path.into_values().collect();
        list.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        list
    }
}

/// Wasted bytes of one path summed over its invisible versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathWaste {
    pub path: Box<str>,
    pub bytes: u64,
    pub versions: usize,
}

/// Applies `layers` bottom to top (see the module documentation) and reports the merged tree,
/// each layer's changes, the wasted versions and the totals. Never fails: oddities become
/// `warnings`.
pub fn merge(layers: &[&LayerEntries]) -> Merged {
    let mut merger = Merger::default();
    let mut changes = Vec::with_capacity(layers.len());
    for (layer_index, layer) in layers.iter().enumerate() {
        merger.apply_layer(layer_index, layer);
        changes.push(merger.take_layer_changes());
    }
    merger.finish(layers, changes)
}

/// A path's state while layers are applied.
#[derive(Debug)]
struct Node {
    kind: EntryKind,
    size: u64,
    layer: usize,
    mode: u32,
    uid: u32,
    gid: u32,
    implicit: bool,
    entry: Option<usize>,
    link_target: Option<Box<str>>,
    resolved_size: Option<u64>,
    /// Index into `Merger::versions`: the file's own version, or the version a hardlink
    /// reaches.
    version: Option<usize>,
}

/// A regular-file entry, visible until something removes it.
#[derive(Debug)]
struct Version {
    layer: usize,
    entry: usize,
    size: u64,
    removed: Option<(usize, WasteReason)>,
}

struct Merger {
    state: BTreeMap<Box<str>, Node>,
    versions: Vec<Version>,
    warnings: Vec<MergeWarning>,
    /// Paths the current layer touched, with whether each was visible when the layer began.
    touched: HashMap<Box<str>, bool>,
    /// Every node's ancestors are directories, which lets `ensure_parents` stop at an existing
    /// parent directory. Only an entry placed below a symlink breaks it (for good).
    ancestors_are_dirs: bool,
}

impl Default for Merger {
    fn default() -> Self {
        Merger {
            state: BTreeMap::new(),
            versions: Vec::new(),
            warnings: Vec::new(),
            touched: HashMap::new(),
            ancestors_are_dirs: true,
        }
    }
}

impl Merger {
    fn apply_layer(&mut self, layer_index: usize, layer: &LayerEntries) {
        for entry in layer.entries.iter().filter(|e| e.kind == EntryKind::Opaque) {
            let (dir, _) = split_parent(&entry.path);
            self.remove_descendants(dir, layer_index, WasteReason::Opaque);
        }
        for entry in layer
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Whiteout)
        {
            let (dir, base) = split_parent(&entry.path);
            let name = base.strip_prefix(".wh.").unwrap_or("");
            if name.is_empty() {
                self.warn(
                    layer_index,
                    &entry.path,
                    MergeWarningKind::BareWhiteoutInvalid,
                );
                continue;
            }
            let target = join(dir, name);
            if self.state.contains_key(target.as_str()) {
                self.remove_subtree(
                    &target,
                    layer_index,
                    WasteReason::Whiteout,
                    WasteReason::Whiteout,
                );
            } else {
                self.warnings.push(MergeWarning {
                    layer: layer_index,
                    path: entry.path.clone(),
                    kind: MergeWarningKind::WhiteoutTargetMissing,
                    target: Some(target.into()),
                    parent: None,
                });
            }
        }
        for (entry_index, entry) in layer.entries.iter().enumerate() {
            if entry.path.is_empty() {
                continue; // the root itself (`./`)
            }
            self.ensure_parents(&entry.path, layer_index);
            if entry.kind.is_marker() {
                continue;
            }
            let path: &str = &entry.path;
            if let Some(old) = self.state.get(path) {
                if old.kind == EntryKind::Dir && entry.kind == EntryKind::Dir {
                    self.touch(path, true);
                    if let Some(old) = self.state.get_mut(path) {
                        old.layer = layer_index;
                        old.mode = entry.mode;
                        old.uid = entry.uid;
                        old.gid = entry.gid;
                        old.implicit = false;
                        old.entry = Some(entry_index);
                    }
                    continue;
                }
                let reason = match (old.kind, entry.kind) {
                    (EntryKind::File, EntryKind::File) if old.layer == layer_index => {
                        WasteReason::OverwrittenSameLayer
                    }
                    (EntryKind::File, EntryKind::File) => WasteReason::Overwritten,
                    (_, new_kind) => WasteReason::ReplacedBy(new_kind),
                };
                self.remove_subtree(
                    path,
                    layer_index,
                    reason,
                    WasteReason::ParentReplacedBy(entry.kind),
                );
            }
            let mut node = Node {
                kind: entry.kind,
                size: entry.size,
                layer: layer_index,
                mode: entry.mode,
                uid: entry.uid,
                gid: entry.gid,
                implicit: false,
                entry: Some(entry_index),
                link_target: entry.link_target.clone(),
                resolved_size: None,
                version: None,
            };
            match entry.kind {
                EntryKind::File => {
                    node.version = Some(self.versions.len());
                    self.versions.push(Version {
                        layer: layer_index,
                        entry: entry_index,
                        size: entry.size,
                        removed: None,
                    });
                }
                EntryKind::Hardlink => self.resolve_hardlink(&mut node, path, layer_index),
                _ => {}
            }
            self.insert(path, node);
        }
    }

    /// Gives a hardlink its target's size and version, as they are at this point of the merge
    /// (the target may be in a lower layer or earlier in this one).
    fn resolve_hardlink(&mut self, node: &mut Node, path: &str, layer_index: usize) {
        let target = normalize_link(node.link_target.as_deref().unwrap_or(""));
        match self.state.get(target) {
            Some(target_node) => match target_node.kind {
                EntryKind::File => {
                    node.version = target_node.version;
                    node.resolved_size = Some(target_node.size);
                }
                EntryKind::Hardlink => {
                    node.version = target_node.version;
                    node.resolved_size = target_node.resolved_size;
                }
                _ => node.resolved_size = Some(0),
            },
            None => self.warnings.push(MergeWarning {
                layer: layer_index,
                path: path.into(),
                kind: MergeWarningKind::HardlinkTargetMissing,
                target: Some(target.into()),
                parent: None,
            }),
        }
    }

    /// Creates the missing parent directories of `path` as implicit directories; a parent
    /// that is another non-directory is replaced, a symlink parent stops the walk.
    fn ensure_parents(&mut self, path: &str, layer_index: usize) {
        if self.ancestors_are_dirs {
            let (parent, _) = split_parent(path);
            if parent.is_empty()
                || self
                    .state
                    .get(parent)
                    .is_some_and(|node| node.kind == EntryKind::Dir)
            {
                return;
            }
        }
        for (slash, _) in path.match_indices('/') {
            let parent = &path[..slash];
            let existing = self.state.get(parent).map(|node| node.kind);
            match existing {
                Some(EntryKind::Dir) => continue,
                Some(EntryKind::Symlink) => {
                    self.ancestors_are_dirs = false;
                    self.warnings.push(MergeWarning {
                        layer: layer_index,
                        path: path.into(),
                        kind: MergeWarningKind::ParentIsSymlink,
                        target: None,
                        parent: Some(parent.into()),
                    });
                    return;
                }
                Some(_) => {
                    self.warnings.push(MergeWarning {
                        layer: layer_index,
                        path: path.into(),
                        kind: MergeWarningKind::ParentNotDir,
                        target: None,
                        parent: Some(parent.into()),
                    });
                    self.remove_subtree(
                        parent,
                        layer_index,
                        WasteReason::ReplacedByImplicitDir,
                        WasteReason::ReplacedByImplicitDir,
                    );
                }
                None => {}
            }
            self.insert(
                parent,
                Node {
                    kind: EntryKind::Dir,
                    size: 0,
                    layer: layer_index,
                    mode: IMPLICIT_DIR_MODE,
                    uid: 0,
                    gid: 0,
                    implicit: true,
                    entry: None,
                    link_target: None,
                    resolved_size: None,
                    version: None,
                },
            );
        }
    }

    /// Adds a node at a path that has none (any old node was removed first).
    fn insert(&mut self, path: &str, node: Node) {
        self.touch(path, false);
        self.state.insert(path.into(), node);
    }

    /// Removes `path` (reason `own`) and everything below it (reason `below`).
    fn remove_subtree(
        &mut self,
        path: &str,
        layer_index: usize,
        own: WasteReason,
        below: WasteReason,
    ) {
        self.remove_descendants(path, layer_index, below);
        self.kill(path, layer_index, own);
    }

    /// Removes everything below `dir` (`""` is the root: everything).
    fn remove_descendants(&mut self, dir: &str, layer_index: usize, reason: WasteReason) {
        let doomed: Vec<Box<str>> = if dir.is_empty() {
            self.state.keys().cloned().collect()
        } else {
            let start = format!("{dir}/");
            let end = format!("{dir}0"); // '0' is the byte after '/'
            self.state
                .range::<str, _>((
                    Bound::Included(start.as_str()),
                    Bound::Excluded(end.as_str()),
                ))
                .map(|(path, _)| path.clone())
                .collect()
        };
        for path in doomed {
            self.kill(&path, layer_index, reason);
        }
    }

    fn kill(&mut self, path: &str, layer_index: usize, reason: WasteReason) {
        let Some((key, node)) = self.state.remove_entry(path) else {
            return;
        };
        self.touched.entry(key).or_insert(true);
        // A hardlink's version belongs to its target; only a file's own removal counts.
        if node.kind != EntryKind::File {
            return;
        }
        if let Some(version) = node.version.and_then(|v| self.versions.get_mut(v)) {
            version.removed = Some((layer_index, reason));
        }
    }

    /// Records, the first time the current layer touches `path`, whether it was visible
    /// before the layer (which is whether it exists at that first touch).
    fn touch(&mut self, path: &str, exists_now: bool) {
        if !self.touched.contains_key(path) {
            self.touched.insert(path.into(), exists_now);
        }
    }

    fn warn(&mut self, layer: usize, path: &str, kind: MergeWarningKind) {
        self.warnings.push(MergeWarning {
            layer,
            path: path.into(),
            kind,
            target: None,
            parent: None,
        });
    }

    /// Turns the paths the layer touched into its change list and resets for the next layer.
    fn take_layer_changes(&mut self) -> LayerChanges {
        let mut changes = LayerChanges::default();
        let mut touched: Vec<(Box<str>, bool)> = self.touched.drain().collect();
        touched.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (path, existed_before) in touched {
            let exists_after = self.state.contains_key(&path);
            let change = match (existed_before, exists_after) {
                (false, true) => Change::Added,
                (true, true) => Change::Modified,
                (true, false) => Change::Removed,
                (false, false) => continue, // created and removed within the layer
            };
            match change {
                Change::Added => changes.added += 1,
                Change::Modified => changes.modified += 1,
                Change::Removed => changes.removed += 1,
            }
            changes.paths.push(PathChange { path, change });
        }
        changes
    }

    fn finish(self, layers: &[&LayerEntries], layer_changes: Vec<LayerChanges>) -> Merged {
        let Merger {
            state,
            versions,
            warnings,
            ..
        } = self;

        // A removed version is still shipped usefully when a visible hardlink reaches it.
        let mut kept_by_hardlink = vec![false; versions.len()];
        for node in state.values() {
            if node.kind == EntryKind::Hardlink {
                if let Some(flag) = node.version.and_then(|v| kept_by_hardlink.get_mut(v)) {
                    *flag = true;
                }
            }
        }

        let mut totals = WasteTotals {
            wasted_by_layer: vec![0; layers.len()],
            ..WasteTotals::default()
        };
        let mut wasted_versions = Vec::new();
        for (index, version) in versions.iter().enumerate() {
            let Some((removed_in_layer, reason)) = version.removed else {
                continue;
            };
            if kept_by_hardlink.get(index).copied().unwrap_or(false) {
                totals.kept_only_via_hardlink_bytes = totals
                    .kept_only_via_hardlink_bytes
                    .saturating_add(version.size);
                continue;
            }
            totals.wasted_bytes = totals.wasted_bytes.saturating_add(version.size);
            let by_reason = totals
                .wasted_by_reason
                .entry(reason.to_string())
                .or_insert(0);
            *by_reason = by_reason.saturating_add(version.size);
            if let Some(by_layer) = totals.wasted_by_layer.get_mut(version.layer) {
                *by_layer = by_layer.saturating_add(version.size);
            }
            let path = layers
                .get(version.layer)
                .and_then(|layer| layer.entries.get(version.entry))
                .map(|entry| entry.path.clone())
                .unwrap_or_default();
            wasted_versions.push(WastedVersion {
                path,
                layer: version.layer,
                size: version.size,
                removed_in_layer,
                reason,
            });
        }
        for entry in layers.iter().flat_map(|layer| &layer.entries) {
            totals.file_bytes_all_layers = totals.file_bytes_all_layers.saturating_add(entry.size);
            if entry.kind != EntryKind::File {
                totals.sized_non_file_entry_bytes =
                    totals.sized_non_file_entry_bytes.saturating_add(entry.size);
            }
        }

        let mut summary = MergedSummary::default();
        let nodes: Vec<MergedNode> = state
            .into_iter()
            .map(|(path, node)| {
                summary.paths += 1;
                *summary.type_counts.entry(node.kind.as_str()).or_insert(0) += 1;
                if node.kind == EntryKind::File {
                    summary.files += 1;
                    summary.file_bytes = summary.file_bytes.saturating_add(node.size);
                }
                if node.implicit {
                    summary.implicit_dirs += 1;
                }
                MergedNode {
                    path,
                    kind: node.kind,
                    size: node.size,
                    layer: node.layer,
                    mode: node.mode,
                    implicit: node.implicit,
                    link_target: node.link_target,
                    resolved_size: node.resolved_size,
                    uid: node.uid,
                    gid: node.gid,
                    entry: node.entry,
                }
            })
            .collect();

        Merged {
            nodes,
            summary,
            layers: layer_changes,
            wasted_versions,
            totals,
            warnings,
        }
    }
}

/// `("a/b", "c")` for `"a/b/c"`, `("", "c")` for `"c"`.
fn split_parent(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(slash) => (&path[..slash], &path[slash + 1..]),
        None => ("", path),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A hardlink target as written in the header, normalised like entry paths: no leading `./`
/// or `/`, no trailing `/`.
fn normalize_link(target: &str) -> &str {
    let mut path = target;
    loop {
        if let Some(rest) = path.strip_prefix("./") {
            path = rest;
        } else if let Some(rest) = path.strip_prefix('/') {
            path = rest;
        } else {
            break;
        }
    }
    let path = path.trim_end_matches('/');
    if path == "." {
        ""
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{dir, file, hardlink, layer, marker, symlink};

    fn paths(merged: &Merged) -> Vec<&str> {
        merged.nodes.iter().map(|n| n.path.as_ref()).collect()
    }

    fn reasons(merged: &Merged) -> Vec<(String, String)> {
        merged
            .wasted_versions
            .iter()
            .map(|v| (v.path.to_string(), v.reason.to_string()))
            .collect()
    }

    fn identity_holds(merged: &Merged) -> bool {
        let t = &merged.totals;
        t.file_bytes_all_layers
            == merged.summary.file_bytes
                + t.wasted_bytes
                + t.kept_only_via_hardlink_bytes
                + t.sized_non_file_entry_bytes
    }

    #[test]
    fn implicit_parents_are_dirs_owned_by_the_first_layer_needing_them() {
        let l0 = layer(vec![dir(""), file("srv/a/file.txt", 3)]);
        let merged = merge(&[&l0]);
        assert_eq!(paths(&merged), ["srv", "srv/a", "srv/a/file.txt"]);
        let srv = merged.get("srv").expect("srv");
        assert!(srv.implicit && srv.kind == EntryKind::Dir && srv.mode == 0o755);
        assert_eq!(merged.summary.implicit_dirs, 2);
        assert_eq!(merged.layers[0].added, 3);
    }

    #[test]
    fn dir_over_dir_keeps_children_and_takes_attributes() {
        let l0 = layer(vec![dir("etc"), file("etc/passwd", 5)]);
        let mut etc = dir("etc");
        etc.mode = 0o700;
        let l1 = layer(vec![etc]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["etc", "etc/passwd"]);
        let etc = merged.get("etc").expect("etc");
        assert_eq!((etc.layer, etc.mode, etc.implicit), (1, 0o700, false));
        assert_eq!(
            merged.layers[1].paths,
            [PathChange {
                path: "etc".into(),
                change: Change::Modified
            }]
        );
        assert_eq!(merged.totals.wasted_bytes, 0);
    }

    #[test]
    fn whiteout_removes_lower_subtree_but_not_own_layer_entries() {
        let l0 = layer(vec![
            dir("opt"),
            dir("opt/tool"),
            file("opt/tool/readme", 4),
        ]);
        // The whiteout sits after the new entry in tar order; it still only hits layer 0.
        let l1 = layer(vec![file("opt/tool/new", 2), marker("opt/.wh.tool")]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["opt", "opt/tool", "opt/tool/new"]);
        assert!(merged.get("opt/tool").expect("tool").implicit);
        assert_eq!(
            reasons(&merged),
            [("opt/tool/readme".into(), "whiteout".into())]
        );
        let changes = &merged.layers[1];
        assert_eq!(
            (changes.added, changes.modified, changes.removed),
            (1, 1, 1)
        );
        assert!(identity_holds(&merged));
    }

    #[test]
    fn opaque_hides_lower_children_wherever_the_marker_sits() {
        let l0 = layer(vec![
            dir("d"),
            file("d/old", 4),
            dir("d/sub"),
            file("d/sub/x", 1),
        ]);
        let l1 = layer(vec![dir("d"), file("d/new", 2), marker("d/.wh..wh..opq")]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["d", "d/new"]);
        assert_eq!(merged.totals.wasted_by_reason.get("opaque"), Some(&5));
        assert_eq!(merged.layers[1].removed, 3);
    }

    #[test]
    fn opaque_at_root_hides_everything_below() {
        let l0 = layer(vec![file("a", 1), file("b/c", 2)]);
        let l1 = layer(vec![marker(".wh..wh..opq"), file("z", 3)]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["z"]);
        assert_eq!(merged.totals.wasted_bytes, 3);
    }

    #[test]
    fn replacement_reasons() {
        let l0 = layer(vec![
            dir("etc/conf.d"),
            file("etc/conf.d/a.conf", 4),
            file("etc/motd", 26),
            file("app/config.txt", 10),
            file("app/config.txt", 11),
        ]);
        let l1 = layer(vec![
            file("etc/conf.d", 27),
            dir("etc/motd"),
            file("etc/motd/part1", 24),
            file("app/config.txt", 12),
        ]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(
            reasons(&merged),
            [
                ("etc/conf.d/a.conf".into(), "parent-replaced-by-file".into()),
                ("etc/motd".into(), "replaced-by-dir".into()),
                ("app/config.txt".into(), "overwritten-same-layer".into()),
                ("app/config.txt".into(), "overwritten".into()),
            ]
        );
        assert_eq!(
            merged.get("etc/conf.d").expect("conf.d").kind,
            EntryKind::File
        );
        assert_eq!(merged.totals.wasted_by_layer, [4 + 26 + 10 + 11, 0]);
        assert!(identity_holds(&merged));
    }

    #[test]
    fn hardlinks_resolve_to_lower_layers_and_keep_removed_targets() {
        let l0 = layer(vec![file("usr/bin/tool", 100)]);
        let l1 = layer(vec![
            hardlink("usr/bin/tool-hl2", "/usr/bin/tool"),
            hardlink("usr/bin/chain", "usr/bin/tool-hl2"),
            hardlink("usr/bin/dangling", "nowhere"),
        ]);
        let l2 = layer(vec![marker("usr/bin/.wh.tool")]);
        let merged = merge(&[&l0, &l1, &l2]);
        let link = merged.get("usr/bin/tool-hl2").expect("link");
        assert_eq!(link.resolved_size, Some(100));
        assert_eq!(
            merged.get("usr/bin/chain").expect("chain").resolved_size,
            Some(100)
        );
        assert_eq!(
            merged
                .get("usr/bin/dangling")
                .expect("dangling")
                .resolved_size,
            None
        );
        assert_eq!(merged.totals.kept_only_via_hardlink_bytes, 100);
        assert_eq!(merged.totals.wasted_bytes, 0);
        assert_eq!(merged.warnings.len(), 1);
        assert_eq!(
            merged.warnings[0].kind,
            MergeWarningKind::HardlinkTargetMissing
        );
        assert_eq!(merged.warnings[0].target.as_deref(), Some("nowhere"));
        assert!(identity_holds(&merged));
    }

    #[test]
    fn bad_whiteouts_warn_and_the_merge_goes_on() {
        let l0 = layer(vec![file("a/x", 1)]);
        let l1 = layer(vec![
            marker("a/.wh."),
            marker("a/.wh.never"),
            file("a/y", 2),
        ]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["a", "a/x", "a/y"]);
        let kinds: Vec<_> = merged.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                MergeWarningKind::BareWhiteoutInvalid,
                MergeWarningKind::WhiteoutTargetMissing
            ]
        );
        assert_eq!(merged.warnings[1].target.as_deref(), Some("a/never"));
        assert!(merged.warnings[1].to_string().contains("a/never"));
    }

    #[test]
    fn non_directory_parents_are_replaced_and_symlink_parents_are_not_followed() {
        let l0 = layer(vec![file("f", 7), symlink("lnk", "/etc")]);
        let l1 = layer(vec![file("f/inner", 1), file("lnk/passwd", 2)]);
        let merged = merge(&[&l0, &l1]);
        assert_eq!(paths(&merged), ["f", "f/inner", "lnk", "lnk/passwd"]);
        assert!(merged.get("f").expect("f").implicit);
        assert_eq!(
            reasons(&merged),
            [("f".into(), "replaced-by-implicit-dir".into())]
        );
        let kinds: Vec<_> = merged.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                MergeWarningKind::ParentNotDir,
                MergeWarningKind::ParentIsSymlink
            ]
        );
    }

    #[test]
    fn delete_and_recreate_in_one_layer_is_a_modification() {
        let l0 = layer(vec![dir("app"), file("app/data/f", 3)]);
        let l1 = layer(vec![
            marker("app/.wh.data"),
            dir("app/data"),
            file("app/data/g", 1),
        ]);
        let merged = merge(&[&l0, &l1]);
        let changes: Vec<_> = merged.layers[1]
            .paths
            .iter()
            .map(|c| (c.path.as_ref(), c.change))
            .collect();
        assert_eq!(
            changes,
            [
                ("app/data", Change::Modified),
                ("app/data/f", Change::Removed),
                ("app/data/g", Change::Added)
            ]
        );
    }

    #[test]
    fn waste_by_path_sums_versions_biggest_first() {
        let l0 = layer(vec![file("a", 5), file("b", 9)]);
        let l1 = layer(vec![file("a", 5), marker(".wh.b")]);
        let l2 = layer(vec![file("a", 1)]);
        let merged = merge(&[&l0, &l1, &l2]);
        let top = merged.waste_by_path();
        assert_eq!(
            top,
            [
                PathWaste {
                    path: "a".into(),
                    bytes: 10,
                    versions: 2
                },
                PathWaste {
                    path: "b".into(),
                    bytes: 9,
                    versions: 1
                },
            ]
        );
    }

    #[test]
    fn serializes_with_kebab_values() {
        let l0 = layer(vec![file("a", 5)]);
        let l1 = layer(vec![file("a", 5)]);
        let json = serde_json::to_value(merge(&[&l0, &l1])).expect("json");
        assert_eq!(json["wasted_versions"][0]["reason"], "overwritten");
        assert_eq!(json["nodes"][0]["kind"], "file");
        assert_eq!(json["layers"][1]["paths"][0]["change"], "modified");
        assert!(json["nodes"][0].get("entry").is_none());
    }

    /// 200,000 files, then a whiteout of their top directory and an opaque root: each step
    /// must cost the size of what it removes, not entries × tree size.
    #[test]
    fn big_layers_merge_without_quadratic_work() {
        let mut entries = vec![dir("usr")];
        for d in 0..200 {
            entries.push(dir(&format!("usr/d{d}")));
            for f in 0..1000 {
                entries.push(file(&format!("usr/d{d}/f{f}"), 1));
            }
        }
        let l0 = layer(entries);
        let l1 = layer(vec![marker(".wh.usr"), file("usr/only", 2)]);
        let l2 = layer(vec![marker(".wh..wh..opq"), file("etc/x", 3)]);
        let merged = merge(&[&l0, &l1, &l2]);
        assert_eq!(paths(&merged), ["etc", "etc/x"]);
        assert_eq!(merged.totals.wasted_bytes, 200_002);
        assert_eq!(merged.layers[1].removed, 200_200);
        assert_eq!(merged.layers[0].added, 200_201);
    }
}
