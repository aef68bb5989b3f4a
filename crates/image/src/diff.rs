//! What changed between two images: the layers they share (by diff_id), and the files of
//! their merged filesystems that were added, removed or changed — with content compared by
//! fingerprint when the scans recorded one, so a rebuilt layer that wrote the same bytes
//! does not count as a change.

use std::cmp::Ordering;

use serde::Serialize;

use crate::merge::{Merged, MergedNode};
use crate::model::{EntryKind, LayerEntries};
use crate::report::Report;

/// One image, as the diff needs it.
pub struct Side<'a> {
    pub report: &'a Report,
    pub merged: &'a Merged,
    /// The scanned entries per layer, indexed like the report's layers.
    pub layers: &'a [&'a LayerEntries],
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileState {
    pub kind: EntryKind,
    pub size: u64,
    pub mode: u32,
    pub layer: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    pub path: Box<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<FileState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<FileState>,
    /// For changed files: what differs (`type`, `content`, `size`, `mode`, `owner`, `link`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what: Vec<&'static str>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImageDiff {
    /// diff_ids present in both images, in the first image's order.
    pub shared_layers: Vec<String>,
    pub only_in_first: Vec<String>,
    pub only_in_second: Vec<String>,
    pub added: Vec<FileDiff>,
    pub removed: Vec<FileDiff>,
    pub changed: Vec<FileDiff>,
    /// Visible file bytes, second minus first.
    pub size_delta: i64,
    /// Layer blob bytes, second minus first.
    pub compressed_delta: i64,
}

fn state(node: &MergedNode) -> FileState {
    FileState {
        kind: node.kind,
        size: node.resolved_size.unwrap_or(node.size),
        mode: node.mode,
        layer: node.layer,
        link_target: node.link_target.clone(),
    }
}

fn diff_id(side: &Side<'_>, layer: usize) -> Option<String> {
    side.report
        .layers
        .get(layer)
        .and_then(|l| l.diff_id.clone())
}

fn content_hash(side: &Side<'_>, node: &MergedNode) -> Option<u64> {
    let entry = node.entry?;
    side.layers
        .get(node.layer)?
        .content_hashes
        .get(entry)
        .copied()
}

/// Whether two visible files have the same content: the same layer (by diff_id) wrote both,
/// or both fingerprints are known and equal.
fn same_content(
    a: &Side<'_>,
    before: &MergedNode,
    b: &Side<'_>,
    after: &MergedNode,
) -> Option<bool> {
    let shared_layer =
        diff_id(a, before.layer).is_some() && diff_id(a, before.layer) == diff_id(b, after.layer);
    if shared_layer && before.entry.is_some() && before.entry == after.entry {
        return Some(true);
    }
    match (content_hash(a, before), content_hash(b, after)) {
        (Some(x), Some(y)) => Some(x == y),
        _ => None,
    }
}

fn changes(
    a: &Side<'_>,
    before: &MergedNode,
    b: &Side<'_>,
    after: &MergedNode,
) -> Vec<&'static str> {
    let mut what = Vec::new();
    if before.kind != after.kind {
        what.push("type");
        return what;
    }
    if before.kind == EntryKind::File {
        match same_content(a, before, b, after) {
            Some(false) => what.push("content"),
            // Unknown content (no fingerprints): fall back to the size.
            None if before.size != after.size => what.push("content"),
            _ => {}
        }
    }
    if before.size != after.size {
        what.push("size");
    }
    if before.mode != after.mode {
        what.push("mode");
    }
    if (before.uid, before.gid) != (after.uid, after.gid) {
        what.push("owner");
    }
    if before.link_target != after.link_target {
        what.push("link");
    }
    what
}

pub fn diff(a: &Side<'_>, b: &Side<'_>) -> ImageDiff {
    let ids = |side: &Side<'_>| -> Vec<String> {
        side.report
            .layers
            .iter()
            .filter_map(|l| l.diff_id.clone())
            .collect()
    };
    let (first, second) = (ids(a), ids(b));
    let mut result = ImageDiff {
        shared_layers: first
            .iter()
            .filter(|id| second.contains(id))
            .cloned()
            .collect(),
        only_in_first: first
            .iter()
            .filter(|id| !second.contains(id))
            .cloned()
            .collect(),
        only_in_second: second
            .iter()
            .filter(|id| !first.contains(id))
            .cloned()
            .collect(),
        size_delta: b.report.merged.bytes as i64 - a.report.merged.bytes as i64,
        compressed_delta: b
            .report
            .layers
            .iter()
            .map(|l| l.compressed_size as i64)
            .sum::<i64>()
            - a.report
                .layers
                .iter()
                .map(|l| l.compressed_size as i64)
                .sum::<i64>(),
        ..ImageDiff::default()
    };
    // Both node lists are sorted by path: walk them together.
    let (mut left, mut right) = (a.merged.nodes().peekable(), b.merged.nodes().peekable());
    loop {
        let order = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => x.path.cmp(&y.path),
        };
        match order {
            Ordering::Less => {
                if let Some(node) = left.next() {
                    result.removed.push(FileDiff {
                        before: Some(state(&node)),
                        path: node.path,
                        after: None,
                        what: Vec::new(),
                    });
                }
            }
            Ordering::Greater => {
                if let Some(node) = right.next() {
                    result.added.push(FileDiff {
                        before: None,
                        after: Some(state(&node)),
                        path: node.path,
                        what: Vec::new(),
                    });
                }
            }
            Ordering::Equal => {
                if let (Some(x), Some(y)) = (left.next(), right.next()) {
                    let what = changes(a, &x, b, &y);
                    // A directory only re-stamped by a later layer is not a change.
                    if !what.is_empty() {
                        result.changed.push(FileDiff {
                            before: Some(state(&x)),
                            after: Some(state(&y)),
                            path: x.path,
                            what,
                        });
                    }
                }
            }
        }
    }
    result
}
