//! Content-based cache inputs: what a COPY source or a bind mount selects, and its checksum.
//!
//! From the context, the checksum is exact (the Merkle digests of [`Context`]). From another
//! stage it is symbolic: each stage state keeps the list of layers its ops wrote (base image,
//! RUN, COPY, WORKDIR), and a selection's checksum combines the layers that touch the selected
//! path. Files copied from the context are known exactly, down to the selected sub-path. What a
//! RUN or a base image puts there is not known, so each selection has two checksums:
//! pessimistic (`p`: RUN outputs and base images identified by their cache keys, i.e. they
//! change whenever they re-run) and optimistic (`o`: only the known parts). Equal `p` means
//! certainly unchanged; different `o` means certainly changed; otherwise the step may miss.

use std::rc::Rc;

use crate::context::{first_difference, Context, Difference, EntryKind, Node};
use crate::digest::{Digest, KeyHasher};
use crate::gopath;
use crate::ignore::Ignore;

/// A pessimistic and an optimistic key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Pair {
    pub p: Digest,
    pub o: Digest,
}

impl Pair {
    pub fn same(d: Digest) -> Pair {
        Pair { p: d, o: d }
    }
}

/// A step of some stage: `(stage index, step index)`.
pub(crate) type StepRef = (usize, usize);

/// One source of a COPY layer, as the symbolic filesystem keeps it.
#[derive(Clone, Debug)]
pub(crate) enum Part {
    /// A context path: a directory whose contents are copied, or a file copied by name.
    Tree {
        node: Option<Node>,
        contents: bool,
        name: String,
    },
    /// Whole content known only by its pair (from another stage, an image or a URL).
    Opaque {
        pair: Pair,
        certain: Vec<StepRef>,
        uncertain: Vec<StepRef>,
    },
}

#[derive(Clone, Debug)]
pub(crate) enum Layer {
    /// The base image's files: unknown, identified by the image key.
    Base { p: Digest, at: StepRef },
    /// Whatever a RUN wrote: unknown, identified by the RUN's key.
    Run { p: Digest, at: StepRef },
    /// A directory made by WORKDIR.
    Mkdir { path: String, at: StepRef },
    /// Files written by COPY/ADD at `dest`.
    Copy {
        dest: String,
        meta: Digest,
        parts: Vec<Part>,
        at: StepRef,
    },
}

/// A persistent list of layers, newest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layers(Option<Rc<Cell>>);

#[derive(Debug)]
struct Cell {
    layer: Layer,
    prev: Layers,
}

impl Layers {
    pub fn push(&self, layer: Layer) -> Layers {
        Layers(Some(Rc::new(Cell {
            layer,
            prev: self.clone(),
        })))
    }

    /// Oldest first.
    fn to_vec(&self) -> Vec<&Layer> {
        let mut out = Vec::new();
        let mut cur = &self.0;
        while let Some(cell) = cur {
            out.push(&cell.layer);
            cur = &cell.prev.0;
        }
        out.reverse();
        out
    }
}

/// The checksum of a selection from a stage, with the steps that decide it.
#[derive(Clone, Debug)]
pub(crate) struct StageContent {
    pub pair: Pair,
    /// Known writers (COPY from the context, WORKDIR) that touch the selection.
    pub certain: Vec<StepRef>,
    /// Unknown writers (RUN, base image) that touch it.
    pub uncertain: Vec<StepRef>,
}

/// `/a/b` without a trailing slash; `/` stays.
pub(crate) fn abs(path: &str) -> String {
    let cleaned = gopath::clean(&format!("/{path}"));
    if cleaned.is_empty() {
        "/".to_owned()
    } else {
        cleaned
    }
}

fn under(child: &str, parent: &str) -> bool {
    parent == "/"
        || child
            .strip_prefix(parent)
            .is_some_and(|r| r.starts_with('/'))
}

fn overlaps(a: &str, b: &str) -> bool {
    a == b || under(a, b) || under(b, a)
}

fn absent() -> Digest {
    static ABSENT: std::sync::OnceLock<Digest> = std::sync::OnceLock::new();
    *ABSENT.get_or_init(|| KeyHasher::new("absent").finish())
}

