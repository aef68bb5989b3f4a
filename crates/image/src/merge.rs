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
//! Paths are interned name by name (`path_tree`), each visible node linked under its parent:
//! whiting out `/usr` costs the size of `/usr`, never a scan of the whole tree, no full path is
//! stored or compared per entry, and memory grows only with the number of entries.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::{EntryKind, LayerEntries};
use crate::path_tree::{DirCache, LiveSet, NodeId, PathTree, ROOT};

/// Mode given to directories nobody wrote (`srv/` above `srv/a/file` when `srv/` has no entry).
const IMPLICIT_DIR_MODE: u32 = 0o755;

/// One visible path of the merged filesystem, as [`Merged::nodes`] and [`Merged::get`] build it.
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
/// once: removing `/usr` with 5,000 files below it is 5,001 removals. The paths themselves
/// come from [`Merged::changed_paths`] and [`Merged::change`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerChanges {
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
    /// Every changed node, sorted by node id.
    changes: Vec<(NodeId, Change)>,
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

/// The result of [`merge`]. Paths are interned name by name; the path strings of
/// [`MergedNode`] and [`PathChange`] are built when asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    paths: PathTree,
    /// Indexed by node id; only the nodes in `order` are visible.
    states: Vec<NodeState>,
    /// Link targets and hardlink resolutions of visible nodes.
    links: HashMap<NodeId, LinkInfo>,
    /// Every visible node, sorted by path bytes.
    order: Vec<NodeId>,
    pub summary: MergedSummary,
    /// One per input layer.
    pub layers: Vec<LayerChanges>,
    /// Every invisible regular-file version, in the order the versions were shipped.
    pub wasted_versions: Vec<WastedVersion>,
    pub totals: WasteTotals,
    pub warnings: Vec<MergeWarning>,
}

impl Merged {
    /// How many paths are visible.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Every visible path, sorted by path bytes.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = MergedNode> + '_ {
        self.order.iter().map(|&id| self.node(id))
    }

    /// Every visible node without its path (cheap to list), sorted by path bytes.
    pub fn node_refs(&self) -> impl ExactSizeIterator<Item = NodeRef<'_>> {
        self.order.iter().map(|&id| NodeRef { merged: self, id })
    }

    fn state(&self, id: NodeId) -> NodeState {
        self.states.get(id as usize).cloned().unwrap_or_default()
    }

    fn node(&self, id: NodeId) -> MergedNode {
        let state = self.state(id);
        let link = self.links.get(&id);
        MergedNode {
            path: self.paths.path(id).into(),
            kind: state.kind,
            size: state.size,
            layer: state.layer as usize,
            mode: state.mode,
            implicit: state.implicit,
            link_target: link.and_then(|link| link.target.clone()),
            resolved_size: link.and_then(|link| link.resolved_size),
            uid: state.uid,
            gid: state.gid,
            entry: (state.entry != NO_ENTRY).then_some(state.entry as usize),
        }
    }

    fn visible_id(&self, path: &str) -> Option<NodeId> {
        self.paths
            .lookup(path)
            .filter(|&id| self.states.get(id as usize).is_some_and(|s| s.visible))
    }

    /// The visible node at `path` (normalised like `Entry::path`).
    pub fn get(&self, path: &str) -> Option<MergedNode> {
        self.visible_id(path).map(|id| self.node(id))
    }

    /// Whether `layers[layer].entries[entry]` is the version visible at `path`.
    pub fn is_visible(&self, path: &str, layer: usize, entry: usize) -> bool {
        self.visible_id(path)
            .and_then(|id| self.states.get(id as usize))
            .is_some_and(|state| {
                state.layer as usize == layer
                    && state.entry != NO_ENTRY
                    && state.entry as usize == entry
            })
    }

    /// Every path layer `layer` changed, sorted by path bytes (empty for a layer out of range).
    pub fn changed_paths(&self, layer: usize) -> Vec<PathChange> {
        let Some(changes) = self.layers.get(layer) else {
            return Vec::new();
        };
        let mut paths: Vec<PathChange> = changes
            .changes
            .iter()
            .map(|&(id, change)| PathChange {
                path: self.paths.path(id).into(),
                change,
            })
            .collect();
        paths.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        paths
    }

    /// How layer `layer` changed `path`, if it did.
    pub fn change(&self, layer: usize, path: &str) -> Option<Change> {
        let id = self.paths.lookup(path)?;
        let changes = &self.layers.get(layer)?.changes;
        let at = changes.binary_search_by_key(&id, |&(node, _)| node).ok()?;
        changes.get(at).map(|&(_, change)| change)
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

/// A visible node of [`Merged::node_refs`]: the fields of [`MergedNode`] without building its
/// path until [`NodeRef::path`] or [`NodeRef::node`] is called.
#[derive(Clone, Copy, Debug)]
pub struct NodeRef<'a> {
    merged: &'a Merged,
    id: NodeId,
}

