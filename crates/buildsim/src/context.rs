//! The build context as data: a tree of paths with content digests, modes, sizes and symlink
//! targets. Nothing here touches a filesystem; the CLI walks a directory and the browser reads
//! dropped files, and both hand the result over.
//!
//! The tree is persistent: cloning a [`Context`] is O(1), and changing one path copies only
//! the directories on the way to it. Directory digests (a Merkle tree, as BuildKit's
//! `contenthash` computes them: names, modes, sizes, symlink targets and contents count, mtime
//! does not) are computed once per directory and shared by every clone that did not change
//! it, so a one-file change rehashes only that file's ancestors.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::digest::{Digest, KeyHasher};
use crate::gopath;

/// What a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
}

/// One path of the context.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub kind: EntryKind,
    /// Permission bits with setuid/setgid/sticky (`0o7777`); forced to `0o777` for symlinks.
    pub mode: u32,
    pub size: u64,
    /// The SHA-256 of the content (files only; zero otherwise).
    pub content: Digest,
    /// Where a symlink points.
    pub target: Option<String>,
}

impl Entry {
    pub fn file(content: Digest, mode: u32, size: u64) -> Entry {
        Entry {
            kind: EntryKind::File,
            mode: mode & 0o7777,
            size,
            content,
            target: None,
        }
    }

    /// A file holding `bytes`, mode 0644.
    pub fn file_with(bytes: &[u8]) -> Entry {
        Entry::file(Digest::of_bytes(bytes), 0o644, bytes.len() as u64)
    }

    pub fn dir(mode: u32) -> Entry {
        Entry {
            kind: EntryKind::Dir,
            mode: mode & 0o7777,
            size: 0,
            content: Digest::default(),
            target: None,
        }
    }

    pub fn symlink(target: &str) -> Entry {
        Entry {
            kind: EntryKind::Symlink,
            mode: 0o777,
            size: target.len() as u64,
            content: Digest::default(),
            target: Some(target.to_owned()),
        }
    }

    /// The tarsum-style header plus content: everything BuildKit's checksum sees of one path
    /// (not its name, which the parent directory hashes, and not its owner: the client resets
    /// context files to 0:0, `resetUIDAndGID`).
    fn leaf_digest(&self) -> Digest {
        let mut h = KeyHasher::new(match self.kind {
            EntryKind::File => "file",
            EntryKind::Dir => "dir",
            EntryKind::Symlink => "symlink",
        });
        h.u64(u64::from(self.mode));
        match self.kind {
            EntryKind::File => {
                h.u64(self.size).digest(&self.content);
            }
            EntryKind::Symlink => {
                h.opt_str(self.target.as_deref());
            }
            EntryKind::Dir => {}
        }
        h.finish()
    }
}

/// A node of the tree.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Leaf(Arc<Entry>),
    Dir(Arc<DirNode>),
}

#[derive(Debug)]
pub(crate) struct DirNode {
    pub meta: Entry,
    pub children: BTreeMap<String, Node>,
    digest: OnceLock<Digest>,
}

impl Clone for DirNode {
    /// A copy about to be changed: its digest is recomputed when next asked for.
    fn clone(&self) -> Self {
        DirNode {
            meta: self.meta.clone(),
            children: self.children.clone(),
            digest: OnceLock::new(),
        }
    }
}

impl DirNode {
    fn new(meta: Entry) -> Self {
        DirNode {
            meta,
            children: BTreeMap::new(),
            digest: OnceLock::new(),
        }
    }

    pub fn with_children(meta: Entry, children: Vec<(String, Node)>) -> Self {
        DirNode {
            meta,
            children: children.into_iter().collect(),
            digest: OnceLock::new(),
        }
    }

    pub fn digest(&self) -> Digest {
        *self.digest.get_or_init(|| {
            let mut h = KeyHasher::new("dir");
            h.digest(&self.meta.leaf_digest());
            for (name, child) in &self.children {
                h.str(name).digest(&child.digest());
            }
            h.finish()
        })
    }
}

impl Node {
    pub fn digest(&self) -> Digest {
        match self {
            Node::Leaf(entry) => entry.leaf_digest(),
            Node::Dir(dir) => dir.digest(),
        }
    }

    pub fn entry(&self) -> &Entry {
        match self {
            Node::Leaf(entry) => entry,
            Node::Dir(dir) => &dir.meta,
        }
    }

