//! One sequential pass over one layer blob: the blob digest and size (compressed bytes), the
//! decompression, the diff_id and size (uncompressed tar bytes, every byte up to the end of
//! the stream), and the tar entries — all at once, so each byte is read once. Layers are
//! independent: callers may scan them in parallel. Memory: the entry list plus fixed
//! buffers; file contents are kept only when a capture policy asks for them, and bounded.

use std::io::{BufReader, Read};

use crate::compress::{Compression, Decompressor, Hashing};
use crate::model::{CapturedFile, Entry, EntryKind, LayerEntries, Problem, TokenHit, Xattr};
use crate::source::{drain, ReadThrough};
use crate::tar::{TarHeader, TarReader};

/// Names the kind of secret token a file's content holds, if any.
pub type TokenSearch = fn(&[u8]) -> Option<&'static str>;

/// What to keep besides entries, and the limits that keep hostile layers bounded.
#[derive(Clone, Copy, Debug)]
pub struct ScanOptions {
    /// Hash the blob and the uncompressed stream (off: `--no-verify`).
    pub verify: bool,
    /// Regular files whose content is kept (package databases, lock files).
    pub capture: fn(&str) -> bool,
    /// Largest file content kept by `capture`.
    pub max_capture_bytes: u64,
    /// Searched in every regular file up to `max_token_file_bytes` (secret tokens).
    pub token_kind: Option<TokenSearch>,
    pub max_token_file_bytes: u64,
    /// Entries recorded per layer; past it the layer is still hashed but not listed.
    pub max_entries: usize,
    /// Uncompressed bytes always allowed per layer…
    pub min_tar_limit: u64,
    /// …and beyond that, at most this many times the compressed size (decompression bombs).
    pub max_expansion_ratio: u64,
    /// Fingerprint every regular file's content (for image diffs).
    pub content_hashes: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            verify: true,
            capture: crate::packages::wants,
            max_capture_bytes: 32 << 20,
            token_kind: Some(crate::secrets::token_kind),
            max_token_file_bytes: 1 << 20,
            max_entries: 5_000_000,
            min_tar_limit: 8 << 30,
            max_expansion_ratio: 2_000,
            content_hashes: false,
        }
    }
}

/// The result of scanning one layer blob.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerScan {
    pub compression: Option<Compression>,
    /// `sha256:…` of the blob as stored (None with `verify` off).
    pub blob_digest: Option<String>,
    pub blob_size: u64,
    /// `sha256:…` of the whole uncompressed stream (None with `verify` off or when the
    /// stream could not be read to its end).
    pub diff_id: Option<String>,
    pub tar_size: u64,
    pub layer: LayerEntries,
    /// Everything that went wrong or looked wrong; the scan always returns.
    pub problems: Vec<Problem>,
}

/// Scans one layer blob read from `blob`. `progress` hears the compressed bytes read so far.
pub fn scan_layer(
    blob: impl Read,
    compressed_size: u64,
    options: &ScanOptions,
    progress: &mut dyn FnMut(u64),
) -> LayerScan {
    let (awaiting, blob_digest) = scan_blob(blob, compressed_size, options, true, progress);
    match blob_digest {
        Some(digest) => {
            let size = awaiting.scan.blob_size;
            awaiting.with_blob_digest(Ok((digest, size)))
        }
        None => awaiting.scan,
    }
}

/// A layer scanned with its blob digest left out, so that another thread can hash the stored
/// bytes ([`digest_blob`]) while this one decompresses and parses them: on a CPU without SHA
/// instructions hashing is most of the work, and an uncompressed layer needs nothing else.
#[derive(Debug)]
pub struct ScanAwaitingDigest {
    scan: LayerScan,
    /// The uncompressed stream was read to its end without error.
    stream_ok: bool,
}

/// Like [`scan_layer`], without hashing the blob as stored (the diff_id of a compressed
/// layer is still computed here).
pub fn scan_layer_awaiting_digest(
    blob: impl Read,
    compressed_size: u64,
    options: &ScanOptions,
    progress: &mut dyn FnMut(u64),
) -> ScanAwaitingDigest {
    scan_blob(blob, compressed_size, options, false, progress).0
}