impl NodeRef<'_> {
    pub fn kind(&self) -> EntryKind {
        self.merged.state(self.id).kind
    }

    pub fn size(&self) -> u64 {
        self.merged.state(self.id).size
    }

    pub fn layer(&self) -> usize {
        self.merged.state(self.id).layer as usize
    }

    pub fn mode(&self) -> u32 {
        self.merged.state(self.id).mode
    }

    pub fn path(&self) -> String {
        self.merged.paths.path(self.id)
    }

    pub fn node(&self) -> MergedNode {
        self.merged.node(self.id)
    }
}

/// The JSON shape of the former all-strings result: `nodes`, `summary`, `layers` (with their
/// `paths`), `wasted_versions`, `totals`, `warnings`.
impl Serialize for Merged {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;

        struct Nodes<'a>(&'a Merged);
        impl Serialize for Nodes<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.nodes())
            }
        }
        #[derive(Serialize)]
        struct LayerJson {
            added: usize,
            modified: usize,
            removed: usize,
            paths: Vec<PathChange>,
        }
        struct Layers<'a>(&'a Merged);
        impl Serialize for Layers<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let merged = self.0;
                serializer.collect_seq(merged.layers.iter().enumerate().map(|(index, c)| {
                    LayerJson {
                        added: c.added,
                        modified: c.modified,
                        removed: c.removed,
                        paths: merged.changed_paths(index),
                    }
                }))
            }
        }

        let mut out = serializer.serialize_struct("Merged", 6)?;
        out.serialize_field("nodes", &Nodes(self))?;
        out.serialize_field("summary", &self.summary)?;
        out.serialize_field("layers", &Layers(self))?;
        out.serialize_field("wasted_versions", &self.wasted_versions)?;
        out.serialize_field("totals", &self.totals)?;
        out.serialize_field("warnings", &self.warnings)?;
        out.end()
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
    merge_with_paths(layers, PathTree::default())
}

/// [`merge`] starting from paths already interned (by dive's analysis of the same layers), so
/// the two never hold a tree of paths each.
pub(crate) fn merge_with_paths(layers: &[&LayerEntries], paths: PathTree) -> Merged {
    let mut merger = Merger {
        paths,
        ..Merger::default()
    };
    // Handed-over paths tell how many nodes there will be: size the arrays once.
    merger.states.reserve_exact(merger.paths.len());
    merger.live.reserve(&merger.paths);
    let mut changes = Vec::with_capacity(layers.len());
    for (layer_index, layer) in layers.iter().enumerate() {
        merger.apply_layer(layer_index, layer);
        changes.push(merger.take_layer_changes());
    }
    merger.finish(layers, changes)
}

/// `entry` of a node no entry wrote.
const NO_ENTRY: u32 = u32::MAX;

/// A path's state: what the entry that wrote it said (sizes and attributes copied, so the
/// result does not need the layers).
#[derive(Clone, Debug, PartialEq, Eq)]
struct NodeState {
    size: u64,
    layer: u32,
    entry: u32,
    mode: u32,
    uid: u32,
    gid: u32,
    kind: EntryKind,
    implicit: bool,
    /// Set for the visible nodes when the merge finishes.
    visible: bool,
    /// The current layer touched the node (it is in `Merger::touched`); fits in padding.
    touched: bool,
}

