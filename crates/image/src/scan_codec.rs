//! A compact, lossless binary form of a [`LayerScan`], so a scan made in one place (a browser
//! worker that scanned one layer) can be handed to another (the worker that merges the
//! layers) as bytes: `postMessage` moves an `ArrayBuffer` without copying it, where a tree of
//! JS objects for 100,000 entries would cost more than the scan.
//!
//! Layout (version 1): the magic `LLS\x01`, then the scan's fields in declaration order.
//! Integers are LEB128 varints except the content fingerprints (8 bytes, little-endian: they
//! are random). Strings and byte strings are a varint length and the bytes. An entry's path is
//! stored as the length of the prefix it shares with the previous entry's path plus the rest
//! (tar order keeps a directory's children together, so most of a path is shared).
//!
//! [`LayerScan::decode`] trusts nothing: every length and count is checked against the bytes
//! left before anything is allocated, the paths rebuilt from shared prefixes have a total
//! budget proportional to the input, strings must be UTF-8, and trailing bytes are an error. Bad
//! bytes are a [`DecodeError`], never a panic or an allocation out of proportion to the input.
//! Token kinds are the scanner's own names ([`secrets::TOKEN_KINDS`]); a scan made with another
//! `TokenSearch` whose names are not in that list encodes but does not decode.

use crate::compress::Compression;
use crate::model::{
    CapturedFile, Entry, EntryKind, LayerEntries, LinkTarget, Problem, Severity, TokenHit, Xattr,
};
use crate::scan::LayerScan;
use crate::secrets;

const MAGIC: &[u8; 4] = b"LLS\x01";

/// Fewest bytes one encoded entry can take: shared-prefix length, suffix length, kind,
/// typeflag, size, mode, uid, gid and the link-target flag, one byte each.
const MIN_ENTRY_BYTES: usize = 9;
/// Fewest bytes of a captured file (entry, length), an xattr (entry, name and value lengths), a
/// token hit (entry, kind length) and a problem (severity, length).
const MIN_CAPTURED_BYTES: usize = 2;
const MIN_XATTR_BYTES: usize = 3;
const MIN_TOKEN_HIT_BYTES: usize = 2;
const MIN_PROBLEM_BYTES: usize = 2;

/// Path bytes a decode may rebuild beyond this many times its input (plus a fixed allowance):
/// shared prefixes make paths longer than what encodes them, and without a budget a few
/// kilobytes could ask for gigabytes. Real scans need about three times their encoding.
const PATH_BUDGET_RATIO: usize = 16;
const PATH_BUDGET_BASE: usize = 16 << 20;

/// The bytes are not an encoded [`LayerScan`] (truncated, damaged, or another version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot decode a layer scan: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

fn error<T>(message: impl Into<String>) -> Result<T, DecodeError> {
    Err(DecodeError(message.into()))
}

