//! The file tree of the explorer, as pure data: built from a flat list of paths (the merged
//! filesystem or one layer), with directory sizes summed, children sorted by size or name, and
//! the rows to show for the directories the user opened — or for a search — cut to a limit,
//! so a tree of 100,000 paths never becomes 100,000 DOM nodes.

use std::collections::{HashMap, HashSet};

use super::protocol::{FileRecord, Mark};

/// One node of the tree; node 0 is the root.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The last path component (the whole path for the root's children).
    pub name: String,
    pub path: String,
    pub children: Vec<usize>,
    /// The node's own size plus everything below it.
    pub total_size: u64,
    /// Regular files at or below the node.
    pub files: u64,
    /// The record the node shows; None for directories only implied by deeper paths.
    pub record: Option<usize>,
    pub is_dir: bool,
    pub mark: Option<Mark>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Largest first, then by name.
    Size,
    Name,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// One row to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub node: usize,
    /// 0 for the root's children.
    pub depth: usize,
}

/// The rows to render, and how many more there would be without the limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    pub rows: Vec<Row>,
    pub hidden: usize,
}

impl Tree {
    /// Builds the tree from records in any order, creating the directories paths imply.
    pub fn build(records: &[FileRecord]) -> Tree {
        let mut nodes = vec![Node {
            name: String::new(),
            path: String::new(),
            children: Vec::new(),
            total_size: 0,
            files: 0,
            record: None,
            is_dir: true,
            mark: None,
        }];
        let mut by_path: HashMap<String, usize> = HashMap::with_capacity(records.len());
        for (index, record) in records.iter().enumerate() {
            let path = record.path.trim_matches('/');
            if path.is_empty() {
                // The root entry itself ("./"): nothing to show.
                continue;
            }
            let node = node_for(&mut nodes, &mut by_path, path);
            let is_dir = record.kind == "dir";
            if let Some(node) = nodes.get_mut(node) {
                node.record = Some(index);
                node.is_dir = is_dir || !node.children.is_empty();
                node.mark = record.mark;
                // A hardlink shares its target's data: counted as a file, not as bytes again.
                if record.kind == "file" {
                    node.total_size = size_of(record.size);
                }
                if record.kind == "file" || record.kind == "hardlink" {
                    node.files = 1;
                }
            }
        }
        let mut tree = Tree { nodes };
        tree.sum(0);
        tree
    }

    /// Adds each directory's children into its size and file count (post-order, no recursion).
    fn sum(&mut self, root: usize) {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            order.push(node);
            if let Some(n) = self.nodes.get(node) {
                stack.extend(n.children.iter().copied());
            }
        }
        for &node in order.iter().rev() {
            let Some(n) = self.nodes.get(node) else {
                continue;
            };
            if n.children.is_empty() {
                continue;
            }
            let (mut size, mut files) = (0u64, 0u64);
            for &child in &n.children {
                if let Some(c) = self.nodes.get(child) {
                    size = size.saturating_add(c.total_size);
                    files = files.saturating_add(c.files);
                }
            }
            if let Some(n) = self.nodes.get_mut(node) {
                n.total_size = n.total_size.saturating_add(size);
                n.files = n.files.saturating_add(files);
            }
        }
    }

    /// Sorts every directory's children.
    pub fn sort(&mut self, key: SortKey) {
        for index in 0..self.nodes.len() {
            let mut children = std::mem::take(&mut self.nodes[index].children);
            children.sort_by(|&a, &b| compare(&self.nodes[a], &self.nodes[b], key));
            self.nodes[index].children = children;
        }
    }

    /// The rows of the tree with the directories in `expanded` (by path) open, in order, at
    /// most `limit` of them.
    pub fn rows(&self, expanded: &HashSet<String>, limit: usize) -> Rows {
        let mut out = Rows::default();
        let mut stack: Vec<Row> = self.children_rows(0, 0);
        while let Some(row) = stack.pop() {
            if out.rows.len() < limit {
                out.rows.push(row);
            } else {
                out.hidden += 1;
            }
            if let Some(node) = self.nodes.get(row.node) {
                if node.is_dir && expanded.contains(&node.path) {
                    stack.extend(self.children_rows(row.node, row.depth + 1));
                }
            }
        }
        out
    }

    /// Children of `node` as rows, reversed so a stack pops them in order.
    fn children_rows(&self, node: usize, depth: usize) -> Vec<Row> {
        self.nodes.get(node).map_or_else(Vec::new, |n| {
            n.children
                .iter()
                .rev()
                .map(|&child| Row { node: child, depth })
                .collect()
        })
    }

    /// The nodes whose path contains `query` (ignoring case), flat, in `key` order, at most
    /// `limit` of them.
    pub fn search(&self, query: &str, key: SortKey, limit: usize) -> Rows {
        let query = query.to_lowercase();
        let mut found: Vec<usize> = (1..self.nodes.len())
            .filter(|&i| self.nodes[i].path.to_lowercase().contains(&query))
            .collect();
        found.sort_by(|&a, &b| match key {
            SortKey::Size => compare(&self.nodes[a], &self.nodes[b], key),
            SortKey::Name => self.nodes[a].path.cmp(&self.nodes[b].path),
        });
        let hidden = found.len().saturating_sub(limit);
        found.truncate(limit);
        Rows {
            rows: found
                .into_iter()
                .map(|node| Row { node, depth: 0 })
                .collect(),
            hidden,
        }
    }

    /// Every directory on the way to `path` (for opening the tree at a path).
    pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
        path.match_indices('/').map(move |(at, _)| &path[..at])
    }
}