// One per interned node: keep it from growing unnoticed.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<NodeState>() <= 32);

impl Default for NodeState {
    fn default() -> Self {
        NodeState {
            size: 0,
            layer: 0,
            entry: NO_ENTRY,
            mode: 0,
            uid: 0,
            gid: 0,
            kind: EntryKind::Other,
            implicit: false,
            visible: false,
            touched: false,
        }
    }
}

/// A file version: the entry that shipped it.
type VersionId = (u32, u32);

/// What only links carry; kept aside since links are few.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LinkInfo {
    target: Option<Box<str>>,
    resolved_size: Option<u64>,
    /// For hardlinks: the file version the link reaches.
    version: Option<VersionId>,
}

/// A file version something removed.
struct RemovedVersion {
    version: VersionId,
    removed_in_layer: u32,
    reason: WasteReason,
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

struct Merger {
    paths: PathTree,
    live: LiveSet,
    states: Vec<NodeState>,
    links: HashMap<NodeId, LinkInfo>,
    removed_versions: Vec<RemovedVersion>,
    warnings: Vec<MergeWarning>,
    /// Every node the current layer touched, once, with whether it existed at its first touch
    /// (that is, whether it was visible when the layer began).
    touched: Vec<(NodeId, bool)>,
    /// Every node's ancestors are directories, which lets `ensure_parents` stop at an existing
    /// parent directory. Only an entry placed below a symlink breaks it (for good).
    ancestors_are_dirs: bool,
    /// The directory of the previous entry: tar order keeps siblings together.
    last_dir: DirCache,
}

impl Default for Merger {
    fn default() -> Self {
        Merger {
            paths: PathTree::default(),
            live: LiveSet::default(),
            states: Vec::new(),
            links: HashMap::new(),
            removed_versions: Vec::new(),
            warnings: Vec::new(),
            touched: Vec::new(),
            ancestors_are_dirs: true,
            last_dir: DirCache::default(),
        }
    }
}

impl Merger {
    fn state(&self, id: NodeId) -> Option<&NodeState> {
        if self.live.contains(id) {
            self.states.get(id as usize)
        } else {
            None
        }
    }

    /// The node of a marker's directory (`""` is the root), if it was ever interned.
    fn existing_dir(&self, dir: &str) -> Option<NodeId> {
        self.paths.lookup(dir)
    }

