//! dive v0.13.1's waste numbers and CI gate, computed exactly as dive computes them
//! (`filetree/efficiency.go`, `file_tree.go`, `image/analysis.go`, `command/ci/rules.go`), so
//! `layerlab inspect --ci` can replace `dive --ci` without moving anyone's thresholds.
//!
//! dive's quirks are kept on purpose (see `image-anchors.md` §1.2): only leaves of each layer's
//! tree count; a whiteout is sized from the stacked lower tree only when it removes a
//! directory; opaque markers (and anything below a `.wh..wh..*` name) are dropped; every copy
//! of a repeated path counts as wasted, the kept one too; "user" means layers 1..n; the first
//! whiteout whose path is missing ends that layer's visit. The stacked tree dive sizes
//! whiteouts against is `trees[0]` stacked with `trees[0..i]` (so layer 0's whiteouts see
//! layer 0 itself).
//!
//! dive copies the whole merged tree for every whiteout (about 2N trees). Here paths are
//! interned once (`path_tree`), one stacked tree grows layer by layer, whiteout sizes come from
//! one walk per outermost removed directory, and each layer's tree is visited once in dive's
//! order (children first, names sorted by bytes).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::model::{EntryKind, LayerEntries};
use crate::path_tree::{DirCache, LiveSet, NodeId, PathTree, ROOT};

/// A path dive saw in two or more layers (dive's `fileReference`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inefficiency {
    /// dive's path: absolute, whiteout prefix removed (`/var/cache/apt/pkgcache.bin`).
    pub path: String,
    /// How many layers had this path as a leaf.
    pub count: u64,
    /// The sum of its sizes over those layers (what dive prints as "Wasted Space").
    pub cumulative_size: u64,
    /// The smallest of those sizes.
    pub min_size: u64,
}

/// A layer whose visit dive abandons at a whiteout of a path the stacked tree lacks; the
/// layer's later leaves are not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoppedEarly {
    pub layer: usize,
    /// The whiteout's path (prefix removed), as dive's error names it.
    pub path: String,
}

/// dive's `Analysis` for an image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiveAnalysis {
    /// Σ min size / Σ cumulative size over every leaf path; 1.0 when nothing was counted.
    pub efficiency: f64,
    /// The numerator of `efficiency`, exact. Can go below zero: dive counts −1 for a path
    /// whose only sighting was the whiteout its layer's visit stopped at.
    pub efficiency_min_sum: i64,
    /// The denominator of `efficiency`, exact.
    pub efficiency_cumulative_sum: u64,
    /// Σ cumulative size over `inefficiencies` (every copy, the kept one included).
    pub wasted_bytes: u64,
    /// Σ header sizes of every entry of every layer.
    pub size_bytes: u64,
    /// `size_bytes` without layer 0.
    pub user_size_bytes: u64,
    /// `wasted_bytes / user_size_bytes`, a ratio (dive prints it ×100); `None` when
    /// `user_size_bytes` is 0, where dive computes Inf or NaN.
    pub user_wasted_percent: Option<f64>,
    /// Per layer: Σ header sizes (dive's layer "Size").
    pub layer_sizes: Vec<u64>,
    /// Paths seen in two or more layers, smallest cumulative size first (ties by path).
    pub inefficiencies: Vec<Inefficiency>,
    pub stopped_early: Vec<StoppedEarly>,
    /// Layers with a PAX global header: dive refuses the whole image on those.
    pub global_pax_header_layers: Vec<usize>,
}

impl DiveAnalysis {
    /// Σ (cumulative − min) over `inefficiencies`: what dive would report if it did not count
    /// the kept copy (dive #684).
    pub fn corrected_wasted_bytes(&self) -> u64 {
        self.inefficiencies.iter().fold(0u64, |sum, item| {
            sum.saturating_add(item.cumulative_size.saturating_sub(item.min_size))
        })
    }
}

/// Computes dive's numbers for `layers` in manifest order.
pub fn analyze(layers: &[&LayerEntries]) -> DiveAnalysis {
    analyze_with_paths(layers, &mut PathTree::default())
}