/// The content of `selection` (an absolute path) in a stage whose layers are `layers`.
pub(crate) fn select(layers: &Layers, selection: &str) -> StageContent {
    let sel = abs(selection);
    let mut p = KeyHasher::new("stage-selection");
    let mut o = KeyHasher::new("stage-selection");
    p.str(&sel);
    o.str(&sel);
    let mut certain = Vec::new();
    let mut uncertain = Vec::new();
    for layer in layers.to_vec() {
        match layer {
            Layer::Base { p: key, at } | Layer::Run { p: key, at } => {
                p.str("unknown").digest(key);
                uncertain.push(*at);
            }
            Layer::Mkdir { path, at } => {
                if overlaps(path, &sel) {
                    for h in [&mut p, &mut o] {
                        h.str("mkdir").str(path);
                    }
                    certain.push(*at);
                }
            }
            Layer::Copy {
                dest,
                meta,
                parts,
                at,
            } => {
                let dest_dir = abs(dest);
                if !overlaps(&dest_dir, &sel) {
                    continue;
                }
                let into_dir = dest.ends_with('/') || parts.len() > 1;
                let mut touched = false;
                let mut digests: Vec<Pair> = Vec::with_capacity(parts.len());
                let mut part_certain = Vec::new();
                let mut part_uncertain = Vec::new();
                for part in parts {
                    match part {
                        Part::Tree {
                            node,
                            contents,
                            name,
                        } => {
                            let d = if under(&sel, &dest_dir) && sel != dest_dir {
                                let rel = sel[dest_dir.len()..].trim_start_matches('/');
                                tree_at(node.as_ref(), *contents, name, into_dir, rel)
                            } else {
                                node.as_ref().map_or_else(absent, Node::digest)
                            };
                            touched |= d != absent();
                            digests.push(Pair::same(d));
                        }
                        Part::Opaque {
                            pair,
                            certain: c,
                            uncertain: u,
                        } => {
                            digests.push(*pair);
                            part_certain.extend(c.iter().copied());
                            part_uncertain.extend(u.iter().copied());
                            touched = true;
                        }
                    }
                }
                if !touched {
                    // Nothing there now, but this COPY is what would have put it there.
                    certain.push(*at);
                    continue;
                }
                for h in [&mut p, &mut o] {
                    h.str("copy").str(&dest_dir).digest(meta);
                }
                for d in &digests {
                    p.digest(&d.p);
                    o.digest(&d.o);
                }
                certain.extend(part_certain);
                uncertain.extend(part_uncertain);
                if touched {
                    certain.push(*at);
                }
            }
        }
    }
    StageContent {
        pair: Pair {
            p: p.finish(),
            o: o.finish(),
        },
        certain,
        uncertain,
    }
}

/// The digest of `rel` inside what a context part put at the destination.
fn tree_at(node: Option<&Node>, contents: bool, name: &str, into_dir: bool, rel: &str) -> Digest {
    let Some(node) = node else {
        return absent();
    };
    let mut parts = rel.split('/').filter(|p| !p.is_empty());
    let mut current = node;
    if !contents {
        // A file (or a wildcard-matched entry) lands at DEST/NAME only when DEST is a
        // directory; otherwise it is DEST itself, which the selection is strictly inside.
        if !into_dir || parts.next() != Some(name) {
            return absent();
        }
    }
    for part in parts {
        match current.child(part) {
            Some(child) => current = child,
            None => return absent(),
        }
    }
    current.digest()
}

/// A selection from the build context: the matched paths and their nodes.
#[derive(Clone, Debug)]
pub(crate) struct ContextSelection {
    pub pattern: String,
    pub matches: Vec<(String, Node)>,
    pub digest: Digest,
    /// Nothing matched a path without wildcards: BuildKit fails (`not found`).
    pub missing: bool,
}

impl ContextSelection {
    /// The parts a COPY layer records for this selection.
    pub fn parts(&self) -> Vec<Part> {
        let wildcard = gopath::has_wildcards(&self.pattern);
        if self.matches.is_empty() {
            return vec![Part::Tree {
                node: None,
                contents: true,
                name: String::new(),
            }];
        }
        self.matches
            .iter()
            .map(|(path, node)| {
                let is_dir = node.entry().kind == EntryKind::Dir;
                Part::Tree {
                    node: Some(node.clone()),
                    contents: is_dir,
                    name: if wildcard || !is_dir {
                        path.rsplit('/').next().unwrap_or(path).to_owned()
                    } else {
                        String::new()
                    },
                }
            })
            .collect()
    }

    /// The first path that differs from `prev` (another selection of the same pattern).
    pub fn first_difference(&self, prev: &ContextSelection) -> Option<Difference> {
        let mut paths: Vec<&String> = self
            .matches
            .iter()
            .chain(&prev.matches)
            .map(|(p, _)| p)
            .collect();
        paths.sort();
        paths.dedup();
        for path in paths {
            let a = prev.matches.iter().find(|(p, _)| p == path).map(|(_, n)| n);
            let b = self.matches.iter().find(|(p, _)| p == path).map(|(_, n)| n);
            if let Some(d) = first_difference(a, b, path) {
                return Some(d);
            }
        }
        None
    }
}