    fn apply_layer(&mut self, layer_index: usize, layer: &LayerEntries) {
        // Most entries touch one node; removals and implicit parents a few more.
        let entries = layer.entries.len();
        self.touched.reserve(entries.saturating_add(entries / 8));
        for entry in layer.entries.iter().filter(|e| e.kind == EntryKind::Opaque) {
            let (dir, _) = split_parent(&entry.path);
            if let Some(dir) = self.existing_dir(dir) {
                self.remove_descendants(dir, layer_index, WasteReason::Opaque);
            }
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
            let target = self
                .existing_dir(dir)
                .and_then(|dir| self.paths.child(dir, name))
                .filter(|&id| self.live.contains(id));
            match target {
                Some(target) => self.remove_subtree(
                    target,
                    layer_index,
                    WasteReason::Whiteout,
                    WasteReason::Whiteout,
                ),
                None => self.warnings.push(MergeWarning {
                    layer: layer_index,
                    path: entry.path.clone(),
                    kind: MergeWarningKind::WhiteoutTargetMissing,
                    target: Some(join(dir, name).into()),
                    parent: None,
                }),
            }
        }
        for (entry_index, entry) in layer.entries.iter().enumerate() {
            if entry.path.is_empty() {
                continue; // the root itself (`./`)
            }
            let (parent, name) = self.paths.intern_parent(&entry.path, &mut self.last_dir);
            self.ensure_parents(parent, &entry.path, layer_index);
            if entry.kind.is_marker() {
                continue;
            }
            let id = self.paths.intern_child(parent, name);
            if let Some(old) = self.state(id) {
                let (old_kind, old_layer) = (old.kind, old.layer);
                if old_kind == EntryKind::Dir && entry.kind == EntryKind::Dir {
                    self.touch(id, true);
                    if let Some(old) = self.states.get_mut(id as usize) {
                        old.layer = to_u32(layer_index);
                        old.mode = entry.mode;
                        old.uid = entry.uid;
                        old.gid = entry.gid;
                        old.implicit = false;
                        old.entry = to_u32(entry_index);
                    }
                    continue;
                }
                let reason = match (old_kind, entry.kind) {
                    (EntryKind::File, EntryKind::File) if old_layer as usize == layer_index => {
                        WasteReason::OverwrittenSameLayer
                    }
                    (EntryKind::File, EntryKind::File) => WasteReason::Overwritten,
                    (_, new_kind) => WasteReason::ReplacedBy(new_kind),
                };
                self.remove_subtree(
                    id,
                    layer_index,
                    reason,
                    WasteReason::ParentReplacedBy(entry.kind),
                );
            }
            let state = NodeState {
                size: entry.size,
                layer: to_u32(layer_index),
                entry: to_u32(entry_index),
                mode: entry.mode,
                uid: entry.uid,
                gid: entry.gid,
                kind: entry.kind,
                implicit: false,
                visible: false,
                touched: false,
            };
            let mut link = LinkInfo {
                target: entry.link_target.as_deref().map(Box::from),
                ..LinkInfo::default()
            };
            if entry.kind == EntryKind::Hardlink {
                self.resolve_hardlink(&mut link, &entry.path, layer_index);
            }
            if link == LinkInfo::default() {
                self.links.remove(&id);
            } else {
                self.links.insert(id, link);
            }
            self.insert(id, state);
        }
    }