/// [`analyze`], interning its paths into `paths` (which the merge can then start from).
pub(crate) fn analyze_with_paths(layers: &[&LayerEntries], paths: &mut PathTree) -> DiveAnalysis {
    let mut sightings: Vec<Sighting> = Vec::new();
    let mut layer_sizes = Vec::with_capacity(layers.len());
    let mut stopped_early = Vec::new();
    let mut stacked = StackedTree::default();
    let mut tree = LayerTree::default();
    for (layer_index, layer) in layers.iter().enumerate() {
        let size = tree.fill(paths, layer);
        layer_sizes.push(size);
        let order = paths.child_first_order(std::mem::take(&mut tree.members));
        let more_layers = layer_index + 1 < layers.len();
        sightings.reserve(order.len());
        // The stacked tree serves layer 0's own whiteouts and the layers above; a lone layer
        // without whiteouts never reads it.
        if layer_index == 0 && (more_layers || has_whiteout(paths, &order)) {
            stacked.copy_layer(paths, &tree, &order);
        }
        count_leaves(
            paths,
            &tree,
            &order,
            &stacked,
            layer_index,
            &mut sightings,
            &mut stopped_early,
        );
        if more_layers {
            stacked.stack(paths, &tree, &order);
        }
    }
    drop((stacked, tree));

    let (mut min_sum, mut cumulative_sum) = (0i64, 0u64);
    let mut inefficiencies = Vec::new();
    sightings.sort_unstable_by_key(|s| s.key);
    for group in sightings.chunk_by(|a, b| a.key.path_key() == b.key.path_key()) {
        let mut stat = PathStat::default();
        for sighting in group.iter().filter(|s| s.key.counted()) {
            stat.cumulative = stat.cumulative.saturating_add(sighting.size);
            stat.min = Some(stat.min.map_or(sighting.size, |min| min.min(sighting.size)));
            stat.count += 1;
        }
        let min = stat
            .min
            .map_or(-1, |min| i64::try_from(min).unwrap_or(i64::MAX));
        min_sum = min_sum.saturating_add(min);
        cumulative_sum = cumulative_sum.saturating_add(stat.cumulative);
        if stat.count >= 2 {
            if let Some(first) = group.first() {
                inefficiencies.push(Inefficiency {
                    path: first.key.dive_path(paths),
                    count: stat.count,
                    cumulative_size: stat.cumulative,
                    min_size: stat.min.unwrap_or(0),
                });
            }
        }
    }
    drop(sightings);
    inefficiencies.sort_by(|a, b| {
        a.cumulative_size
            .cmp(&b.cumulative_size)
            .then_with(|| a.path.cmp(&b.path))
    });
    let wasted_bytes = inefficiencies
        .iter()
        .fold(0u64, |sum, item| sum.saturating_add(item.cumulative_size));
    let size_bytes = layer_sizes
        .iter()
        .fold(0u64, |sum, s| sum.saturating_add(*s));
    let user_size_bytes = layer_sizes
        .iter()
        .skip(1)
        .fold(0u64, |sum, s| sum.saturating_add(*s));
    DiveAnalysis {
        efficiency: if cumulative_sum == 0 {
            1.0
        } else {
            min_sum as f64 / cumulative_sum as f64
        },
        efficiency_min_sum: min_sum,
        efficiency_cumulative_sum: cumulative_sum,
        wasted_bytes,
        size_bytes,
        user_size_bytes,
        user_wasted_percent: (user_size_bytes != 0)
            .then(|| wasted_bytes as f64 / user_size_bytes as f64),
        layer_sizes,
        inefficiencies,
        stopped_early,
        global_pax_header_layers: layers
            .iter()
            .enumerate()
            .filter(|(_, layer)| layer.has_global_pax_header)
            .map(|(index, _)| index)
            .collect(),
    }
}

/// dive's per-path accumulator (`EfficiencyData`).
#[derive(Default)]
struct PathStat {
    cumulative: u64,
    /// dive's `minDiscoveredSize`, `None` for its initial −1.
    min: Option<u64>,
    count: u64,
}

/// dive's key for a path's statistics: a node, plus whether dive's path ends in `/` (a bare
/// `.wh.` leaf names its directory so), plus whether this sighting counts a size (dive also
/// registers the path a stopped visit failed on, with no size).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct StatKey(u64);

impl StatKey {
    fn new(node: NodeId, trailing_slash: bool, counted: bool) -> Self {
        StatKey(u64::from(node) << 2 | u64::from(trailing_slash) << 1 | u64::from(counted))
    }

    /// The key without the `counted` bit.
    fn path_key(self) -> u64 {
        self.0 >> 1
    }

    fn counted(self) -> bool {
        self.0 & 1 != 0
    }

    /// dive's `Node.Path()`: `/` and the names.
    fn dive_path(self, paths: &PathTree) -> String {
        let node = NodeId::try_from(self.0 >> 2).unwrap_or(ROOT);
        let mut path = String::from("/");
        paths.write_path(node, &mut path);
        if self.0 & 2 != 0 && node != ROOT {
            path.push('/');
        }
        path
    }
}

/// One leaf dive counted (or registered) in one layer.
struct Sighting {
    key: StatKey,
    size: u64,
}

/// Whether any node of `order` is named `.wh.*` (a whiteout or a marker dive drops).
fn has_whiteout(paths: &PathTree, order: &[NodeId]) -> bool {
    order.iter().any(|&id| paths.name(id).starts_with(".wh."))
}