impl ScanAwaitingDigest {
    /// The finished scan, given what [`digest_blob`] found for the same blob.
    pub fn with_blob_digest(self, digest: Result<(String, u64), Problem>) -> LayerScan {
        let mut scan = self.scan;
        match digest {
            Ok((digest, size)) if size == scan.blob_size => {
                if scan.compression == Some(Compression::None)
                    && self.stream_ok
                    && size == scan.tar_size
                {
                    scan.diff_id = Some(digest.clone());
                }
                scan.blob_digest = Some(digest);
            }
            Ok((_, size)) => scan.problems.push(Problem::error(format!(
                "the layer blob changed while it was read ({size} bytes hashed, {} scanned)",
                scan.blob_size
            ))),
            Err(problem) => {
                if !scan.problems.contains(&problem) {
                    scan.problems.push(problem);
                }
            }
        }
        scan
    }
}

/// `sha256:…` and size of every byte of `blob`; `progress` hears the bytes hashed so far.
pub fn digest_blob(
    blob: impl Read,
    progress: &mut dyn FnMut(u64),
) -> Result<(String, u64), Problem> {
    let mut raw = Hashing::new(blob, true).with_progress(progress);
    drain(&mut raw).map_err(blob_unreadable)?;
    match raw.finish() {
        (Some(digest), size, _) => Ok((digest, size)),
        (None, _, _) => Err(Problem::error("the layer blob was not hashed".to_owned())),
    }
}

fn blob_unreadable(e: std::io::Error) -> Problem {
    Problem::error(format!("cannot read the layer blob: {e}"))
}

fn scan_blob(
    blob: impl Read,
    compressed_size: u64,
    options: &ScanOptions,
    hash_blob: bool,
    progress: &mut dyn FnMut(u64),
) -> (ScanAwaitingDigest, Option<String>) {
    let mut scan = LayerScan::default();
    let mut raw = Hashing::new(blob, options.verify && hash_blob).with_progress(progress);
    let limit = options
        .min_tar_limit
        .max(compressed_size.saturating_mul(options.max_expansion_ratio));
    let stream_ok = match Decompressor::detect(BufReader::with_capacity(256 * 1024, &mut raw)) {
        Err(e) => {
            scan.problems.push(blob_unreadable(e));
            false
        }
        Ok((compression, decoder)) => {
            scan.compression = Some(compression);
            // An uncompressed blob is its own tar stream: its blob digest is the diff_id, so
            // hash it once.
            let plain = compression == Compression::None;
            let uncompressed = Hashing::new(decoder, options.verify && !plain).with_limit(limit);
            let mut tar = TarReader::new(ReadThrough::new(uncompressed));
            let entries_ok = read_entries(&mut tar, options, &mut scan);
            let mut uncompressed = tar.into_inner().into_inner();
            // The diff_id covers every byte of the stream, including what follows the
            // end-of-archive blocks.
            let drained_ok = match drain(&mut uncompressed) {
                Ok(_) => true,
                Err(e) => {
                    scan.problems.push(Problem::error(format!(
                        "layer stream is damaged after its last entry: {e}"
                    )));
                    false
                }
            };
            let (diff_id, tar_size, _) = uncompressed.finish();
            scan.tar_size = tar_size;
            if entries_ok && drained_ok && !plain {
                // A plain layer's diff_id is filled in from the blob digest below.
                scan.diff_id = diff_id;
            }
            entries_ok && drained_ok
        }
    };
    // The blob digest covers the whole blob, also when decompression stopped early.
    if let Err(e) = drain(&mut raw) {
        scan.problems.push(blob_unreadable(e));
    }
    let (blob_digest, blob_size, _) = raw.finish();
    scan.blob_size = blob_size;
    (ScanAwaitingDigest { scan, stream_ok }, blob_digest)
}

/// Reads every header; returns false when the stream broke off.
fn read_entries<R: crate::source::Skip>(
    tar: &mut TarReader<R>,
    options: &ScanOptions,
    scan: &mut LayerScan,
) -> bool {
    let mut notes = PathNotes::default();
    let mut content = Vec::new();
    let mut ok = true;
    loop {
        let header = match tar.next_header() {
            Ok(Some(header)) => header,
            Ok(None) => break,
            Err(e) => {
                scan.problems
                    .push(Problem::error(format!("layer tar is damaged: {e}")));
                ok = false;
                break;
            }
        };
        if scan.layer.entries.len() >= options.max_entries {
            if scan.layer.entries.len() == options.max_entries {
                scan.problems.push(Problem::warning(format!(
                    "more than {} entries in one layer: the rest are hashed but not listed",
                    options.max_entries
                )));
                // Push past the limit once so the note is written once.
                scan.layer.entries.push(entry_from(&header, &mut notes));
            }
            continue;
        }
        let entry = entry_from(&header, &mut notes);
        let index = scan.layer.entries.len();
        for (name, value) in &header.xattrs {
            scan.layer.xattrs.push(Xattr {
                entry: index,
                name: name.as_str().into(),
                value: value.clone(),
            });
        }
        let content_hash = if entry.kind == EntryKind::File && !header.sparse {
            read_file(
                tar,
                &header,
                &entry.path,
                index,
                options,
                &mut content,
                &mut scan.layer,
            )
        } else {
            Ok(None)
        };
        if options.content_hashes {
            scan.layer
                .content_hashes
                .push(content_hash.as_ref().ok().copied().flatten().unwrap_or(0));
        }
        scan.layer.entries.push(entry);
        if let Err(e) = content_hash {
            scan.problems
                .push(Problem::error(format!("layer tar is damaged: {e}")));
            ok = false;
            break;
        }
    }
    scan.layer.entries.truncate(options.max_entries);
    scan.layer.has_global_pax_header = tar.saw_global_header;
    if tar.missing_end_marker && ok {
        scan.problems.push(Problem::warning(
            "layer tar ends without its end-of-archive blocks",
        ));
    }
    notes.report(&mut scan.problems);
    ok
}