    pub fn same(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Leaf(a), Node::Leaf(b)) => Arc::ptr_eq(a, b) || a == b,
            (Node::Dir(a), Node::Dir(b)) => Arc::ptr_eq(a, b) || a.digest() == b.digest(),
            _ => false,
        }
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        match self {
            Node::Dir(dir) => dir.children.get(name),
            Node::Leaf(_) => None,
        }
    }
}

/// A virtual build context.
#[derive(Clone, Debug)]
pub struct Context {
    root: Arc<DirNode>,
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

/// A path split into its components (`a/b/c`), with `.`, empty parts and leading `/` removed
/// and `..` resolved inside the context (it can never climb above the root).
pub(crate) fn components(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts
}

/// A context path in the canonical form used everywhere: `a/b/c`, empty for the root.
pub fn normalize(path: &str) -> String {
    components(path).join("/")
}

fn new_dir(mode: u32) -> Node {
    Node::Dir(Arc::new(DirNode::new(Entry::dir(mode))))
}

impl Context {
    /// An empty context (its root directory has mode 0755).
    pub fn new() -> Context {
        Context {
            root: Arc::new(DirNode::new(Entry::dir(0o755))),
        }
    }

    /// A context from `(path, entry)` pairs in any order; missing parent directories are
    /// created with mode 0755.
    pub fn from_entries<I, P>(entries: I) -> Context
    where
        I: IntoIterator<Item = (P, Entry)>,
        P: AsRef<str>,
    {
        let mut context = Context::new();
        for (path, entry) in entries {
            context.insert(path.as_ref(), entry);
        }
        context
    }

    fn root_mut(&mut self) -> &mut DirNode {
        Arc::make_mut(&mut self.root)
    }

    fn root_dir(&self) -> &DirNode {
        &self.root
    }

    pub(crate) fn replace_root(&mut self, root: Arc<DirNode>) {
        self.root = root;
    }

    /// Sets the root directory's metadata (its mode counts for `COPY . .`).
    pub fn set_root(&mut self, mut entry: Entry) {
        entry.kind = EntryKind::Dir;
        self.root_mut().meta = entry;
    }

    /// Adds or replaces `path`. A directory entry over an existing directory keeps its
    /// children; parents that are missing (or are not directories) become directories.
    pub fn insert(&mut self, path: &str, entry: Entry) {
        let parts = components(path);
        let Some((last, parents)) = parts.split_last() else {
            self.set_root(entry);
            return;
        };
        let mut dir = self.root_mut();
        for part in parents {
            let slot = dir
                .children
                .entry((*part).to_owned())
                .or_insert_with(|| new_dir(0o755));
            if let Node::Leaf(_) = slot {
                *slot = new_dir(0o755);
            }
            let Node::Dir(child) = slot else { return };
            dir = Arc::make_mut(child);
        }
        let node = match (entry.kind, dir.children.remove(*last)) {
            (EntryKind::Dir, Some(Node::Dir(mut existing))) => {
                Arc::make_mut(&mut existing).meta = entry;
                Node::Dir(existing)
            }
            (EntryKind::Dir, _) => Node::Dir(Arc::new(DirNode::new(entry))),
            _ => Node::Leaf(Arc::new(entry)),
        };
        dir.children.insert((*last).to_owned(), node);
    }

    /// Removes `path` (and everything under it). Returns whether it existed.
    pub fn remove(&mut self, path: &str) -> bool {
        let parts = components(path);
        let Some((last, parents)) = parts.split_last() else {
            return false;
        };
        if self
            .node(&parents.join("/"))
            .is_none_or(|n| n.child(last).is_none())
        {
            return false;
        }
        let mut dir = self.root_mut();
        for part in parents {
            let Some(Node::Dir(child)) = dir.children.get_mut(*part) else {
                return false;
            };
            dir = Arc::make_mut(child);
        }
        dir.children.remove(*last).is_some()
    }

    /// The entry at `path` (symlinks are not followed); the root for an empty path.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let mut dir: &DirNode = &self.root;
        let parts = components(path);
        let Some((last, parents)) = parts.split_last() else {
            return Some(&self.root.meta);
        };
        for part in parents {
            match dir.children.get(*part)? {
                Node::Dir(d) => dir = d,
                Node::Leaf(_) => return None,
            }
        }
        dir.children.get(*last).map(Node::entry)
    }

    /// The node at `path` (a cheap shared handle), the root for an empty path.
    pub(crate) fn node(&self, path: &str) -> Option<Node> {
        let mut node = Node::Dir(self.root.clone());
        for part in components(path) {
            node = node.child(part)?.clone();
        }
        Some(node)
    }