/// Visits the leaves of one layer's tree in dive's order (`order`, children first) and records
/// their sizes.
fn count_leaves(
    paths: &mut PathTree,
    tree: &LayerTree,
    order: &[NodeId],
    stacked: &StackedTree,
    layer_index: usize,
    sightings: &mut Vec<Sighting>,
    stopped_early: &mut Vec<StoppedEarly>,
) {
    // A whiteout of a directory weighs that directory's stacked subtree. Those sizes are
    // computed together after the visit (so nested whiteouts stay linear): each such sighting
    // is recorded with size 0 and its position kept here to be filled in.
    let mut removed_dirs: Vec<(usize, NodeId)> = Vec::new();
    let mut previous: Option<NodeId> = None;
    for &id in order {
        // Children first: a node with children comes right after its last child.
        let has_children = previous.is_some_and(|child| paths.parent(child) == Some(id));
        previous = Some(id);
        if has_children {
            continue;
        }
        let Some(removed) = paths.name(id).strip_prefix(".wh.") else {
            sightings.push(Sighting {
                key: StatKey::new(id, false, true),
                size: tree.size(id),
            });
            continue;
        };
        let parent = paths.parent(id).unwrap_or(ROOT);
        // A bare `.wh.` names its own directory (`/dir/` in dive's path).
        let (target, trailing_slash) = if removed.is_empty() {
            (parent, parent != ROOT)
        } else {
            let removed = removed.to_owned();
            (paths.intern_child(parent, &removed), false)
        };
        match stacked.lookup(target) {
            None => {
                // dive registered the path before failing to size it.
                let key = StatKey::new(target, trailing_slash, false);
                sightings.push(Sighting { key, size: 0 });
                stopped_early.push(StoppedEarly {
                    layer: layer_index,
                    path: key.dive_path(paths),
                });
                break;
            }
            Some(info) => {
                if info.is_dir {
                    removed_dirs.push((sightings.len(), target));
                }
                sightings.push(Sighting {
                    key: StatKey::new(target, trailing_slash, true),
                    size: 0,
                });
            }
        }
    }

    if removed_dirs.is_empty() {
        return;
    }
    let subtree_sizes = stacked.subtree_sizes(
        paths,
        removed_dirs.iter().map(|&(_, target)| target).collect(),
    );
    for (index, target) in removed_dirs {
        if let Some(sighting) = sightings.get_mut(index) {
            sighting.size = subtree_sizes.get(&target).copied().unwrap_or(0);
        }
    }
}

/// dive's `FileInfo` as far as its numbers need it.
#[derive(Clone, Copy, Debug, Default)]
struct DiveInfo {
    size: u64,
    is_dir: bool,
}

/// dive's tree of one layer (`processLayerTar`) over interned paths. Intermediate nodes
/// nobody wrote carry an empty `DiveInfo` (not a directory), as in dive. The arrays are
/// indexed by node and reused from layer to layer.
#[derive(Default)]
struct LayerTree {
    /// `generation` for the nodes of the current layer.
    stamps: Vec<u32>,
    sizes: Vec<u64>,
    dirs: Vec<bool>,
    /// The current layer's nodes, each after its parent.
    members: Vec<NodeId>,
    generation: u32,
    cache: DirCache,
}

impl LayerTree {
    /// Replaces the tree with `layer`'s and returns the layer's size.
    fn fill(&mut self, paths: &mut PathTree, layer: &LayerEntries) -> u64 {
        // Into an empty tree, every entry is a new node: make room for them (and some implicit
        // parents) up front. Later layers mostly meet known paths; their arrays grow as needed.
        let nodes = layer.entries.len().saturating_add(layer.entries.len() / 8);
        if paths.len() <= 1 {
            let name_bytes: usize = layer
                .entries
                .iter()
                .map(|entry| entry.path.rsplit('/').next().map_or(0, str::len))
                .sum();
            paths.reserve(nodes, name_bytes.saturating_add(name_bytes / 8));
            self.stamps.reserve(nodes);
            self.sizes.reserve(nodes);
            self.dirs.reserve(nodes);
        }
        self.members = Vec::with_capacity(nodes);
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamps.iter_mut().for_each(|stamp| *stamp = 0);
            self.generation = 1;
        }
        let mut size = 0u64;
        for entry in &layer.entries {
            let path = go_clean(&entry.path);
            if path == "." {
                continue;
            }
            // A cleaned relative path has no empty names; only a rooted one needs trimming.
            let key = if path.starts_with('/') {
                Cow::Owned(normalize_components(&path))
            } else {
                path
            };
            size = size.saturating_add(entry.size);
            // Go's reader turns an old-style regular entry named `dir/` into a directory.
            let is_dir =
                entry.typeflag == b'5' || (entry.typeflag == 0 && entry.kind == EntryKind::Dir);
            let id = paths.intern_cached(&key, &mut self.cache);
            self.add_path(
                paths,
                id,
                DiveInfo {
                    size: entry.size,
                    is_dir,
                },
            );
        }
        size
    }

    fn contains(&self, id: NodeId) -> bool {
        id != ROOT && self.stamps.get(id as usize) == Some(&self.generation)
    }

    fn size(&self, id: NodeId) -> u64 {
        self.sizes.get(id as usize).copied().unwrap_or(0)
    }

    fn info(&self, id: NodeId) -> DiveInfo {
        DiveInfo {
            size: self.size(id),
            is_dir: self.dirs.get(id as usize).copied().unwrap_or(false),
        }
    }

    fn set(&mut self, id: NodeId, info: DiveInfo) {
        let index = id as usize;
        if self.stamps.len() <= index {
            let len = index + 1;
            self.stamps.resize(len, 0);
            self.sizes.resize(len, 0);
            self.dirs.resize(len, false);
        }
        if !self.contains(id) {
            self.members.push(id);
        }
        if let Some(stamp) = self.stamps.get_mut(index) {
            *stamp = self.generation;
        }
        if let Some(size) = self.sizes.get_mut(index) {
            *size = info.size;
        }
        if let Some(dir) = self.dirs.get_mut(index) {
            *dir = info.is_dir;
        }
    }

    /// dive's `AddPath`: creates missing nodes with empty info, gives up at a new name
    /// starting with `.wh..wh..`, and sets `info` on the last node (existing or not).
    fn add_path(&mut self, paths: &PathTree, id: NodeId, info: DiveInfo) {
        if self.contains(id) {
            self.set(id, info);
            return;
        }
        for node in missing_chain(paths, id, |node| self.contains(node)) {
            if paths.name(node).starts_with(".wh..wh..") {
                return;
            }
            self.set(
                node,
                if node == id {
                    info
                } else {
                    DiveInfo::default()
                },
            );
        }
    }
}