/// Reads what the options want of a regular file's data: captured content, a secret-token
/// search, a content fingerprint (returned). Data nobody wants is left for the tar reader to
/// skip.
fn read_file<R: crate::source::Skip>(
    tar: &mut TarReader<R>,
    header: &TarHeader,
    path: &str,
    index: usize,
    options: &ScanOptions,
    content: &mut Vec<u8>,
    layer: &mut LayerEntries,
) -> Result<Option<u64>, crate::tar::TarError> {
    let capture = (options.capture)(path) && header.data_len <= options.max_capture_bytes;
    let tokens = options
        .token_kind
        .filter(|_| header.data_len <= options.max_token_file_bytes);
    if !capture && tokens.is_none() {
        return if options.content_hashes {
            hash_content(tar).map(Some)
        } else {
            Ok(None)
        };
    }
    content.clear();
    read_content(tar, content)?;
    // Tokens live in text: a NUL in the first 8 KiB means a binary (ELF, images, archives),
    // whose bytes would only cost time and false alarms.
    let text = !content.iter().take(8192).any(|&b| b == 0);
    if let Some(kind) = tokens
        .filter(|_| text)
        .and_then(|token_kind| token_kind(content))
    {
        layer.token_hits.push(TokenHit { entry: index, kind });
    }
    if capture {
        layer.captured.push(CapturedFile {
            entry: index,
            bytes: content.clone(),
        });
    }
    Ok(options.content_hashes.then(|| {
        let mut hasher = ContentHash::default();
        hasher.update(content);
        hasher.finish()
    }))
}

/// A fast 64-bit content fingerprint (not cryptographic): tells image diffs whether two
/// files with the same path, size and mode hold the same bytes.
#[derive(Default)]
struct ContentHash {
    state: u64,
    length: u64,
    tail: [u8; 8],
    tail_len: usize,
}

impl ContentHash {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word)
            .wrapping_mul(Self::MULTIPLIER)
            .rotate_left(29);
    }

    fn update(&mut self, mut bytes: &[u8]) {
        self.length += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 8 {
                return;
            }
            self.mix(u64::from_le_bytes(self.tail));
            self.tail_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut array = [0u8; 8];
            array.copy_from_slice(word);
            self.mix(u64::from_le_bytes(array));
        }
        let rest = words.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    fn finish(mut self) -> u64 {
        let mut last = [0u8; 8];
        last[..self.tail_len].copy_from_slice(&self.tail[..self.tail_len]);
        self.mix(u64::from_le_bytes(last));
        self.mix(self.length);
        // A final avalanche so similar inputs spread over all bits.
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

fn hash_content<R: crate::source::Skip>(
    tar: &mut TarReader<R>,
) -> Result<u64, crate::tar::TarError> {
    let mut hasher = ContentHash::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = tar.read_data(&mut chunk)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&chunk[..n]);
    }
}