fn compare(a: &Node, b: &Node, key: SortKey) -> std::cmp::Ordering {
    match key {
        SortKey::Size => b
            .total_size
            .cmp(&a.total_size)
            .then_with(|| a.name.cmp(&b.name)),
        SortKey::Name => a.name.cmp(&b.name),
    }
}

/// A size from JSON (a float) as bytes; negative or invalid sizes count as 0.
fn size_of(size: f64) -> u64 {
    if size.is_finite() && size > 0.0 {
        size as u64
    } else {
        0
    }
}

/// The node for `path`, creating it and its missing parents (iteratively: a hostile archive
/// may nest thousands of directories).
fn node_for(nodes: &mut Vec<Node>, by_path: &mut HashMap<String, usize>, path: &str) -> usize {
    if let Some(&node) = by_path.get(path) {
        return node;
    }
    let mut parent = 0;
    let ends = path
        .match_indices('/')
        .map(|(at, _)| at)
        .chain(std::iter::once(path.len()));
    let mut start = 0;
    for end in ends {
        let prefix = &path[..end];
        let name = &path[start..end];
        start = end + 1;
        parent = match by_path.get(prefix) {
            Some(&node) => node,
            None => {
                let index = nodes.len();
                nodes.push(Node {
                    name: name.to_owned(),
                    path: prefix.to_owned(),
                    children: Vec::new(),
                    total_size: 0,
                    files: 0,
                    record: None,
                    is_dir: true,
                    mark: None,
                });
                if let Some(parent) = nodes.get_mut(parent) {
                    parent.children.push(index);
                    parent.is_dir = true;
                }
                by_path.insert(prefix.to_owned(), index);
                index
            }
        };
        if end < path.len() {
            // A file recorded earlier at this path has children: show it as a directory.
            if let Some(node) = nodes.get_mut(parent) {
                node.is_dir = true;
            }
        }
    }
    parent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, kind: &str, size: u64) -> FileRecord {
        FileRecord {
            path: path.to_owned(),
            kind: kind.to_owned(),
            size: size as f64,
            layer: 0,
            entry: Some(0),
            mode: 0o644,
            mark: Some(Mark::Added),
            link: None,
        }
    }

    fn names(tree: &Tree, rows: &Rows) -> Vec<String> {
        rows.rows
            .iter()
            .map(|row| format!("{}{}", "  ".repeat(row.depth), tree.nodes[row.node].name))
            .collect()
    }

    fn sample() -> Tree {
        let mut tree = Tree::build(&[
            record("usr/bin/tool-link", "hardlink", 300),
            record("", "dir", 0),
            record("usr/bin/tool", "file", 300),
            record("etc", "dir", 0),
            record("etc/passwd", "file", 90),
            record("etc/motd", "file", 10),
            record("usr/share/doc/a", "file", 5),
            record("big.bin", "file", 1000),
            record("link", "symlink", 0),
        ]);
        tree.sort(SortKey::Size);
        tree
    }

    #[test]
    fn implied_directories_are_created_and_sizes_summed() {
        let tree = sample();
        let usr = tree.nodes.iter().find(|n| n.path == "usr").expect("usr");
        assert!(usr.is_dir);
        assert_eq!(usr.record, None, "only implied by deeper paths");
        assert_eq!(usr.total_size, 305);
        assert_eq!(usr.files, 3, "the hardlink is a file");
        assert_eq!(tree.nodes[0].total_size, 1405, "whose bytes count once");
        assert_eq!(tree.nodes[0].files, 6);
    }

    #[test]
    fn directories_start_collapsed_and_children_are_sorted_by_size() {
        let tree = sample();
        let rows = tree.rows(&HashSet::new(), 100);
        assert_eq!(names(&tree, &rows), ["big.bin", "usr", "etc", "link"]);
        assert_eq!(rows.hidden, 0);
    }

    #[test]
    fn opened_directories_show_their_children_indented() {
        let tree = sample();
        let open: HashSet<String> = ["usr".to_owned(), "usr/share".to_owned()].into();
        let rows = tree.rows(&open, 100);
        assert_eq!(
            names(&tree, &rows),
            ["big.bin", "usr", "  bin", "  share", "    doc", "etc", "link"]
        );
    }

    #[test]
    fn sorting_by_name() {
        let mut tree = sample();
        tree.sort(SortKey::Name);
        let rows = tree.rows(&HashSet::new(), 100);
        assert_eq!(names(&tree, &rows), ["big.bin", "etc", "link", "usr"]);
    }

    #[test]
    fn rows_are_cut_at_the_limit_and_the_rest_counted() {
        let records: Vec<FileRecord> = (0..100_000)
            .map(|i| record(&format!("d{}/f{i}", i % 10), "file", i))
            .collect();
        let mut tree = Tree::build(&records);
        tree.sort(SortKey::Size);
        let collapsed = tree.rows(&HashSet::new(), 500);
        assert_eq!(collapsed.rows.len(), 10, "ten directories, collapsed");
        let open: HashSet<String> = ["d3".to_owned()].into();
        let rows = tree.rows(&open, 500);
        assert_eq!(rows.rows.len(), 500);
        assert_eq!(rows.hidden, 10 + 10_000 - 500);
        // d9 … d4 (larger sums) come before d3, whose largest file comes first.
        assert_eq!(tree.nodes[rows.rows[6].node].name, "d3");
        assert_eq!(
            tree.nodes[rows.rows[7].node].name, "f99993",
            "largest first"
        );
    }

    #[test]
    fn search_is_flat_case_insensitive_and_limited() {
        let tree = sample();
        let rows = tree.search("BIN", SortKey::Size, 10);
        let paths: Vec<&str> = rows
            .rows
            .iter()
            .map(|r| tree.nodes[r.node].path.as_str())
            .collect();
        assert_eq!(
            paths,
            ["big.bin", "usr/bin", "usr/bin/tool", "usr/bin/tool-link"]
        );
        let limited = tree.search("", SortKey::Name, 3);
        assert_eq!(limited.rows.len(), 3);
        assert_eq!(limited.hidden, tree.nodes.len() - 1 - 3);
    }

    #[test]
    fn a_file_that_also_has_children_becomes_a_directory() {
        let tree = Tree::build(&[
            record("etc/conf.d", "file", 4),
            record("etc/conf.d/x", "file", 1),
        ]);
        let node = tree
            .nodes
            .iter()
            .find(|n| n.path == "etc/conf.d")
            .expect("node");
        assert!(node.is_dir);
    }

    #[test]
    fn ancestors_of_a_path() {
        let found: Vec<&str> = Tree::ancestors("a/b/c").collect();
        assert_eq!(found, ["a", "a/b"]);
    }
}