/// The nodes from below the deepest ancestor of `id` that `exists` (or the root) down to `id`,
/// top first; empty for the root.
fn missing_chain(paths: &PathTree, id: NodeId, exists: impl Fn(NodeId) -> bool) -> Vec<NodeId> {
    let mut chain = Vec::new();
    let mut node = id;
    while node != ROOT && !exists(node) {
        chain.push(node);
        node = paths.parent(node).unwrap_or(ROOT);
    }
    chain.reverse();
    chain
}

/// The tree dive sizes whiteouts against: layer 0, then every layer stacked on it.
#[derive(Default)]
struct StackedTree {
    live: LiveSet,
    sizes: Vec<u64>,
    dirs: Vec<bool>,
}

impl StackedTree {
    /// dive's `GetNode`; the root always exists and is not a directory.
    fn lookup(&self, id: NodeId) -> Option<DiveInfo> {
        if id == ROOT {
            return Some(DiveInfo::default());
        }
        self.live.contains(id).then(|| DiveInfo {
            size: self.sizes.get(id as usize).copied().unwrap_or(0),
            is_dir: self.dirs.get(id as usize).copied().unwrap_or(false),
        })
    }

    fn set(&mut self, paths: &PathTree, id: NodeId, info: DiveInfo) {
        let index = id as usize;
        if self.sizes.len() <= index {
            self.sizes.resize(index + 1, 0);
            self.dirs.resize(index + 1, false);
        }
        if let Some(size) = self.sizes.get_mut(index) {
            *size = info.size;
        }
        if let Some(dir) = self.dirs.get_mut(index) {
            *dir = info.is_dir;
        }
        self.live.insert(paths, id);
    }

    /// dive's `tree.Copy()` of layer 0's tree, whose nodes are `order`.
    fn copy_layer(&mut self, paths: &PathTree, tree: &LayerTree, order: &[NodeId]) {
        for &id in order {
            self.set(paths, id, tree.info(id));
        }
    }

    /// dive's `AddPath` on the stacked tree.
    fn add_path(&mut self, paths: &PathTree, id: NodeId, info: DiveInfo) {
        if self.live.contains(id) {
            self.set(paths, id, info);
            return;
        }
        for node in missing_chain(paths, id, |node| self.live.contains(node)) {
            if paths.name(node).starts_with(".wh..wh..") {
                return;
            }
            self.set(
                paths,
                node,
                if node == id {
                    info
                } else {
                    DiveInfo::default()
                },
            );
        }
    }

    /// dive's `RemovePath`: the node and its subtree; a missing path or the root is left alone.
    fn remove_path(&mut self, id: NodeId) {
        if id == ROOT || !self.live.contains(id) {
            return;
        }
        self.live.take_descendants(id);
        self.live.remove(id);
    }

    /// dive's `Stack`: in `upper`'s child-first `order`, a `.wh.` node removes the named path
    /// and any other node is added with its info.
    fn stack(&mut self, paths: &PathTree, upper: &LayerTree, order: &[NodeId]) {
        for &id in order {
            if let Some(removed) = paths.name(id).strip_prefix(".wh.") {
                let parent = paths.parent(id).unwrap_or(ROOT);
                let target = if removed.is_empty() {
                    Some(parent)
                } else {
                    paths.child(parent, removed)
                };
                if let Some(target) = target {
                    self.remove_path(target);
                }
            } else if upper.contains(id) {
                self.add_path(paths, id, upper.info(id));
            }
        }
    }

    /// The size of each directory in `dirs` plus everything below it. Only the outermost
    /// directories are walked, nested ones collecting their sums on the way, so the work is
    /// the size of the outermost subtrees, however deep the nesting.
    fn subtree_sizes(&self, paths: &PathTree, dirs: Vec<NodeId>) -> HashMap<NodeId, u64> {
        // The root is never a directory in dive's trees, so it never gets here.
        let wanted: HashSet<NodeId> = dirs.into_iter().filter(|&dir| dir != ROOT).collect();
        let mut sizes = HashMap::with_capacity(wanted.len());
        let own = |id: NodeId| u128::from(self.sizes.get(id as usize).copied().unwrap_or(0));
        for &outer in &wanted {
            let nested = {
                let mut node = outer;
                let mut nested = false;
                while let Some(parent) = paths.parent(node) {
                    if wanted.contains(&parent) {
                        nested = true;
                        break;
                    }
                    node = parent;
                }
                nested
            };
            if nested {
                continue;
            }
            // Parents come before children, so in reverse every node is summed before its
            // parent takes its total.
            let mut below: HashMap<NodeId, u128> = HashMap::new();
            for id in self.live.descendants(outer).into_iter().rev() {
                let total = below.remove(&id).unwrap_or(0) + own(id);
                if wanted.contains(&id) {
                    sizes.insert(id, u64::try_from(total).unwrap_or(u64::MAX));
                }
                if let Some(parent) = paths.parent(id) {
                    *below.entry(parent).or_insert(0) += total;
                }
            }
            let total = below.remove(&outer).unwrap_or(0) + own(outer);
            sizes.insert(outer, u64::try_from(total).unwrap_or(u64::MAX));
        }
        sizes
    }
}