fn read_content<R: crate::source::Skip>(
    tar: &mut TarReader<R>,
    out: &mut Vec<u8>,
) -> Result<(), crate::tar::TarError> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = tar.read_data(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// Odd names seen in a layer, reported once each with a count and an example.
#[derive(Default)]
struct PathNotes {
    absolute: (usize, String),
    traversal: (usize, String),
    not_utf8: (usize, String),
}

impl PathNotes {
    fn report(&self, problems: &mut Vec<Problem>) {
        let notes = [
            (
                &self.absolute,
                "absolute name(s), read relative to the root",
            ),
            (
                &self.traversal,
                "name(s) with `..` escaping the root (path traversal), clamped at the root",
            ),
            (
                &self.not_utf8,
                "name(s) that are not UTF-8, shown with U+FFFD",
            ),
        ];
        for ((count, example), what) in notes {
            if *count > 0 {
                problems.push(Problem::warning(format!(
                    "{count} {what}, e.g. {example:?}"
                )));
            }
        }
    }
}

fn note(slot: &mut (usize, String), example: &str) {
    if slot.0 == 0 {
        slot.1 = example.to_string();
    }
    slot.0 += 1;
}

/// The entry path: `./` and `/` prefixes and trailing `/` dropped, `.` and empty components
/// removed, `..` resolved and clamped at the root (what a runtime extracting it would do).
fn clean_path(raw: &[u8], notes: &mut PathNotes) -> Box<str> {
    let text = match std::str::from_utf8(raw) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            let lossy = String::from_utf8_lossy(raw);
            note(&mut notes.not_utf8, &lossy);
            lossy
        }
    };
    if text.starts_with('/') {
        note(&mut notes.absolute, &text);
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut escaped = false;
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => escaped |= parts.pop().is_none(),
            other => parts.push(other),
        }
    }
    if escaped {
        note(&mut notes.traversal, &text);
    }
    parts.join("/").into()
}

fn kind_of(path: &str, typeflag: u8) -> EntryKind {
    let base = path.rsplit('/').next().unwrap_or(path);
    if base == ".wh..wh..opq" {
        EntryKind::Opaque
    } else if base.starts_with(".wh..wh.") {
        EntryKind::WhiteoutMeta
    } else if base.starts_with(".wh.") {
        EntryKind::Whiteout
    } else {
        match typeflag {
            b'0' | 0 | b'7' | b'S' => EntryKind::File,
            b'5' => EntryKind::Dir,
            b'2' => EntryKind::Symlink,
            b'1' => EntryKind::Hardlink,
            b'3' => EntryKind::Char,
            b'4' => EntryKind::Block,
            b'6' => EntryKind::Fifo,
            _ => EntryKind::Other,
        }
    }
}

fn entry_from(header: &TarHeader, notes: &mut PathNotes) -> Entry {
    let path = clean_path(&header.name, notes);
    let kind = kind_of(&path, header.typeflag);
    let link_target = matches!(kind, EntryKind::Symlink | EntryKind::Hardlink).then(|| {
        crate::model::LinkTarget::from(String::from_utf8_lossy(&header.link).into_owned())
    });
    Entry {
        path,
        kind,
        typeflag: header.typeflag,
        size: header.size,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
        link_target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> (String, PathNotes) {
        let mut notes = PathNotes::default();
        let path = clean_path(raw.as_bytes(), &mut notes);
        (path.into(), notes)
    }

    #[test]
    fn paths_are_cleaned_and_odd_ones_noted() {
        assert_eq!(clean("./usr/bin/").0, "usr/bin");
        assert_eq!(clean("./").0, "");
        assert_eq!(clean("a//b/./c").0, "a/b/c");
        let (path, notes) = clean("/etc/passwd");
        assert_eq!((path.as_str(), notes.absolute.0), ("etc/passwd", 1));
        let (path, notes) = clean("../../etc/shadow");
        assert_eq!((path.as_str(), notes.traversal.0), ("etc/shadow", 1));
        let (path, notes) = clean("a/../b");
        assert_eq!((path.as_str(), notes.traversal.0), ("b", 0));
    }

    #[test]
    fn content_hashes_do_not_depend_on_chunking() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = ContentHash::default();
        whole.update(&data);
        let mut pieces = ContentHash::default();
        for piece in data.chunks(13) {
            pieces.update(piece);
        }
        let whole = whole.finish();
        assert_eq!(whole, pieces.finish());
        let mut other = ContentHash::default();
        other.update(&data[..999]);
        assert_ne!(whole, other.finish());
    }

    #[test]
    fn whiteout_names_win_over_typeflags() {
        assert_eq!(kind_of("a/.wh.b", b'0'), EntryKind::Whiteout);
        assert_eq!(kind_of("a/.wh..wh..opq", b'0'), EntryKind::Opaque);
        assert_eq!(kind_of("a/.wh..wh.plnk", b'5'), EntryKind::WhiteoutMeta);
        assert_eq!(kind_of(".wh.", b'0'), EntryKind::Whiteout);
        assert_eq!(kind_of("dev/null", b'3'), EntryKind::Char);
    }
}