    /// The digest of the whole context (what `COPY . .` depends on).
    pub fn digest(&self) -> Digest {
        self.root.digest()
    }

    /// Every path in the context with its entry, depth first in name order.
    pub fn entries(&self) -> Vec<(String, Entry)> {
        let mut out = Vec::new();
        walk(self.root_dir(), "", &mut |path, node| {
            out.push((path.to_owned(), node.entry().clone()));
        });
        out
    }

    /// The number of paths (files, directories and symlinks), root excluded.
    pub fn len(&self) -> usize {
        let mut count = 0;
        walk(self.root_dir(), "", &mut |_, _| count += 1);
        count
    }

    pub fn is_empty(&self) -> bool {
        self.root_dir().children.is_empty()
    }

    /// Follows symlinks in `path` (every component, and the last one too when
    /// `follow_last`), as BuildKit resolves COPY sources inside the context root. Returns the
    /// resolved path, or `None` when it does not exist or loops.
    pub(crate) fn resolve(&self, path: &str, follow_last: bool) -> Option<String> {
        let mut pending: Vec<String> = components(path)
            .into_iter()
            .rev()
            .map(str::to_owned)
            .collect();
        let mut resolved: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                resolved.pop();
                continue;
            }
            if part == "." || part.is_empty() {
                continue;
            }
            let mut candidate = resolved.clone();
            candidate.push(part);
            let joined = candidate.join("/");
            let node = self.node(&joined)?;
            let is_last = pending.is_empty();
            match node.entry() {
                Entry {
                    kind: EntryKind::Symlink,
                    target: Some(target),
                    ..
                } if !is_last || follow_last => {
                    hops += 1;
                    if hops > 40 {
                        return None;
                    }
                    if target.starts_with('/') {
                        resolved.clear();
                    }
                    for piece in target.split('/').rev() {
                        pending.push(piece.to_owned());
                    }
                }
                _ => resolved = candidate,
            }
        }
        Some(resolved.join("/"))
    }
}

fn walk(dir: &DirNode, base: &str, f: &mut dyn FnMut(&str, &Node)) {
    for (name, child) in &dir.children {
        let path = if base.is_empty() {
            name.clone()
        } else {
            format!("{base}/{name}")
        };
        f(&path, child);
        if let Node::Dir(d) = child {
            walk(d, &path, f);
        }
    }
}

/// How one path differs between the previous and the next build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// The bytes changed.
    Content,
    /// Only the permission bits changed.
    Mode {
        from: u32,
        to: u32,
    },
    /// A symlink points elsewhere.
    Target,
    /// A file became a directory or a symlink, or the reverse.
    Kind,
}

/// The first path (in name order) at which two trees differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub path: String,
    pub change: ChangeKind,
}

impl Difference {
    /// `content of src/app.js changed`, `src/new.js was added`, ...
    pub fn describe(&self) -> String {
        let path = if self.path.is_empty() {
            "the context root"
        } else {
            &self.path
        };
        match &self.change {
            ChangeKind::Added => format!("{path} was added"),
            ChangeKind::Removed => format!("{path} was removed"),
            ChangeKind::Content => format!("content of {path} changed"),
            ChangeKind::Mode { from, to } => {
                format!("file mode of {path} changed from {from:04o} to {to:04o}")
            }
            ChangeKind::Target => format!("symlink {path} now points elsewhere"),
            ChangeKind::Kind => format!("{path} changed type"),
        }
    }
}

fn child_path(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{base}/{name}")
    }
}

/// The first difference between two (optional) nodes found at `path`.
pub(crate) fn first_difference(
    prev: Option<&Node>,
    next: Option<&Node>,
    path: &str,
) -> Option<Difference> {
    let diff = |change| {
        Some(Difference {
            path: path.to_owned(),
            change,
        })
    };
    match (prev, next) {
        (None, None) => None,
        (None, Some(_)) => diff(ChangeKind::Added),
        (Some(_), None) => diff(ChangeKind::Removed),
        (Some(a), Some(b)) if a.same(b) => None,
        (Some(Node::Dir(a)), Some(Node::Dir(b))) => {
            let mut names: Vec<&String> = a.children.keys().chain(b.children.keys()).collect();
            names.sort();
            names.dedup();
            for name in names {
                let (x, y) = (a.children.get(name), b.children.get(name));
                if let (Some(x), Some(y)) = (x, y) {
                    if x.same(y) {
                        continue;
                    }
                }
                if let Some(found) = first_difference(x, y, &child_path(path, name)) {
                    return Some(found);
                }
            }
            leaf_change(&a.meta, &b.meta).and_then(diff)
        }
        (Some(a), Some(b)) => leaf_change(a.entry(), b.entry()).and_then(diff),
    }
}