/// The names of a path without empty ones, joined by `/` (how dive's `strings.Split` +
/// skip-empty walk sees `a//b` or a trailing slash).
fn normalize_components(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for name in path.split('/').filter(|name| !name.is_empty()) {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(name);
    }
    out
}

/// Go's `path.Clean` for the relative names the model holds (`""` becomes `"."`).
fn go_clean(path: &str) -> Cow<'_, str> {
    let rooted = path.starts_with('/');
    let tidy = !rooted
        && !path.is_empty()
        && path
            .split('/')
            .all(|name| !name.is_empty() && name != "." && name != "..");
    if tidy {
        return Cow::Borrowed(path);
    }
    let mut names: Vec<&str> = Vec::new();
    for name in path.split('/') {
        match name {
            "" | "." => {}
            ".." => {
                if names.last().is_some_and(|last| *last != "..") {
                    names.pop();
                } else if !rooted {
                    names.push("..");
                }
            }
            _ => names.push(name),
        }
    }
    let joined = names.join("/");
    Cow::Owned(match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    })
}

/// dive's CI thresholds (`.dive-ci` `rules:` or the flags). `None` disables a rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CiRules {
    /// Fails when `threshold > efficiency`. Default 0.9.
    pub lowest_efficiency: Option<f64>,
    /// Fails when `wasted_bytes > threshold`. Default disabled.
    pub highest_wasted_bytes: Option<u64>,
    /// Fails when `user_wasted_percent > threshold` (a ratio). Default 0.1.
    pub highest_user_wasted_percent: Option<f64>,
}

impl Default for CiRules {
    fn default() -> Self {
        CiRules {
            lowest_efficiency: Some(0.9),
            highest_wasted_bytes: None,
            highest_user_wasted_percent: Some(0.1),
        }
    }
}

/// A CI rule value dive would reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CiRuleError {
    pub rule: String,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for CiRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid value '{}' for {}: {}",
            self.value, self.rule, self.reason
        )
    }
}

impl std::error::Error for CiRuleError {}

impl CiRules {
    /// Sets one rule from its text value, accepting dive's names: the `.dive-ci` keys
    /// (`lowestEfficiency`, `highest-wasted-bytes`, …) and the flags with or without `--`.
    pub fn set(&mut self, rule: &str, value: &str) -> Result<(), CiRuleError> {
        let error = |reason: String| CiRuleError {
            rule: rule.to_owned(),
            value: value.to_owned(),
            reason,
        };
        match rule.trim_start_matches('-') {
            "lowestEfficiency" | "lowest-efficiency" => {
                self.lowest_efficiency = parse_ratio(value).map_err(error)?;
            }
            "highestWastedBytes" | "highest-wasted-bytes" => {
                self.highest_wasted_bytes = parse_byte_threshold(value).map_err(error)?;
            }
            "highestUserWastedPercent" | "highest-user-wasted-percent" => {
                self.highest_user_wasted_percent = parse_ratio(value).map_err(error)?;
            }
            _ => {
                return Err(error(
                    "unknown rule (known: lowest-efficiency, highest-wasted-bytes, highest-user-wasted-percent)"
                        .to_owned(),
                ))
            }
        }
        Ok(())
    }

    /// Each rule's verdict against `analysis`, in dive's order.
    pub fn evaluate(&self, analysis: &DiveAnalysis) -> Vec<RuleVerdict> {
        let efficiency = match self.lowest_efficiency {
            None => RuleVerdict::skipped("lowest-efficiency", analysis.efficiency.into()),
            Some(threshold) => RuleVerdict::judged(
                "lowest-efficiency",
                threshold > analysis.efficiency,
                analysis.efficiency.into(),
                threshold.into(),
                format!(
                    "image efficiency is too low (efficiency={} < threshold={})",
                    analysis.efficiency, threshold
                ),
            ),
        };
        let wasted = match self.highest_wasted_bytes {
            None => RuleVerdict::skipped("highest-wasted-bytes", analysis.wasted_bytes.into()),
            Some(threshold) => RuleVerdict::judged(
                "highest-wasted-bytes",
                analysis.wasted_bytes > threshold,
                analysis.wasted_bytes.into(),
                threshold.into(),
                format!(
                    "too many bytes wasted (wasted-bytes={} > threshold={})",
                    analysis.wasted_bytes, threshold
                ),
            ),
        };
        // dive divides by zero here: +Inf fails any threshold, NaN (nothing wasted) passes.
        let user_wasted = match analysis.user_wasted_percent {
            Some(ratio) => ratio,
            None if analysis.wasted_bytes > 0 => f64::INFINITY,
            None => f64::NAN,
        };
        let user = match self.highest_user_wasted_percent {
            None => RuleVerdict::skipped("highest-user-wasted-percent", user_wasted.into()),
            Some(threshold) => RuleVerdict::judged(
                "highest-user-wasted-percent",
                user_wasted > threshold,
                user_wasted.into(),
                threshold.into(),
                format!(
                    "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={user_wasted} > threshold={threshold})"
                ),
            ),
        };
        vec![efficiency, wasted, user]
    }
}

/// A number a rule compares: a ratio or a byte count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RuleValue {
    /// Serialized as `null` when not finite (JSON has no Inf/NaN).
    Ratio(#[serde(serialize_with = "finite_or_null")] f64),
    Bytes(u64),
}