/// Selects `source` in the context as BuildKit's COPY does: wildcards per path component,
/// otherwise the path with symlinks followed; `exclude` patterns (COPY `--exclude`) applied
/// inside.
pub(crate) fn select_context(
    context: &Context,
    source: &str,
    exclude: &[String],
) -> ContextSelection {
    let pattern = crate::context::normalize(source);
    let mut matches: Vec<(String, Node)> = if gopath::has_wildcards(&pattern) {
        context.glob(&pattern)
    } else {
        context
            .resolve(&pattern, true)
            .and_then(|resolved| context.node(&resolved).map(|n| (pattern.clone(), n)))
            .into_iter()
            .collect()
    };
    if !exclude.is_empty() {
        let patterns: Vec<(usize, String)> = exclude
            .iter()
            .map(|e| (0, crate::context::normalize(e)))
            .collect();
        if let Ok(ignore) = Ignore::from_patterns(&patterns) {
            matches = matches
                .into_iter()
                .filter(|(path, _)| !ignore.matches_or_parent_matches(path))
                .map(|(path, node)| match &node {
                    Node::Dir(_) => {
                        let sub = context.subtree(&path).unwrap_or_default();
                        let filtered = ignore.filter(&sub);
                        let n = filtered.node("").unwrap_or(node);
                        (path, n)
                    }
                    Node::Leaf(_) => (path, node),
                })
                .collect();
        }
    }
    let mut h = KeyHasher::new("context-selection");
    h.str(&pattern);
    for (path, node) in &matches {
        h.str(path).digest(&node.digest());
    }
    let missing = matches.is_empty() && !gopath::has_wildcards(&pattern);
    if missing {
        h.str("missing");
    }
    ContextSelection {
        pattern,
        matches,
        digest: h.finish(),
        missing,
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::context::Entry;

    fn ctx(files: &[(&str, &str)]) -> Context {
        Context::from_entries(
            files
                .iter()
                .map(|(p, c)| (*p, Entry::file_with(c.as_bytes()))),
        )
    }

    fn copy_layer(c: &Context, src: &str, dest: &str, at: StepRef) -> Layer {
        Layer::Copy {
            dest: dest.to_owned(),
            meta: Digest::default(),
            parts: select_context(c, src, &[]).parts(),
            at,
        }
    }

    #[test]
    fn selections_see_only_what_touches_them() {
        let a = ctx(&[("src/app.js", "1"), ("config/app.yml", "x")]);
        let mut b = a.clone();
        b.insert("src/app.js", Entry::file_with(b"2"));
        let base = Layers::default().push(Layer::Base {
            p: Digest::default(),
            at: (0, 0),
        });
        let la = base.push(copy_layer(&a, ".", "/app/", (0, 1)));
        let lb = base.push(copy_layer(&b, ".", "/app/", (0, 1)));
        // The config file is untouched by the change; the sources are not.
        assert_eq!(
            select(&la, "/app/config/app.yml").pair,
            select(&lb, "/app/config/app.yml").pair
        );
        let (x, y) = (select(&la, "/app/src").pair, select(&lb, "/app/src").pair);
        assert_ne!(x.p, y.p);
        assert_ne!(x.o, y.o);
        // A RUN on top makes its output uncertain: p differs, o does not.
        let ra = la.push(Layer::Run {
            p: Digest::of_bytes(b"run1"),
            at: (0, 2),
        });
        let rb = la.push(Layer::Run {
            p: Digest::of_bytes(b"run2"),
            at: (0, 2),
        });
        let (x, y) = (select(&ra, "/app/dist").pair, select(&rb, "/app/dist").pair);
        assert_ne!(x.p, y.p);
        assert_eq!(x.o, y.o);
    }

    #[test]
    fn context_selection_follows_symlinks_and_wildcards() {
        let mut c = ctx(&[("a/x.json", "1"), ("a/y.json", "2"), ("b.txt", "3")]);
        c.insert("link", Entry::symlink("b.txt"));
        let s = select_context(&c, "./link", &[]);
        assert!(!s.missing);
        assert_eq!(
            s.matches[0].1.digest(),
            c.node("b.txt").map(|n| n.digest()).unwrap_or_default()
        );
        assert_eq!(select_context(&c, "a/*.json", &[]).matches.len(), 2);
        assert!(select_context(&c, "nope", &[]).missing);
        assert!(!select_context(&c, "nope*", &[]).missing);
        let excluded = select_context(&c, "a", &["*.json".to_owned()]);
        assert_ne!(excluded.digest, select_context(&c, "a", &[]).digest);
    }
}
