//! Builders for hand-made layers in unit tests.

use crate::model::{Entry, EntryKind, LayerEntries};

/// An entry of `kind` at `path` with typical attributes; whiteout and opaque kinds are taken
/// from the name, as the scanner does.
pub fn entry(kind: EntryKind, path: &str, size: u64) -> Entry {
    let base = path.rsplit('/').next().unwrap_or(path);
    let kind = if base == ".wh..wh..opq" {
        EntryKind::Opaque
    } else if base.starts_with(".wh..wh.") {
        EntryKind::WhiteoutMeta
    } else if base.starts_with(".wh.") {
        EntryKind::Whiteout
    } else {
        kind
    };
    let (typeflag, mode) = match kind {
        EntryKind::Dir => (b'5', 0o755),
        EntryKind::Symlink => (b'2', 0o777),
        EntryKind::Hardlink => (b'1', 0o644),
        EntryKind::Whiteout | EntryKind::Opaque | EntryKind::WhiteoutMeta => (b'0', 0),
        _ => (b'0', 0o644),
    };
    Entry {
        path: path.into(),
        kind,
        typeflag,
        size,
        mode,
        uid: 0,
        gid: 0,
        link_target: None,
    }
}

pub fn file(path: &str, size: u64) -> Entry {
    entry(EntryKind::File, path, size)
}

pub fn dir(path: &str) -> Entry {
    entry(EntryKind::Dir, path, 0)
}

/// A `.wh.`/`.wh..wh..opq` marker (the kind comes from the name).
pub fn marker(path: &str) -> Entry {
    entry(EntryKind::File, path, 0)
}

pub fn symlink(path: &str, target: &str) -> Entry {
    Entry {
        link_target: Some(target.into()),
        ..entry(EntryKind::Symlink, path, 0)
    }
}

pub fn hardlink(path: &str, target: &str) -> Entry {
    Entry {
        link_target: Some(target.into()),
        ..entry(EntryKind::Hardlink, path, 0)
    }
}

pub fn with_mode(mut entry: Entry, mode: u32) -> Entry {
    entry.mode = mode;
    entry
}

pub fn layer(entries: Vec<Entry>) -> LayerEntries {
    LayerEntries {
        entries,
        ..LayerEntries::default()
    }
}