impl From<f64> for RuleValue {
    fn from(value: f64) -> Self {
        RuleValue::Ratio(value)
    }
}

impl From<u64> for RuleValue {
    fn from(value: u64) -> Self {
        RuleValue::Bytes(value)
    }
}

impl fmt::Display for RuleValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleValue::Ratio(value) => write!(f, "{value}"),
            RuleValue::Bytes(value) => write!(f, "{value}"),
        }
    }
}

fn finite_or_null<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_finite() {
        serializer.serialize_f64(*value)
    } else {
        serializer.serialize_none()
    }
}

/// A rule's outcome, as dive prints PASS / FAIL / SKIP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    Pass,
    Fail,
    Skip,
}

/// One rule's verdict with the numbers it compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleVerdict {
    /// The flag name without `--` (`lowest-efficiency`, …).
    pub rule: &'static str,
    pub status: RuleStatus,
    pub actual: RuleValue,
    /// `None` when the rule is disabled.
    pub threshold: Option<RuleValue>,
    /// dive's failure message; empty unless the rule failed.
    pub message: String,
}

impl RuleVerdict {
    fn skipped(rule: &'static str, actual: RuleValue) -> Self {
        RuleVerdict {
            rule,
            status: RuleStatus::Skip,
            actual,
            threshold: None,
            message: String::new(),
        }
    }

    fn judged(
        rule: &'static str,
        failed: bool,
        actual: RuleValue,
        threshold: RuleValue,
        message: String,
    ) -> Self {
        RuleVerdict {
            rule,
            status: if failed {
                RuleStatus::Fail
            } else {
                RuleStatus::Pass
            },
            actual,
            threshold: Some(threshold),
            message: if failed { message } else { String::new() },
        }
    }
}

/// dive's "disabled" spellings, compared case-insensitively: `""`, `disabled`, `off`, `false`.
fn is_disabled(value: &str) -> bool {
    let value = value.trim();
    ["", "disabled", "off", "false"]
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word))
}

/// A ratio rule value: disabled, or a float in [0, 1].
pub fn parse_ratio(value: &str) -> Result<Option<f64>, String> {
    if is_disabled(value) {
        return Ok(None);
    }
    let number: f64 = value
        .trim()
        .parse()
        .map_err(|_| "expected a number between 0 and 1, or 'disabled'".to_owned())?;
    if !(0.0..=1.0).contains(&number) {
        return Err("outside the allowed range 0-1".to_owned());
    }
    Ok(Some(number))
}

/// A byte threshold: disabled, or a size parsed like go-humanize `ParseBytes` ("20MB" is
/// 20,000,000, "20MiB" 20,971,520, "1.5 kb" 1,500, "1,000" 1,000, a bare number is bytes).
pub fn parse_byte_threshold(value: &str) -> Result<Option<u64>, String> {
    if is_disabled(value) {
        return Ok(None);
    }
    parse_bytes(value).map(Some)
}

