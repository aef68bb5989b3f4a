//! Paths interned name by name: each node holds its parent and its own name once, so the merge
//! and dive's trees key their state by a `u32` instead of storing and comparing whole path
//! strings (long shared prefixes made those comparisons most of the work). Full paths are
//! rebuilt only where a caller needs the text.

use std::cmp::Ordering;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

pub(crate) type NodeId = u32;
/// The empty path; every other node descends from it.
pub(crate) const ROOT: NodeId = 0;
const NO_NODE: NodeId = u32::MAX;

/// An append-only interner of slash-separated paths. A path and its names map one to one
/// (`a//b` is `a`, ``, `b`), so equal ids mean equal strings.
#[derive(Clone, Debug)]
pub(crate) struct PathTree {
    /// Every node's name, in node order.
    names: String,
    /// Where each node's name starts in `names`; it ends where the next node's starts.
    name_starts: Vec<usize>,
    parents: Vec<NodeId>,
    /// Open addressing over node ids keyed by (parent, name); `NO_NODE` marks a free slot.
    slots: Vec<NodeId>,
    /// Keyed hashing, so crafted names cannot pile up in one probe chain.
    hasher: RandomState,
}

impl PartialEq for PathTree {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
            && self.name_starts == other.name_starts
            && self.parents == other.parents
    }
}

impl Eq for PathTree {}

impl Default for PathTree {
    fn default() -> Self {
        PathTree {
            names: String::new(),
            name_starts: vec![0],
            parents: vec![NO_NODE],
            slots: vec![NO_NODE; 16],
            hasher: RandomState::new(),
        }
    }
}