    /// Gives a hardlink its target's size and version, as they are at this point of the merge
    /// (the target may be in a lower layer or earlier in this one).
    fn resolve_hardlink(&mut self, link: &mut LinkInfo, path: &str, layer_index: usize) {
        let target = normalize_link(link.target.as_deref().unwrap_or(""));
        let found = self
            .paths
            .lookup(target)
            .and_then(|id| self.state(id).map(|state| (id, state)));
        match found {
            Some((id, target_state)) => match target_state.kind {
                EntryKind::File => {
                    link.version = Some((target_state.layer, target_state.entry));
                    link.resolved_size = Some(target_state.size);
                }
                EntryKind::Hardlink => {
                    let target_link = self.links.get(&id);
                    link.version = target_link.and_then(|l| l.version);
                    link.resolved_size = target_link.and_then(|l| l.resolved_size);
                }
                _ => link.resolved_size = Some(0),
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

    /// Creates the missing ancestors of the entry at `path` (whose parent is `parent`) as
    /// implicit directories; an ancestor that is another non-directory is replaced, a
    /// symlink ancestor stops the walk.
    fn ensure_parents(&mut self, parent: NodeId, path: &str, layer_index: usize) {
        if self.ancestors_are_dirs
            && (parent == ROOT
                || self
                    .state(parent)
                    .is_some_and(|state| state.kind == EntryKind::Dir))
        {
            return;
        }
        let mut chain = Vec::new();
        let mut node = parent;
        while node != ROOT {
            chain.push(node);
            node = self.paths.parent(node).unwrap_or(ROOT);
        }
        for &ancestor in chain.iter().rev() {
            match self.state(ancestor).map(|state| state.kind) {
                Some(EntryKind::Dir) => continue,
                Some(EntryKind::Symlink) => {
                    self.ancestors_are_dirs = false;
                    self.warnings.push(MergeWarning {
                        layer: layer_index,
                        path: path.into(),
                        kind: MergeWarningKind::ParentIsSymlink,
                        target: None,
                        parent: Some(self.paths.path(ancestor).into()),
                    });
                    return;
                }
                Some(_) => {
                    self.warnings.push(MergeWarning {
                        layer: layer_index,
                        path: path.into(),
                        kind: MergeWarningKind::ParentNotDir,
                        target: None,
                        parent: Some(self.paths.path(ancestor).into()),
                    });
                    self.remove_subtree(
                        ancestor,
                        layer_index,
                        WasteReason::ReplacedByImplicitDir,
                        WasteReason::ReplacedByImplicitDir,
                    );
                }
                None => {}
            }
            self.links.remove(&ancestor);
            self.insert(
                ancestor,
                NodeState {
                    size: 0,
                    layer: to_u32(layer_index),
                    entry: NO_ENTRY,
                    mode: IMPLICIT_DIR_MODE,
                    uid: 0,
                    gid: 0,
                    kind: EntryKind::Dir,
                    implicit: true,
                    visible: false,
                    touched: false,
                },
            );
        }
    }

    /// Adds a node at a path that has none (any old node was removed first).
    fn insert(&mut self, id: NodeId, state: NodeState) {
        let index = id as usize;
        if self.states.len() <= index {
            self.states.resize(index + 1, NodeState::default());
        }
        if let Some(slot) = self.states.get_mut(index) {
            *slot = NodeState {
                touched: slot.touched,
                ..state
            };
        }
        self.touch(id, false);
        self.live.insert(&self.paths, id);
    }

    /// Lists `id` in `touched` unless the layer touched it before. Its state slot exists:
    /// every node that is or was present went through `insert`.
    fn touch(&mut self, id: NodeId, existed: bool) {
        if let Some(state) = self.states.get_mut(id as usize) {
            if !state.touched {
                state.touched = true;
                self.touched.push((id, existed));
            }
        }
    }

    /// Removes `id` (reason `own`) and everything below it (reason `below`).
    fn remove_subtree(
        &mut self,
        id: NodeId,
        layer_index: usize,
        own: WasteReason,
        below: WasteReason,
    ) {
        self.remove_descendants(id, layer_index, below);
        self.kill(id, layer_index, own);
    }

    /// Removes everything below `dir` (the root: everything).
    fn remove_descendants(&mut self, dir: NodeId, layer_index: usize, reason: WasteReason) {
        for id in self.live.take_descendants(dir) {
            // `take_descendants` already marked them absent.
            self.record_removal(id, layer_index, reason);
        }
    }

    fn kill(&mut self, id: NodeId, layer_index: usize, reason: WasteReason) {
        if !self.live.contains(id) {
            return;
        }
        self.live.remove(id);
        self.record_removal(id, layer_index, reason);
    }

    fn record_removal(&mut self, id: NodeId, layer_index: usize, reason: WasteReason) {
        self.touch(id, true);
        let Some(state) = self.states.get(id as usize) else {
            return;
        };
        // A hardlink's version belongs to its target; only a file's own removal counts.
        if state.kind == EntryKind::File {
            self.removed_versions.push(RemovedVersion {
                version: (state.layer, state.entry),
                removed_in_layer: to_u32(layer_index),
                reason,
            });
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

    /// Turns the nodes the layer touched into its change list and resets for the next layer.
    fn take_layer_changes(&mut self) -> LayerChanges {
        let mut touched = std::mem::take(&mut self.touched);
        for &(id, _) in &touched {
            if let Some(state) = self.states.get_mut(id as usize) {
                state.touched = false;
            }
        }
        // Each node is listed once, so an unstable sort (no scratch buffer) gives one order.
        touched.sort_unstable_by_key(|&(id, _)| id);
        let live = &self.live;
        // Collected in place: the touched list's buffer becomes the change list.
        let mut changes: Vec<(NodeId, Change)> = touched
            .into_iter()
            .filter_map(|(id, existed_before)| {
                let change = match (existed_before, live.contains(id)) {
                    (false, true) => Change::Added,
                    (true, true) => Change::Modified,
                    (true, false) => Change::Removed,
                    (false, false) => return None, // created and removed within the layer
                };
                Some((id, change))
            })
            .collect();
        changes.shrink_to_fit();
        let count = |wanted: Change| changes.iter().filter(|&&(_, c)| c == wanted).count();
        LayerChanges {
            added: count(Change::Added),
            modified: count(Change::Modified),
            removed: count(Change::Removed),
            changes,
        }
    }

    fn finish(self, layers: &[&LayerEntries], layer_changes: Vec<LayerChanges>) -> Merged {
        let Merger {
            paths,
            live,
            mut states,
            mut links,
            mut removed_versions,
            warnings,
            ..
        } = self;
        let visible = live.present();
        drop(live);
        links.retain(|id, _| visible.binary_search(id).is_ok());
        links.shrink_to_fit();

        // A removed version is still shipped usefully when a visible hardlink reaches it.
        let kept_by_hardlink: HashSet<VersionId> = visible
            .iter()
            .filter(|&&id| {
                states
                    .get(id as usize)
                    .is_some_and(|s| s.kind == EntryKind::Hardlink)
            })
            .filter_map(|id| links.get(id).and_then(|link| link.version))
            .collect();

        let mut totals = WasteTotals {
            wasted_by_layer: vec![0; layers.len()],
            ..WasteTotals::default()
        };
        // Versions were shipped in (layer, entry) order.
        removed_versions.sort_by_key(|removed| removed.version);
        let mut wasted_versions = Vec::new();
        for removed in removed_versions {
            let (layer, entry) = removed.version;
            let shipped = layers
                .get(layer as usize)
                .and_then(|l| l.entries.get(entry as usize));
            let size = shipped.map_or(0, |entry| entry.size);
            if kept_by_hardlink.contains(&removed.version) {
                totals.kept_only_via_hardlink_bytes =
                    totals.kept_only_via_hardlink_bytes.saturating_add(size);
                continue;
            }
            totals.wasted_bytes = totals.wasted_bytes.saturating_add(size);
            let by_reason = totals
                .wasted_by_reason
                .entry(removed.reason.to_string())
                .or_insert(0);
            *by_reason = by_reason.saturating_add(size);
            if let Some(by_layer) = totals.wasted_by_layer.get_mut(layer as usize) {
                *by_layer = by_layer.saturating_add(size);
            }
            wasted_versions.push(WastedVersion {
                path: shipped.map(|entry| entry.path.clone()).unwrap_or_default(),
                layer: layer as usize,
                size,
                removed_in_layer: removed.removed_in_layer as usize,
                reason: removed.reason,
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
        for &id in &visible {
            let Some(state) = states.get_mut(id as usize) else {
                continue;
            };
            state.visible = true;
            summary.paths += 1;
            *summary.type_counts.entry(state.kind.as_str()).or_insert(0) += 1;
            if state.kind == EntryKind::File {
                summary.files += 1;
                summary.file_bytes = summary.file_bytes.saturating_add(state.size);
            }
            if state.implicit {
                summary.implicit_dirs += 1;
            }
        }
        let order = paths.path_order(visible);

        Merged {
            paths,
            states,
            links,
            order,
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

    fn paths(merged: &Merged) -> Vec<String> {
        merged.nodes().map(|n| n.path.into()).collect()
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
            merged.changed_paths(1),
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

    /// Each path `layer` changed, as text, with its change.
    fn path_changes(merged: &Merged, layer: usize) -> Vec<(String, Change)> {
        merged
            .changed_paths(layer)
            .into_iter()
            .map(|c| (c.path.to_string(), c.change))
            .collect()
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
        let changes = path_changes(&merged, 1);
        assert_eq!(
            changes,
            [
                ("app/data".to_owned(), Change::Modified),
                ("app/data/f".to_owned(), Change::Removed),
                ("app/data/g".to_owned(), Change::Added)
            ]
        );
    }

    #[test]
    fn a_path_created_and_removed_in_one_layer_is_no_change() {
        let l0 = layer(vec![file("a", 1)]);
        // `d/f` is added, then swept away when the file `d` replaces the directory `d`.
        let l1 = layer(vec![dir("d"), file("d/f", 1), file("d", 2), file("a", 3)]);
        let merged = merge(&[&l0, &l1]);
        let changes = path_changes(&merged, 1);
        assert_eq!(
            changes,
            [
                ("a".to_owned(), Change::Modified),
                ("d".to_owned(), Change::Added)
            ]
        );
        let counts = merged
            .layers
            .get(1)
            .map(|c| (c.added, c.modified, c.removed));
        assert_eq!(counts, Some((1, 1, 0)));
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

    /// A large layer set (50,000 files, whole directories whited out, an opaque directory,
    /// overwrites, a 300-level path, names sorting around `/`): every figure follows from
    /// how the layers were built.
    #[test]
    fn large_layer_sets_give_exact_results() {
        let mut l0 = Vec::new();
        for d in 0..100 {
            for f in 0..500u64 {
                l0.push(file(&format!("srv/d{d}/f{f}"), f));
            }
            l0.push(file(&format!("srv/d{d}-x"), 1));
        }
        let deep: Vec<String> = (0..300).map(|i| format!("n{i}")).collect();
        l0.push(file(&deep.join("/"), 7));
        let mut l1: Vec<_> = (0..100)
            .step_by(2)
            .map(|d| marker(&format!("srv/.wh.d{d}")))
            .collect();
        l1.push(marker("srv/d1/.wh..wh..opq"));
        l1.push(file("srv/d1/new", 5));
        l1.extend((0..500).map(|f| file(&format!("srv/d3/f{f}"), 1000)));
        let l2 = vec![marker("n0/.wh.n1")];
        let (l0, l1, l2) = (layer(l0), layer(l1), layer(l2));
        let merged = merge(&[&l0, &l1, &l2]);

        let paths = paths(&merged);
        assert!(paths.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        assert_eq!(paths.len(), merged.len());
        assert_eq!(merged.summary.files, 1 + 49 * 500 + 100);
        assert_eq!(merged.summary.paths, 1 + 50 + 24_601 + 1);
        assert!(merged.get("srv/d0").is_none() && merged.get("srv/d0-x").is_some());
        assert_eq!(
            merged.get("srv/d3/f7").map(|n| (n.size, n.layer)),
            Some((1000, 1))
        );

        let per_dir: u64 = (0..500).sum();
        let totals = &merged.totals;
        assert_eq!(
            totals.wasted_by_reason.get("whiteout"),
            Some(&(50 * per_dir + 7))
        );
        assert_eq!(totals.wasted_by_reason.get("opaque"), Some(&per_dir));
        assert_eq!(totals.wasted_by_reason.get("overwritten"), Some(&per_dir));
        assert_eq!(totals.wasted_bytes, 52 * per_dir + 7);
        assert!(identity_holds(&merged));

        let counts: Vec<_> = merged
            .layers
            .iter()
            .map(|c| (c.added, c.modified, c.removed))
            .collect();
        assert_eq!(
            counts,
            [
                (1 + 100 + 299 + 50_101, 0, 0),
                (1, 500, 50 * 501 + 500),
                (0, 0, 299)
            ]
        );
        let changed = merged.changed_paths(1);
        assert_eq!(changed.len(), 1 + 500 + 50 * 501 + 500);
        assert!(changed.windows(2).all(|w| w[0].path < w[1].path));
        assert_eq!(merged.change(1, "srv/d3/f9"), Some(Change::Modified));
        assert_eq!(merged.change(1, "srv/d2/f9"), Some(Change::Removed));
        assert_eq!(merged.change(1, "srv/d5/f9"), None);

        let dive = crate::dive::analyze(&[&l0, &l1, &l2]);
        assert_eq!(dive.inefficiencies.len(), 500);
        assert_eq!(dive.wasted_bytes, 500 * 1000 + per_dir);
        assert_eq!(dive.efficiency_min_sum, 100 * per_dir as i64 + 100 + 7 + 5);
        assert_eq!(
            dive.efficiency_cumulative_sum,
            100 * per_dir + 100 + 7 + 500 * 1000 + 5
        );
        assert!(dive.stopped_early.is_empty());
    }
}