/// go-humanize `ParseBytes`: leading digits, `.` and `,` (commas dropped) form the number;
/// the rest, trimmed and lower-cased, must be a unit of its table.
fn parse_bytes(text: &str) -> Result<u64, String> {
    let number_len = text
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.' || *b == b',')
        .count();
    let (number, unit) = text.split_at(number_len);
    let number: f64 = number
        .replace(',', "")
        .parse()
        .map_err(|_| format!("expected a size such as 20MB or 20MiB, got '{text}'"))?;
    let unit = unit.trim().to_ascii_lowercase();
    let multiplier: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "ki" | "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mi" | "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gi" | "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "ti" | "tib" => 1 << 40,
        "p" | "pb" => 1_000_000_000_000_000,
        "pi" | "pib" => 1 << 50,
        "e" | "eb" => 1_000_000_000_000_000_000,
        "ei" | "eib" => 1 << 60,
        _ => return Err(format!("unknown size unit '{unit}'")),
    };
    let bytes = number * multiplier as f64;
    if bytes >= u64::MAX as f64 {
        return Err(format!("too large: {text}"));
    }
    // Go's uint64(f) truncates toward zero.
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{dir, file, layer, marker};

    fn paths(analysis: &DiveAnalysis) -> Vec<(&str, u64, u64, u64)> {
        analysis
            .inefficiencies
            .iter()
            .map(|i| (i.path.as_str(), i.count, i.cumulative_size, i.min_size))
            .collect()
    }

    #[test]
    fn overwritten_and_deleted_files_count_every_copy() {
        let l0 = layer(vec![dir("var"), file("var/big", 100), file("etc/keep", 7)]);
        let l1 = layer(vec![file("var/big", 100)]);
        let l2 = layer(vec![marker("var/.wh.big")]);
        let analysis = analyze(&[&l0, &l1, &l2]);
        assert_eq!(paths(&analysis), [("/var/big", 3, 200, 0)]);
        assert_eq!(analysis.wasted_bytes, 200);
        assert_eq!(
            (
                analysis.efficiency_min_sum,
                analysis.efficiency_cumulative_sum
            ),
            (7, 207)
        );
        assert_eq!(analysis.size_bytes, 207);
        assert_eq!(analysis.user_size_bytes, 100);
        assert_eq!(analysis.user_wasted_percent, Some(2.0));
        assert_eq!(analysis.corrected_wasted_bytes(), 200);
    }

    #[test]
    fn directory_whiteouts_are_sized_from_the_stack_but_dive_misses_rm_rf() {
        let l0 = layer(vec![
            dir("opt"),
            dir("opt/tool"),
            file("opt/tool/a", 4),
            file("opt/tool/b", 6),
        ]);
        let l1 = layer(vec![marker("opt/.wh.tool")]);
        let analysis = analyze(&[&l0, &l1]);
        // `/opt/tool` was a directory below, not a leaf: one occurrence, no inefficiency.
        assert!(analysis.inefficiencies.is_empty());
        assert_eq!(analysis.efficiency_cumulative_sum, 20);
        assert_eq!(analysis.efficiency_min_sum, 20);
    }

    #[test]
    fn opaque_markers_are_dropped() {
        let l0 = layer(vec![dir("d"), file("d/old", 5)]);
        let l1 = layer(vec![dir("d"), marker("d/.wh..wh..opq"), file("d/new", 1)]);
        let analysis = analyze(&[&l0, &l1]);
        assert!(analysis.inefficiencies.is_empty());
        assert_eq!(analysis.efficiency, 1.0);
    }

    #[test]
    fn an_implicit_parent_above_makes_dive_forget_a_directory() {
        // Layer 1 writes below `d` without a `d` entry: in dive's stacked tree `d` loses its
        // directory flag, so the whiteout in layer 2 weighs nothing.
        let l0 = layer(vec![dir("d"), file("d/a", 10)]);
        let l1 = layer(vec![file("d/b", 3)]);
        let l2 = layer(vec![marker(".wh.d")]);
        let analysis = analyze(&[&l0, &l1, &l2]);
        assert_eq!(analysis.efficiency_cumulative_sum, 13);
    }

    #[test]
    fn a_missing_whiteout_target_stops_the_layer_and_counts_minus_one() {
        let l0 = layer(vec![file("a", 5)]);
        // Visited in name order: `.wh.gone` first, so `z` is never counted.
        let l1 = layer(vec![file("z", 9), marker(".wh.gone")]);
        let analysis = analyze(&[&l0, &l1]);
        assert_eq!(
            analysis.stopped_early,
            [StoppedEarly {
                layer: 1,
                path: "/gone".into()
            }]
        );
        assert_eq!(
            (
                analysis.efficiency_min_sum,
                analysis.efficiency_cumulative_sum
            ),
            (4, 5)
        );
        assert_eq!(analysis.size_bytes, 14);
    }

    #[test]
    fn layer_zero_whiteouts_see_layer_zero_itself() {
        let l0 = layer(vec![dir("x"), file("x/f", 8), marker(".wh.x")]);
        let analysis = analyze(&[&l0]);
        assert!(analysis.stopped_early.is_empty());
        assert_eq!(analysis.efficiency_cumulative_sum, 16);
        assert_eq!(analysis.user_wasted_percent, None);
    }

    #[test]
    fn nested_directory_whiteouts_share_one_walk() {
        let l0 = layer(vec![
            dir("a"),
            dir("a/b"),
            dir("a/b-c"),
            file("a/b-c/x", 1),
            file("a/b/y", 2),
            dir("a/b/c"),
            file("a/b/c/z", 4),
        ]);
        let mut paths = PathTree::default();
        let mut tree = LayerTree::default();
        tree.fill(&mut paths, &l0);
        let order = paths.child_first_order(std::mem::take(&mut tree.members));
        let mut stacked = StackedTree::default();
        stacked.copy_layer(&paths, &tree, &order);
        let id = |path: &str| paths.lookup(path).expect("interned");
        let sizes =
            stacked.subtree_sizes(&paths, vec![id("a/b/c"), id("a"), id("a/b"), id("a/b-c")]);
        assert_eq!(sizes.get(&id("a")), Some(&7));
        assert_eq!(sizes.get(&id("a/b")), Some(&6));
        assert_eq!(sizes.get(&id("a/b/c")), Some(&4));
        assert_eq!(sizes.get(&id("a/b-c")), Some(&1));
    }

    /// 200,000 files then a whiteout of their top directory: one range sum and one subtree
    /// removal, not dive's tree copy per whiteout.
    #[test]
    fn big_layers_are_counted_without_quadratic_work() {
        let mut entries = vec![dir("usr")];
        for d in 0..200 {
            entries.push(dir(&format!("usr/d{d}")));
            for f in 0..1000 {
                entries.push(file(&format!("usr/d{d}/f{f}"), 1));
            }
        }
        let l0 = layer(entries);
        let l1 = layer(vec![marker(".wh.usr"), file("usr/only", 2)]);
        let analysis = analyze(&[&l0, &l1]);
        // `/usr` is not a leaf in layer 1 (it holds `only`), so the whiteout leaf `/usr`
        // weighs the whole directory: 200,000 bytes, counted once.
        assert_eq!(analysis.efficiency_cumulative_sum, 200_000 + 200_000 + 2);
        assert!(analysis.inefficiencies.is_empty());
        assert_eq!(analysis.layer_sizes, [200_000, 2]);
    }

    #[test]
    fn only_nodes_without_children_are_leaves() {
        let l0 = layer(vec![dir("empty"), dir("full"), file("full/f", 3)]);
        let l1 = layer(vec![dir("empty"), dir("full"), file("full/f", 3)]);
        let analysis = analyze(&[&l0, &l1]);
        // `/full` has a child in both layers, so it is never counted; `/empty` is a leaf.
        assert_eq!(
            paths(&analysis),
            [("/empty", 2, 0, 0), ("/full/f", 2, 6, 3)]
        );
    }

    #[test]
    fn child_first_order_is_dives() {
        let mut paths = PathTree::default();
        let keys = ["a", "a/b", "a-b", "-x", ".wh.a", "a/.wh.c"];
        let ids: Vec<NodeId> = keys.iter().map(|key| paths.intern(key)).collect();
        let names: Vec<String> = paths
            .child_first_order(ids)
            .into_iter()
            .map(|id| paths.path(id))
            .collect();
        assert_eq!(names, ["-x", ".wh.a", "a/.wh.c", "a/b", "a", "a-b"]);
    }

    #[test]
    fn go_clean_matches_path_clean() {
        assert_eq!(go_clean("a/b"), "a/b");
        assert_eq!(go_clean(""), ".");
        assert_eq!(go_clean("a//b/./c/"), "a/b/c");
        assert_eq!(go_clean("a/../.."), "..");
        assert_eq!(go_clean("/../x"), "/x");
    }

    #[test]
    fn ci_values_parse_like_dive() {
        assert_eq!(parse_byte_threshold("20MB"), Ok(Some(20_000_000)));
        assert_eq!(parse_byte_threshold("20MiB"), Ok(Some(20_971_520)));
        assert_eq!(parse_byte_threshold("1.5 kb"), Ok(Some(1_500)));
        assert_eq!(parse_byte_threshold("1,000"), Ok(Some(1_000)));
        assert_eq!(parse_byte_threshold("42"), Ok(Some(42)));
        assert_eq!(parse_byte_threshold("Disabled"), Ok(None));
        assert_eq!(parse_byte_threshold(" OFF "), Ok(None));
        assert!(parse_byte_threshold("20 parsecs").is_err());
        assert!(parse_byte_threshold("MB").is_err());
        assert!(parse_byte_threshold("99999999999EB").is_err());
        assert_eq!(parse_ratio("0.95"), Ok(Some(0.95)));
        assert_eq!(parse_ratio("false"), Ok(None));
        assert_eq!(parse_ratio(""), Ok(None));
        assert!(parse_ratio("1.5").is_err());
        assert!(parse_ratio("NaN").is_err());
        assert!(parse_ratio("ten").is_err());

        let mut rules = CiRules::default();
        rules.set("--highestWastedBytes", "20MB").expect("valid");
        rules.set("lowest-efficiency", "disabled").expect("valid");
        assert_eq!(
            rules,
            CiRules {
                lowest_efficiency: None,
                highest_wasted_bytes: Some(20_000_000),
                highest_user_wasted_percent: Some(0.1),
            }
        );
        let error = rules
            .set("highest-user-wasted-percent", "2")
            .expect_err("out of range");
        assert!(error.to_string().contains("highest-user-wasted-percent"));
        assert!(rules.set("nonsense", "1").is_err());
    }

    fn analysis(efficiency: f64, wasted: u64, user_size: u64) -> DiveAnalysis {
        DiveAnalysis {
            efficiency,
            efficiency_min_sum: 0,
            efficiency_cumulative_sum: 0,
            wasted_bytes: wasted,
            size_bytes: user_size,
            user_size_bytes: user_size,
            user_wasted_percent: (user_size != 0).then(|| wasted as f64 / user_size as f64),
            layer_sizes: Vec::new(),
            inefficiencies: Vec::new(),
            stopped_early: Vec::new(),
            global_pax_header_layers: Vec::new(),
        }
    }

    fn statuses(rules: &CiRules, analysis: &DiveAnalysis) -> Vec<RuleStatus> {
        rules.evaluate(analysis).iter().map(|v| v.status).collect()
    }

    #[test]
    fn ci_rules_compare_strictly() {
        use RuleStatus::{Fail, Pass, Skip};
        let rules = CiRules {
            highest_wasted_bytes: Some(100),
            ..CiRules::default()
        };
        // Exactly at each threshold passes: dive uses strict comparisons.
        assert_eq!(
            statuses(&rules, &analysis(0.9, 100, 1000)),
            [Pass, Pass, Pass]
        );
        assert_eq!(
            statuses(&rules, &analysis(0.89, 101, 2000)),
            [Fail, Fail, Pass]
        );
        assert_eq!(
            statuses(&rules, &analysis(1.0, 200, 1000)),
            [Pass, Fail, Fail]
        );
        assert_eq!(
            statuses(&CiRules::default(), &analysis(1.0, 5, 0)),
            [Pass, Skip, Fail]
        );
        assert_eq!(
            statuses(&CiRules::default(), &analysis(1.0, 0, 0)),
            [Pass, Skip, Pass]
        );
        let verdicts = rules.evaluate(&analysis(0.5, 0, 10));
        assert_eq!(
            verdicts[0].message,
            "image efficiency is too low (efficiency=0.5 < threshold=0.9)"
        );
        let json = serde_json::to_value(&verdicts).expect("json");
        assert_eq!(json[0]["status"], "fail");
        assert_eq!(json[0]["threshold"], 0.9);
        assert_eq!(json[1]["actual"], 0);
    }
}