impl PathTree {
    pub(crate) fn name(&self, id: NodeId) -> &str {
        let index = id as usize;
        let Some(&start) = self.name_starts.get(index) else {
            return "";
        };
        let end = self
            .name_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.names.len());
        self.names.get(start..end).unwrap_or("")
    }

    /// How many nodes there are, the root included.
    pub(crate) fn len(&self) -> usize {
        self.parents.len()
    }

    /// `None` for the root.
    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.parents
            .get(id as usize)
            .copied()
            .filter(|&parent| parent != NO_NODE)
    }

    fn slot_of(&self, parent: NodeId, name: &str) -> (usize, Option<NodeId>) {
        let mask = self.slots.len() - 1;
        let mut slot = self.hasher.hash_one((parent, name)) as usize & mask;
        loop {
            match self.slots.get(slot).copied() {
                None | Some(NO_NODE) => return (slot, None),
                Some(id) => {
                    if self.parent(id) == Some(parent) && self.name(id) == name {
                        return (slot, Some(id));
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    pub(crate) fn child(&self, parent: NodeId, name: &str) -> Option<NodeId> {
        self.slot_of(parent, name).1
    }

    pub(crate) fn intern_child(&mut self, parent: NodeId, name: &str) -> NodeId {
        let (slot, found) = self.slot_of(parent, name);
        if let Some(id) = found {
            return id;
        }
        // Ids are u32: 4 billion nodes would take a 2 TB layer set (an entry is ≥ 512 bytes).
        let id = NodeId::try_from(self.parents.len()).unwrap_or(NO_NODE - 1);
        self.name_starts.push(self.names.len());
        self.parents.push(parent);
        self.names.push_str(name);
        if let Some(free) = self.slots.get_mut(slot) {
            *free = id;
        }
        if self.parents.len() * 4 > self.slots.len() * 3 {
            self.rehash(self.slots.len() * 2);
        }
        id
    }

    /// Makes room for `nodes` more nodes whose names take `name_bytes`, so that interning a
    /// layer grows each array once instead of doubling its way there (every doubling leaves
    /// the old block behind, and the allocator may keep it resident).
    pub(crate) fn reserve(&mut self, nodes: usize, name_bytes: usize) {
        self.name_starts.reserve(nodes);
        self.parents.reserve(nodes);
        self.names.reserve(name_bytes);
        let total = self.parents.len().saturating_add(nodes);
        if total.saturating_mul(4) > self.slots.len().saturating_mul(3) {
            let size = (total.saturating_mul(4) / 3 + 1).next_power_of_two();
            self.rehash(size);
        }
    }

    /// Rebuilds the slot table with `size` slots (a power of two, more than the nodes).
    fn rehash(&mut self, size: usize) {
        self.slots = vec![NO_NODE; size];
        let mask = size - 1;
        for id in 1..self.parents.len() {
            let id = id as NodeId;
            let key = (self.parent(id).unwrap_or(NO_NODE), self.name(id));
            let mut slot = self.hasher.hash_one(key) as usize & mask;
            while self.slots.get(slot).is_some_and(|&s| s != NO_NODE) {
                slot = (slot + 1) & mask;
            }
            if let Some(free) = self.slots.get_mut(slot) {
                *free = id;
            }
        }
    }

    /// The node of `path` (`""` is the root), creating it and its ancestors as needed.
    #[cfg(test)]
    pub(crate) fn intern(&mut self, path: &str) -> NodeId {
        if path.is_empty() {
            return ROOT;
        }
        path.split('/')
            .fold(ROOT, |parent, name| self.intern_child(parent, name))
    }

    /// [`PathTree::intern`] for paths in tar order: the previous path's directory is
    /// remembered in `cache`, so siblings cost one lookup.
    pub(crate) fn intern_cached(&mut self, path: &str, cache: &mut DirCache) -> NodeId {
        if path.is_empty() {
            return ROOT;
        }
        let (parent, name) = self.intern_parent(path, cache);
        self.intern_child(parent, name)
    }

    /// The interned directory of `path` and its last name (the root for a bare name).
    pub(crate) fn intern_parent<'p>(
        &mut self,
        path: &'p str,
        cache: &mut DirCache,
    ) -> (NodeId, &'p str) {
        let Some(slash) = path.rfind('/') else {
            return (ROOT, path);
        };
        let (dir, name) = (&path[..slash], &path[slash + 1..]);
        if let Some(id) = cache.id.filter(|_| cache.dir == dir) {
            return (id, name);
        }
        let id = dir
            .split('/')
            .fold(ROOT, |parent, part| self.intern_child(parent, part));
        cache.dir.clear();
        cache.dir.push_str(dir);
        cache.id = Some(id);
        (id, name)
    }

    /// The node of `path` if it was ever interned.
    pub(crate) fn lookup(&self, path: &str) -> Option<NodeId> {
        if path.is_empty() {
            return Some(ROOT);
        }
        path.split('/')
            .try_fold(ROOT, |parent, name| self.child(parent, name))
    }

    /// Appends the path of `id` (its names joined by `/`) to `out`.
    pub(crate) fn write_path(&self, id: NodeId, out: &mut String) {
        out.push_str(&self.path(id));
    }

    /// The path of `id`: its names joined by `/`, written back to front into one buffer.
    pub(crate) fn path(&self, id: NodeId) -> String {
        let mut len = 0usize;
        let mut node = id;
        while let Some(parent) = self.parent(node) {
            len += self.name(node).len() + usize::from(parent != ROOT);
            node = parent;
        }
        let mut bytes = vec![b'/'; len];
        let mut end = len;
        let mut node = id;
        while let Some(parent) = self.parent(node) {
            let name = self.name(node).as_bytes();
            let start = end.saturating_sub(name.len());
            if let Some(slot) = bytes.get_mut(start..end) {
                slot.copy_from_slice(name);
            }
            end = start.saturating_sub(1); // the `/` already there
            node = parent;
        }
        // Whole names were copied, so the bytes are valid UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The children of every node among `members`, each list sorted by name bytes. `members`
    /// must hold the parents of its nodes (the root aside).
    pub(crate) fn children_of(&self, mut members: Vec<NodeId>) -> ChildLists {
        members.sort_unstable_by(|&a, &b| {
            self.parent(a)
                .cmp(&self.parent(b))
                .then_with(|| self.name(a).as_bytes().cmp(self.name(b).as_bytes()))
        });
        members.dedup();
        let parents = members
            .iter()
            .map(|&id| self.parent(id).unwrap_or(NO_NODE))
            .collect();
        ChildLists {
            sorted: members,
            parents,
        }
    }

    /// `members` (parents included, the root excluded) in path-byte order. A directory's
    /// subtree sorts as its name plus `/`, and several bytes rank below `/`: `a`, `a-b`,
    /// `a-b/x`, `a/x` is the byte order, so each child counts as two items, itself and its
    /// subtree.
    pub(crate) fn path_order(&self, members: Vec<NodeId>) -> Vec<NodeId> {
        // A node can be present below an absent one (an entry placed under a symlink gets no
        // implicit parents): absent ancestors join the walk without being listed.
        let mut is_member = vec![false; self.parents.len()];
        for &id in &members {
            if let Some(flag) = is_member.get_mut(id as usize) {
                *flag = true;
            }
        }
        let mut in_walk = is_member.clone();
        let mut all = members;
        for index in 0..all.len() {
            let mut node = all.get(index).copied().unwrap_or(ROOT);
            while let Some(parent) = self.parent(node) {
                match in_walk.get_mut(parent as usize) {
                    Some(flag) if !*flag && parent != ROOT => {
                        *flag = true;
                        all.push(parent);
                        node = parent;
                    }
                    _ => break,
                }
            }
        }
        drop(in_walk);
        let lists = self.children_of(all);
        let mut order = Vec::with_capacity(lists.sorted.len());
        let items_of = |dir: NodeId| -> Vec<(NodeId, bool)> {
            let children = lists.children(dir);
            let mut items = Vec::with_capacity(children.len() * 2);
            for &child in children {
                items.push((child, false));
                if !lists.children(child).is_empty() {
                    items.push((child, true));
                }
            }
            // Children come sorted by name; only names a `/` would reorder need a sort.
            items.sort_by(|a, b| {
                compare_keys(
                    self.name(a.0).as_bytes(),
                    a.1,
                    self.name(b.0).as_bytes(),
                    b.1,
                )
            });
            items
        };
        let mut stack: Vec<(Vec<(NodeId, bool)>, usize)> = vec![(items_of(ROOT), 0)];
        while let Some((items, next)) = stack.last_mut() {
            let Some(&(id, subtree)) = items.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            if subtree {
                let inner = items_of(id);
                stack.push((inner, 0));
            } else if is_member.get(id as usize).copied().unwrap_or(false) {
                order.push(id);
            }
        }
        order
    }

    /// `members` (parents included, the root excluded) children first, siblings by name
    /// bytes (dive's `VisitDepthChildFirst`). A node with children comes right after its last
    /// child.
    pub(crate) fn child_first_order(&self, members: Vec<NodeId>) -> Vec<NodeId> {
        let lists = self.children_of(members);
        let mut order = Vec::with_capacity(lists.sorted.len());
        let mut stack: Vec<(NodeId, &[NodeId])> = vec![(ROOT, lists.children(ROOT))];
        while let Some((node, rest)) = stack.last_mut() {
            if let Some((&first, tail)) = rest.split_first() {
                *rest = tail;
                stack.push((first, lists.children(first)));
                continue;
            }
            let node = *node;
            stack.pop();
            if node != ROOT {
                order.push(node);
            }
        }
        order
    }
}

/// The directory of the last path [`PathTree::intern_parent`] resolved.
#[derive(Default)]
pub(crate) struct DirCache {
    dir: String,
    id: Option<NodeId>,
}

/// Compares `a` (plus `/` when `a_slash`) with `b` (plus `/` when `b_slash`) as bytes.
fn compare_keys(a: &[u8], a_slash: bool, b: &[u8], b_slash: bool) -> Ordering {
    let common = a.len().min(b.len());
    let head = a.get(..common).cmp(&b.get(..common));
    if head != Ordering::Equal {
        return head;
    }
    let next = |name: &[u8], slash: bool| name.get(common).copied().or(slash.then_some(b'/'));
    match (next(a, a_slash), next(b, b_slash)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        _ => a.len().cmp(&b.len()).then(a_slash.cmp(&b_slash)),
    }
}

/// Members grouped by parent, each group sorted by name.
pub(crate) struct ChildLists {
    sorted: Vec<NodeId>,
    parents: Vec<NodeId>,
}

impl ChildLists {
    pub(crate) fn children(&self, parent: NodeId) -> &[NodeId] {
        let start = self.parents.partition_point(|&p| p < parent);
        let end = self.parents.partition_point(|&p| p <= parent);
        self.sorted.get(start..end).unwrap_or(&[])
    }
}

const PRESENT: u8 = 1;
const LINKED: u8 = 2;

/// Which interned nodes are present in one tree, with links from each node to its children so
/// a subtree is walked in time proportional to what it holds. A removed node stays linked
/// until a removal above it sweeps it, so a walk never revisits a swept subtree.
#[derive(Clone, Debug, Default)]
pub(crate) struct LiveSet {
    flags: Vec<u8>,
    first_child: Vec<NodeId>,
    next_sibling: Vec<NodeId>,
}

impl LiveSet {
    /// Makes room for the nodes of `paths` at once, rather than growing node by node.
    pub(crate) fn reserve(&mut self, paths: &PathTree) {
        let more = paths.len().saturating_sub(self.flags.len());
        self.flags.reserve(more);
        self.first_child.reserve(more);
        self.next_sibling.reserve(more);
    }

    fn reserve_for(&mut self, id: NodeId) {
        let needed = id as usize + 1;
        if self.flags.len() < needed {
            self.flags.resize(needed, 0);
            self.first_child.resize(needed, NO_NODE);
            self.next_sibling.resize(needed, NO_NODE);
            if let Some(root) = self.flags.get_mut(ROOT as usize) {
                *root |= LINKED;
            }
        }
    }

    pub(crate) fn contains(&self, id: NodeId) -> bool {
        self.flags
            .get(id as usize)
            .is_some_and(|flags| flags & PRESENT != 0)
    }

    fn is_linked(&self, id: NodeId) -> bool {
        self.flags
            .get(id as usize)
            .is_some_and(|flags| flags & LINKED != 0)
    }

    /// Marks `id` present, linking it (and any absent ancestor not linked yet) under its
    /// parent so walks from above reach it.
    pub(crate) fn insert(&mut self, paths: &PathTree, id: NodeId) {
        self.reserve_for(id);
        let mut node = id;
        while !self.is_linked(node) {
            let Some(parent) = paths.parent(node) else {
                break;
            };
            self.reserve_for(parent);
            let head = self
                .first_child
                .get(parent as usize)
                .copied()
                .unwrap_or(NO_NODE);
            if let Some(next) = self.next_sibling.get_mut(node as usize) {
                *next = head;
            }
            if let Some(first) = self.first_child.get_mut(parent as usize) {
                *first = node;
            }
            // An unlinked node has no linked children: sweeps reset `first_child`.
            if let Some(flags) = self.flags.get_mut(node as usize) {
                *flags |= LINKED;
            }
            node = parent;
        }
        if let Some(flags) = self.flags.get_mut(id as usize) {
            *flags |= PRESENT;
        }
    }

    /// Marks `id` absent (its subtree is the caller's business).
    pub(crate) fn remove(&mut self, id: NodeId) {
        if let Some(flags) = self.flags.get_mut(id as usize) {
            *flags &= !PRESENT;
        }
    }

    /// The present nodes strictly below `id`, parents before children; all of them stop being
    /// present and everything below `id` is unlinked.
    pub(crate) fn take_descendants(&mut self, id: NodeId) -> Vec<NodeId> {
        let mut taken = Vec::new();
        let mut pending = vec![self
            .first_child
            .get(id as usize)
            .copied()
            .unwrap_or(NO_NODE)];
        if let Some(first) = self.first_child.get_mut(id as usize) {
            *first = NO_NODE;
        }
        while let Some(mut node) = pending.pop() {
            while node != NO_NODE {
                let index = node as usize;
                if let Some(flags) = self.flags.get_mut(index) {
                    if *flags & PRESENT != 0 {
                        taken.push(node);
                    }
                    *flags = 0;
                }
                if let Some(first) = self.first_child.get_mut(index) {
                    pending.push(*first);
                    *first = NO_NODE;
                }
                node = self.next_sibling.get(index).copied().unwrap_or(NO_NODE);
            }
        }
        taken
    }

    /// The present nodes strictly below `id`, parents before children.
    pub(crate) fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut found = Vec::new();
        let mut pending = vec![self
            .first_child
            .get(id as usize)
            .copied()
            .unwrap_or(NO_NODE)];
        while let Some(mut node) = pending.pop() {
            while node != NO_NODE {
                let index = node as usize;
                if self.contains(node) {
                    found.push(node);
                }
                pending.push(self.first_child.get(index).copied().unwrap_or(NO_NODE));
                node = self.next_sibling.get(index).copied().unwrap_or(NO_NODE);
            }
        }
        found
    }

    /// Every present node, in increasing order.
    pub(crate) fn present(&self) -> Vec<NodeId> {
        let count = self.flags.iter().filter(|&&f| f & PRESENT != 0).count();
        let mut present = Vec::with_capacity(count);
        present.extend((0..self.flags.len() as NodeId).filter(|&id| self.contains(id)));
        present
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_round_trips_and_orders_like_bytes() {
        let mut tree = PathTree::default();
        let paths = ["a", "a/x", "a-b", "a-b/x", "a.c", "b", "a//y", "a/x/z"];
        let ids: Vec<NodeId> = paths.iter().map(|p| tree.intern(p)).collect();
        for (path, id) in paths.iter().zip(&ids) {
            assert_eq!(tree.path(*id), *path);
            assert_eq!(tree.lookup(path), Some(*id));
        }
        let mut members = ids.clone();
        members.push(tree.intern("a/"));
        let order: Vec<String> = tree
            .path_order(members)
            .into_iter()
            .map(|id| tree.path(id))
            .collect();
        let mut sorted: Vec<String> = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(tree.lookup("nope"), None);
    }

    #[test]
    fn descendants_skip_removed_and_swept_nodes() {
        let mut tree = PathTree::default();
        let mut live = LiveSet::default();
        for path in ["d", "d/a", "d/a/1", "d/b"] {
            let id = tree.intern(path);
            live.insert(&tree, id);
        }
        let d = tree.intern("d");
        let a = tree.intern("d/a");
        live.remove(tree.intern("d/b"));
        assert_eq!(live.descendants(d).len(), 2);
        assert_eq!(live.take_descendants(a).len(), 1);
        assert_eq!(live.descendants(d), [a]);
        live.insert(&tree, tree.lookup("d/a/1").unwrap_or(ROOT));
        assert_eq!(live.descendants(d).len(), 2);
    }
}