impl LayerScan {
    /// The scan as bytes; [`LayerScan::decode`] gives it back unchanged.
    pub fn encode(&self) -> Vec<u8> {
        let layer = &self.layer;
        let path_bytes: usize = layer.entries.iter().map(|e| e.path.len() / 2 + 12).sum();
        let mut out = Writer(Vec::with_capacity(
            64 + path_bytes + layer.content_hashes.len() * 8,
        ));
        out.0.extend_from_slice(MAGIC);
        out.u8(match self.compression {
            None => 0,
            Some(Compression::None) => 1,
            Some(Compression::Gzip) => 2,
            Some(Compression::Zstd) => 3,
        });
        out.optional_str(self.blob_digest.as_deref());
        out.varint(self.blob_size);
        out.optional_str(self.diff_id.as_deref());
        out.varint(self.tar_size);

        out.len(layer.entries.len());
        let mut previous: &str = "";
        for entry in &layer.entries {
            let shared = shared_prefix(previous, &entry.path);
            out.len(shared);
            out.bytes(&entry.path.as_bytes()[shared..]);
            previous = &entry.path;
            out.u8(kind_code(entry.kind));
            out.u8(entry.typeflag);
            out.varint(entry.size);
            out.varint(u64::from(entry.mode));
            out.varint(u64::from(entry.uid));
            out.varint(u64::from(entry.gid));
            out.optional_str(entry.link_target.as_deref());
        }
        out.len(layer.captured.len());
        for captured in &layer.captured {
            out.len(captured.entry);
            out.bytes(&captured.bytes);
        }
        out.len(layer.xattrs.len());
        for xattr in &layer.xattrs {
            out.len(xattr.entry);
            out.bytes(xattr.name.as_bytes());
            out.bytes(&xattr.value);
        }
        out.len(layer.token_hits.len());
        for hit in &layer.token_hits {
            out.len(hit.entry);
            out.bytes(hit.kind.as_bytes());
        }
        out.len(layer.content_hashes.len());
        for hash in &layer.content_hashes {
            out.0.extend_from_slice(&hash.to_le_bytes());
        }
        out.u8(u8::from(layer.has_global_pax_header));

        out.len(self.problems.len());
        for problem in &self.problems {
            out.u8(match problem.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
            });
            out.bytes(problem.message.as_bytes());
        }
        out.0
    }

    /// Reads what [`LayerScan::encode`] wrote; any other bytes are an error.
    pub fn decode(bytes: &[u8]) -> Result<LayerScan, DecodeError> {
        let mut input = Reader {
            rest: bytes,
            path_budget: bytes
                .len()
                .saturating_mul(PATH_BUDGET_RATIO)
                .saturating_add(PATH_BUDGET_BASE),
        };
        if input.take(MAGIC.len())? != MAGIC {
            return error("not a layer scan (wrong magic or version)");
        }
        let compression = match input.u8()? {
            0 => None,
            1 => Some(Compression::None),
            2 => Some(Compression::Gzip),
            3 => Some(Compression::Zstd),
            other => return error(format!("unknown compression {other}")),
        };
        let blob_digest = input.optional_string()?;
        let blob_size = input.varint()?;
        let diff_id = input.optional_string()?;
        let tar_size = input.varint()?;

        let count = input.count(MIN_ENTRY_BYTES)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(count);
        let mut path = Vec::new();
        for _ in 0..count {
            let shared = input.len()?;
            let suffix = input.byte_string()?;
            if shared > path.len() {
                return error("an entry shares more of the previous path than it has");
            }
            path.truncate(shared);
            input.spend_path(shared.saturating_add(suffix.len()))?;
            path.extend_from_slice(suffix);
            let text = std::str::from_utf8(&path)
                .map_err(|_| DecodeError("an entry path is not UTF-8".to_owned()))?;
            let kind = kind_from(input.u8()?)?;
            let typeflag = input.u8()?;
            let size = input.varint()?;
            let mode = input.u32()?;
            let uid = input.u32()?;
            let gid = input.u32()?;
            let link_target = input.optional_string()?.map(LinkTarget::from);
            entries.push(Entry {
                path: text.into(),
                kind,
                typeflag,
                size,
                mode,
                uid,
                gid,
                link_target,
            });
        }
        let count = input.count(MIN_CAPTURED_BYTES)?;
        let mut captured = Vec::with_capacity(count);
        for _ in 0..count {
            let entry = input.len()?;
            let bytes = input.byte_string()?.to_vec();
            captured.push(CapturedFile { entry, bytes });
        }
        let count = input.count(MIN_XATTR_BYTES)?;
        let mut xattrs = Vec::with_capacity(count);
        for _ in 0..count {
            let entry = input.len()?;
            let name = input.string()?.into_boxed_str();
            let value = input.byte_string()?.to_vec();
            xattrs.push(Xattr { entry, name, value });
        }
        let count = input.count(MIN_TOKEN_HIT_BYTES)?;
        let mut token_hits = Vec::with_capacity(count);
        for _ in 0..count {
            let entry = input.len()?;
            let name = input.byte_string()?;
            let Some(kind) = secrets::TOKEN_KINDS
                .iter()
                .copied()
                .find(|kind| kind.as_bytes() == name)
            else {
                return error(format!(
                    "unknown token kind {:?}",
                    String::from_utf8_lossy(name)
                ));
            };
            token_hits.push(TokenHit { entry, kind });
        }
        let count = input.count(8)?;
        let content_hashes = input
            .take(count * 8)?
            .chunks_exact(8)
            .map(|word| {
                let mut array = [0u8; 8];
                array.copy_from_slice(word);
                u64::from_le_bytes(array)
            })
            .collect();
        let has_global_pax_header = match input.u8()? {
            0 => false,
            1 => true,
            other => return error(format!("bad flag {other}")),
        };

        let count = input.count(MIN_PROBLEM_BYTES)?;
        let mut problems = Vec::with_capacity(count);
        for _ in 0..count {
            let severity = match input.u8()? {
                0 => Severity::Error,
                1 => Severity::Warning,
                other => return error(format!("unknown severity {other}")),
            };
            let message = input.string()?;
            problems.push(Problem { severity, message });
        }
        if !input.rest.is_empty() {
            return error(format!("{} bytes after the end", input.rest.len()));
        }
        Ok(LayerScan {
            compression,
            blob_digest,
            blob_size,
            diff_id,
            tar_size,
            layer: LayerEntries {
                entries,
                captured,
                xattrs,
                token_hits,
                content_hashes,
                has_global_pax_header,
            },
            problems,
        })
    }
}

