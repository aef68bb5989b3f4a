//! The per-layer facts a scan produces, shared by every analysis downstream (merge, waste,
//! dive numbers, packages, findings). Kept small: a layer of 200,000 files holds 200,000
//! `Entry`s, so every field here costs memory on big images.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

/// What a tar entry is, after whiteout naming is taken into account: any basename starting
/// with `.wh.` is a whiteout whatever its typeflag (umoci writes them as mode-0000 files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
    /// `.wh.NAME`: removes `NAME` (and its subtree) from the layers below.
    Whiteout,
    /// `.wh..wh..opq`: hides every lower-layer child of its directory.
    Opaque,
    /// Any other `.wh..wh.*` name (AUFS metadata such as `.wh..wh.plnk`).
    WhiteoutMeta,
    /// A typeflag this model does not know; kept so counts add up.
    Other,
}

impl EntryKind {
    /// The name `layerlab inspect --files` and the JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::File => "file",
            EntryKind::Dir => "dir",
            EntryKind::Symlink => "symlink",
            EntryKind::Hardlink => "hardlink",
            EntryKind::Char => "char",
            EntryKind::Block => "block",
            EntryKind::Fifo => "fifo",
            EntryKind::Whiteout => "whiteout",
            EntryKind::Opaque => "opaque",
            EntryKind::WhiteoutMeta => "whiteout-meta",
            EntryKind::Other => "other",
        }
    }

    /// Whiteouts and opaque markers change lower layers; they are never visible paths.
    pub fn is_marker(self) -> bool {
        matches!(
            self,
            EntryKind::Whiteout | EntryKind::Opaque | EntryKind::WhiteoutMeta
        )
    }
}

/// One tar entry of a layer, in tar order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Normalised path: no leading `./` or `/`, no trailing `/`; the root entry `./` is `""`.
    /// Names that are not UTF-8 are converted lossily (and reported as a problem once).
    pub path: Box<str>,
    pub kind: EntryKind,
    /// The tar typeflag byte as written (`b'0'`, `b'5'`, …); dive keys directories on it.
    #[serde(skip)]
    pub typeflag: u8,
    /// Header size: content bytes of a regular file (logical size for sparse files), 0 for
    /// most other kinds. dive's layer "Size" is the sum of these.
    pub size: u64,
    /// Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Symlink or hardlink target as written in the header (hardlink targets are archive paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<LinkTarget>,
}

// An `Entry` per tar entry: keep it from growing back unnoticed.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Entry>() <= 48);

/// A symlink or hardlink target. Boxed twice so that `Option<LinkTarget>` is one thin pointer
/// in every `Entry`: most entries have no target, and a fat `Box<str>` would cost each of them
/// 8 more bytes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LinkTarget(Box<Box<str>>);

impl Deref for LinkTarget {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for LinkTarget {
    fn from(target: &str) -> Self {
        LinkTarget(Box::new(target.into()))
    }
}

impl From<String> for LinkTarget {
    fn from(target: String) -> Self {
        LinkTarget(Box::new(target.into_boxed_str()))
    }
}

impl fmt::Debug for LinkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for LinkTarget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// A regular file's content kept during the scan because an analysis asked for it (package
/// databases, lock files, small files searched for tokens). Bounded by the scanner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedFile {
    /// Index into the layer's `entries`.
    pub entry: usize,
    pub bytes: Vec<u8>,
}

/// An extended attribute recorded on an entry (PAX `SCHILY.xattr.*`), e.g.
/// `security.capability`. Only a few attributes are kept (see `scan`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xattr {
    pub entry: usize,
    pub name: Box<str>,
    pub value: Vec<u8>,
}

/// A regular file whose content matched a secret pattern (`secrets::token_kind`); the
/// content itself is not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenHit {
    pub entry: usize,
    pub kind: &'static str,
}

/// Everything one pass over a layer learned, independent of the other layers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerEntries {
    pub entries: Vec<Entry>,
    pub captured: Vec<CapturedFile>,
    pub xattrs: Vec<Xattr>,
    pub token_hits: Vec<TokenHit>,
    /// A content fingerprint per entry (0 for non-files), when the scan was asked for them;
    /// empty otherwise.
    pub content_hashes: Vec<u64>,
    /// The layer has a PAX global header (dive aborts on those).
    pub has_global_pax_header: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something is wrong with the archive: a digest mismatch, a missing blob, damage.
    Error,
    /// Odd but readable: skipped attestations, unusual names, dropped metadata.
    Warning,
}

/// Something wrong or odd about the archive; analysis goes on around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// The same problem, said of one layer.
    pub fn in_layer(&self, layer: usize) -> Self {
        Problem {
            severity: self.severity,
            message: format!("layer {layer}: {}", self.message),
        }
    }
}