fn leaf_change(a: &Entry, b: &Entry) -> Option<ChangeKind> {
    if a.kind != b.kind {
        Some(ChangeKind::Kind)
    } else if a.target != b.target {
        Some(ChangeKind::Target)
    } else if a.content != b.content || a.size != b.size {
        Some(ChangeKind::Content)
    } else if a.mode != b.mode {
        Some(ChangeKind::Mode {
            from: a.mode,
            to: b.mode,
        })
    } else {
        None
    }
}

impl Context {
    /// The paths matching a wildcard source (`filepath.Match` per path component), in name
    /// order, with their nodes. A malformed pattern matches nothing.
    pub(crate) fn glob(&self, pattern: &str) -> Vec<(String, Node)> {
        let parts = components(pattern);
        let mut current: Vec<(String, Node)> = vec![(String::new(), Node::Dir(self.root.clone()))];
        for part in parts {
            let wildcard = gopath::has_wildcards(part);
            let mut next = Vec::new();
            for (base, node) in &current {
                let Node::Dir(dir) = node else { continue };
                if wildcard {
                    for (name, child) in &dir.children {
                        if gopath::match_pattern(part, name) == Ok(true) {
                            next.push((child_path(base, name), child.clone()));
                        }
                    }
                } else if let Some(child) = dir.children.get(part) {
                    next.push((child_path(base, part), child.clone()));
                }
            }
            current = next;
        }
        current
    }

    /// A copy of the context that keeps only the subtree at `path`, re-rooted.
    pub(crate) fn subtree(&self, path: &str) -> Option<Context> {
        match self.node(path)? {
            Node::Dir(dir) => Some(Context { root: dir }),
            Node::Leaf(_) => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ctx(files: &[(&str, &str)]) -> Context {
        Context::from_entries(
            files
                .iter()
                .map(|(p, c)| (*p, Entry::file_with(c.as_bytes()))),
        )
    }

    #[test]
    fn digests_ignore_insertion_order_and_see_names_modes_content() {
        let a = ctx(&[("src/a.js", "1"), ("b", "2")]);
        let b = ctx(&[("b", "2"), ("src/a.js", "1")]);
        assert_eq!(a.digest(), b.digest());
        let renamed = ctx(&[("src/c.js", "1"), ("b", "2")]);
        assert_ne!(a.digest(), renamed.digest());
        let mut moded = a.clone();
        moded.insert("b", Entry::file(Digest::of_bytes(b"2"), 0o755, 1));
        assert_ne!(a.digest(), moded.digest());
        assert_eq!(
            first_difference(a.node("").as_ref(), moded.node("").as_ref(), ""),
            Some(Difference {
                path: "b".into(),
                change: ChangeKind::Mode {
                    from: 0o644,
                    to: 0o755
                }
            })
        );
    }

    #[test]
    fn persistent_updates_leave_the_original_alone() {
        let a = ctx(&[("src/a.js", "1"), ("lib/x", "2")]);
        let before = a.digest();
        let mut b = a.clone();
        b.insert("src/a.js", Entry::file_with(b"changed"));
        assert_eq!(a.digest(), before);
        assert_ne!(b.digest(), before);
        assert_eq!(
            first_difference(a.node("").as_ref(), b.node("").as_ref(), "").map(|d| d.describe()),
            Some("content of src/a.js changed".to_owned())
        );
        assert!(b.remove("src"));
        assert!(!b.remove("src"));
        assert!(b.get("src/a.js").is_none());
        assert!(a.get("src/a.js").is_some());
    }

    #[test]
    fn globs_and_symlinks() {
        let mut c = ctx(&[("a/x.txt", ""), ("a/y.md", ""), ("b/x.txt", "")]);
        c.insert("link", Entry::symlink("a"));
        let found: Vec<String> = c.glob("*/x.txt").into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, ["a/x.txt", "b/x.txt"]);
        assert_eq!(c.resolve("link/y.md", true).as_deref(), Some("a/y.md"));
        assert_eq!(c.resolve("link", false).as_deref(), Some("link"));
        c.insert("loop", Entry::symlink("loop"));
        assert_eq!(c.resolve("loop", true), None);
    }
}