/// Bytes of `a` and `b` that are the same from the start.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn kind_code(kind: EntryKind) -> u8 {
    match kind {
        EntryKind::File => 0,
        EntryKind::Dir => 1,
        EntryKind::Symlink => 2,
        EntryKind::Hardlink => 3,
        EntryKind::Char => 4,
        EntryKind::Block => 5,
        EntryKind::Fifo => 6,
        EntryKind::Whiteout => 7,
        EntryKind::Opaque => 8,
        EntryKind::WhiteoutMeta => 9,
        EntryKind::Other => 10,
    }
}

fn kind_from(code: u8) -> Result<EntryKind, DecodeError> {
    Ok(match code {
        0 => EntryKind::File,
        1 => EntryKind::Dir,
        2 => EntryKind::Symlink,
        3 => EntryKind::Hardlink,
        4 => EntryKind::Char,
        5 => EntryKind::Block,
        6 => EntryKind::Fifo,
        7 => EntryKind::Whiteout,
        8 => EntryKind::Opaque,
        9 => EntryKind::WhiteoutMeta,
        10 => EntryKind::Other,
        other => return error(format!("unknown entry kind {other}")),
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, value: u8) {
        self.0.push(value);
    }

    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn len(&mut self, value: usize) {
        self.varint(value as u64);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.0.extend_from_slice(bytes);
    }

    /// 0 for None, else 1 + the string's length, then the string.
    fn optional_str(&mut self, text: Option<&str>) {
        match text {
            None => self.u8(0),
            Some(text) => {
                self.varint(text.len() as u64 + 1);
                self.0.extend_from_slice(text.as_bytes());
            }
        }
    }
}

struct Reader<'a> {
    rest: &'a [u8],
    /// Path bytes the decode may still rebuild.
    path_budget: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.rest.len() {
            return error("truncated");
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return error("a number overflows 64 bits");
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        error("a number is longer than 10 bytes")
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.varint()?).map_err(|_| DecodeError("a number overflows 32 bits".into()))
    }

    /// A length or index: at most the bytes the whole input could hold.
    fn len(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(self.varint()?).map_err(|_| DecodeError("a length is too large".into()))
    }

    /// A count of items that take at least `min_bytes` each: never more than the rest holds.
    fn count(&mut self, min_bytes: usize) -> Result<usize, DecodeError> {
        let count = self.len()?;
        if count > self.rest.len() / min_bytes {
            return error(format!(
                "{count} items cannot fit in the {} bytes left",
                self.rest.len()
            ));
        }
        Ok(count)
    }

    fn byte_string(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.len()?;
        self.take(len)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let bytes = self.byte_string()?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError("a string is not UTF-8".to_owned()))
    }

    fn optional_string(&mut self) -> Result<Option<String>, DecodeError> {
        let tag = self.len()?;
        let Some(len) = tag.checked_sub(1) else {
            return Ok(None);
        };
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(|text| Some(text.to_owned()))
            .map_err(|_| DecodeError("a string is not UTF-8".to_owned()))
    }

    fn spend_path(&mut self, bytes: usize) -> Result<(), DecodeError> {
        self.path_budget = self
            .path_budget
            .checked_sub(bytes)
            .ok_or_else(|| DecodeError("the paths add up to more than the input allows".into()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{dir, file, hardlink, marker, symlink};

    /// A scan with every field set, including the odd values.
    fn sample() -> LayerScan {
        let mut entries = vec![
            dir(""),
            dir("usr"),
            dir("usr/bin"),
            file("usr/bin/tool", 1 << 40),
            file("usr/bin/tööl", 3),
            symlink("usr/bin/sh", "busybox"),
            hardlink("usr/bin/ls", "usr/bin/tool"),
            marker("etc/.wh.old"),
            marker("etc/.wh..wh..opq"),
            file("a", 0),
            // Paths whose shared prefix ends inside a character (both start with 0xC3).
            file("x/ä", 1),
            file("x/ö", 2),
        ];
        entries[3].mode = 0o4755;
        entries[3].uid = u32::MAX;
        entries[3].gid = 1000;
        entries[4].typeflag = 0;
        LayerScan {
            compression: Some(Compression::Zstd),
            blob_digest: Some(format!("sha256:{}", "ab".repeat(32))),
            blob_size: u64::MAX,
            diff_id: None,
            tar_size: 12_345,
            layer: LayerEntries {
                content_hashes: (0..entries.len() as u64)
                    .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                    .collect(),
                entries,
                captured: vec![CapturedFile {
                    entry: 3,
                    bytes: vec![0, 1, 2, 255],
                }],
                xattrs: vec![Xattr {
                    entry: 3,
                    name: "security.capability".into(),
                    value: vec![1, 0, 0, 2],
                }],
                token_hits: vec![TokenHit {
                    entry: 4,
                    kind: "github-token",
                }],
                has_global_pax_header: true,
            },
            problems: vec![
                Problem::error("layer tar is damaged"),
                Problem::warning("ünïcode"),
            ],
        }
    }

    #[test]
    fn round_trips_every_field() {
        let scan = sample();
        assert_eq!(LayerScan::decode(&scan.encode()), Ok(scan));
        let empty = LayerScan::default();
        assert_eq!(LayerScan::decode(&empty.encode()), Ok(empty));
    }

    #[test]
    fn every_token_kind_round_trips() {
        for kind in secrets::TOKEN_KINDS {
            let mut scan = LayerScan::default();
            scan.layer.entries.push(file("f", 1));
            scan.layer.token_hits.push(TokenHit { entry: 0, kind });
            assert_eq!(LayerScan::decode(&scan.encode()), Ok(scan));
        }
    }

    #[test]
    fn every_truncation_and_extension_is_an_error() {
        let bytes = sample().encode();
        for len in 0..bytes.len() {
            assert!(LayerScan::decode(&bytes[..len]).is_err(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(LayerScan::decode(&longer).is_err());
    }

    #[test]
    fn damaged_bytes_never_panic() {
        let bytes = sample().encode();
        // Every single-byte change, with values that hit the edge cases of each field.
        for index in 0..bytes.len() {
            for value in [0u8, 1, 0x7f, 0x80, 0xff, bytes[index] ^ 0x01] {
                let mut damaged = bytes.clone();
                damaged[index] = value;
                let _ = LayerScan::decode(&damaged);
            }
        }
    }

    #[test]
    fn huge_counts_and_lengths_are_rejected_before_allocating() {
        // The magic, no compression, no digests, then an entry count of 2^62.
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[0, 0, 0, 0, 0]);
        let mut writer = Writer(bytes);
        writer.varint(1 << 62);
        assert!(LayerScan::decode(&writer.0).is_err());
        // A varint longer than 10 bytes, and one that overflows.
        let mut bytes = MAGIC.to_vec();
        bytes.push(0);
        bytes.extend_from_slice(&[0xff; 11]);
        assert!(LayerScan::decode(&bytes).is_err());
        let mut bytes = MAGIC.to_vec();
        bytes.push(0);
        bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert!(LayerScan::decode(&bytes).is_err());
    }

    #[test]
    fn shared_prefixes_cannot_blow_up() {
        // One long path, then many entries that each share all of it: a few bytes per entry
        // would rebuild the whole path every time.
        let long = "d/".repeat(1 << 18);
        let mut scan = LayerScan::default();
        scan.layer.entries.push(dir(&long));
        for _ in 0..100 {
            scan.layer.entries.push(dir(&long));
        }
        let bytes = scan.encode();
        assert!(bytes.len() < (1 << 20), "{}", bytes.len());
        let error = LayerScan::decode(&bytes).expect_err("over the path budget");
        assert!(error.0.contains("paths add up"), "{error}");
        // A prefix longer than the previous path.
        let mut scan = LayerScan::default();
        scan.layer.entries.push(dir("ab"));
        let mut bytes = scan.encode();
        let at = MAGIC.len() + 5 + 1;
        assert_eq!(bytes[at], 0, "the first entry shares nothing");
        bytes[at] = 5;
        assert!(LayerScan::decode(&bytes).is_err());
    }

    #[test]
    fn bad_utf8_and_unknown_values_are_errors() {
        let mut scan = LayerScan::default();
        scan.layer.entries.push(file("ab", 1));
        let bytes = scan.encode();
        // The first entry: shared 0, suffix length 2, "ab".
        let at = MAGIC.len() + 5 + 1;
        assert_eq!(&bytes[at..at + 4], &[0, 2, b'a', b'b']);
        let mut damaged = bytes.clone();
        damaged[at + 2] = 0xff;
        assert!(LayerScan::decode(&damaged).is_err());
        let mut damaged = bytes.clone();
        damaged[at + 4] = 200;
        assert!(LayerScan::decode(&damaged).is_err(), "entry kind");
        let mut damaged = bytes;
        damaged[MAGIC.len()] = 9;
        assert!(LayerScan::decode(&damaged).is_err(), "compression");
        assert!(LayerScan::decode(b"LLS\x02").is_err(), "another version");
    }
}
