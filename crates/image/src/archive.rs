//! The outer archive: one pass over its tar headers, jumping over member bodies, gives the
//! member list — names, offsets, sizes, links — before anything is decompressed. An outer
//! `.tar.gz`/`.tar.zst` cannot be jumped through, so its small JSON members are kept in
//! memory during the indexing pass and layers are streamed in a second pass.

use crate::model::Problem;
use std::collections::HashMap;
use std::io::{BufReader, Read};

use crate::compress::{self, Compression, Decompressor};
use crate::source::{ReadAt, ReadThrough, Skip, Window};
use crate::tar::{TarError, TarHeader, TarReader};

/// Members past this count are not indexed (an image archive has a few dozen).
pub const MAX_MEMBERS: usize = 100_000;
/// JSON members (manifests, configs, indexes) larger than this are not read.
pub const MAX_JSON_BYTES: u64 = 16 << 20;
/// Memory for JSON members kept from a compressed outer archive.
const MAX_KEPT_BYTES: u64 = 256 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Name without a leading `./` or `/` and without a trailing `/`.
    pub name: String,
    pub kind: MemberKind,
    /// Offset of the data in the (decompressed) outer tar stream.
    pub offset: u64,
    pub size: u64,
    pub link: Option<String>,
}

#[derive(Debug)]
pub struct Archive {
    pub compression: Compression,
    pub members: Vec<Member>,
    by_name: HashMap<String, usize>,
    /// Contents of small JSON members of a compressed outer archive, by member index.
    kept: HashMap<usize, Vec<u8>>,
    /// Problems found while indexing (the index is still usable).
    pub problems: Vec<Problem>,
}

/// Why the archive could not be indexed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveError(pub String);

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn normalize_name(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut name: &str = &text;
    loop {
        if let Some(rest) = name.strip_prefix("./") {
            name = rest;
        } else if let Some(rest) = name.strip_prefix('/') {
            name = rest;
        } else {
            break;
        }
    }
    let name = name.trim_end_matches('/');
    if name == "." {
        String::new()
    } else {
        name.to_string()
    }
}

fn member_kind(header: &TarHeader) -> MemberKind {
    match header.typeflag {
        b'0' | 0 | b'7' => MemberKind::File,
        b'5' => MemberKind::Dir,
        b'2' => MemberKind::Symlink,
        b'1' => MemberKind::Hardlink,
        _ => MemberKind::Other,
    }
}

impl Archive {
    /// Indexes the outer archive (plain, gzip or zstd around a tar).
    pub fn index<S: ReadAt + ?Sized>(source: &S) -> Result<Archive, ArchiveError> {
        let mut head = [0u8; 4];
        let n = source
            .read_at(0, &mut head)
            .map_err(|e| ArchiveError(format!("cannot read the archive: {e}")))?;
        let compression = compress::sniff(&head[..n]);
        let mut archive = Archive {
            compression,
            members: Vec::new(),
            by_name: HashMap::new(),
            kept: HashMap::new(),
            problems: Vec::new(),
        };
        let window = Window::new(source, 0, source.size());
        let result = match compression {
            Compression::None => archive.walk(TarReader::new(window), false),
            _ => {
                let (_, decoder) = Decompressor::detect(BufReader::with_capacity(1 << 20, window))
                    .map_err(|e| ArchiveError(format!("cannot read the archive: {e}")))?;
                archive.walk(TarReader::new(ReadThrough::new(decoder)), true)
            }
        };
        if let Err(e) = result {
            if archive.members.is_empty() {
                return Err(ArchiveError(format!("not a tar archive: {}", e.message)));
            }
            archive.problems.push(Problem::error(format!(
                "the archive is damaged: {e}; members after it are missing"
            )));
        }
        Ok(archive)
    }

    fn walk<R: Skip>(&mut self, mut tar: TarReader<R>, keep_json: bool) -> Result<(), TarError> {
        let mut kept_bytes = 0u64;
        while let Some(header) = tar.next_header()? {
            if self.members.len() >= MAX_MEMBERS {
                self.problems.push(Problem::warning(format!(
                    "more than {MAX_MEMBERS} archive members: the rest were not read"
                )));
                return Ok(());
            }
            let name = normalize_name(&header.name);
            let kind = member_kind(&header);
            let index = self.members.len();
            if keep_json
                && kind == MemberKind::File
                && header.size <= MAX_JSON_BYTES
                && kept_bytes + header.size <= MAX_KEPT_BYTES
            {
                let mut bytes = vec![0; header.data_len as usize];
                let mut filled = 0;
                while filled < bytes.len() {
                    let n = tar.read_data(&mut bytes[filled..])?;
                    filled += n;
                }
                if looks_like_json(&bytes) {
                    kept_bytes += header.size;
                    self.kept.insert(index, bytes);
                }
            }
            let link = matches!(kind, MemberKind::Symlink | MemberKind::Hardlink)
                .then(|| String::from_utf8_lossy(&header.link).into_owned());
            // A later member of the same name replaces the earlier one, as tar extraction does.
            self.by_name.insert(name.clone(), index);
            self.members.push(Member {
                name,
                kind,
                offset: header.data_offset,
                size: header.data_len,
                link,
            });
        }
        if tar.missing_end_marker {
            self.problems.push(Problem::error(
                "the archive ends without tar's end-of-archive blocks (truncated?)",
            ));
        }
        Ok(())
    }

    /// The member called `name`, following symlinks and hardlinks (skopeo stores legacy
    /// `<id>/layer.tar` as a symlink to `../<diffid>.tar`).
    pub fn resolve(&self, name: &str) -> Option<usize> {
        let mut current = normalize_name(name.as_bytes());
        for _ in 0..16 {
            let index = *self.by_name.get(&current)?;
            let member = self.members.get(index)?;
            match (&member.kind, &member.link) {
                (MemberKind::Symlink, Some(target)) => current = join_link(&current, target),
                (MemberKind::Hardlink, Some(target)) => current = normalize_name(target.as_bytes()),
                _ => return Some(index),
            }
        }
        None
    }

    /// Why [`Archive::resolve`] found nothing for `name`, worded to follow the name.
    pub fn unresolved_reason(&self, name: &str) -> &'static str {
        let mut current = normalize_name(name.as_bytes());
        for _ in 0..16 {
            let Some(member) = self
                .by_name
                .get(&current)
                .and_then(|&i| self.members.get(i))
            else {
                return if current == normalize_name(name.as_bytes()) {
                    "is missing from the archive"
                } else {
                    "is a link to a member missing from the archive"
                };
            };
            match (&member.kind, &member.link) {
                (MemberKind::Symlink, Some(target)) => current = join_link(&current, target),
                (MemberKind::Hardlink, Some(target)) => current = normalize_name(target.as_bytes()),
                _ => return "is present",
            }
        }
        "is a symlink loop"
    }

    pub fn has(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Reads a whole member of at most `limit` bytes (manifests, configs, indexes).
    pub fn read<S: ReadAt + ?Sized>(
        &self,
        source: &S,
        index: usize,
        limit: u64,
    ) -> Result<Vec<u8>, String> {
        let member = self.members.get(index).ok_or("no such member")?;
        if member.size > limit {
            return Err(format!(
                "{} is {} bytes, more than the {limit}-byte limit for metadata",
                member.name, member.size
            ));
        }
        if self.compression != Compression::None {
            return self
                .kept
                .get(&index)
                .cloned()
                .ok_or_else(|| format!("{} is not JSON", member.name));
        }
        let mut bytes = Vec::with_capacity(member.size as usize);
        Window::new(source, member.offset, member.size)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {}: {e}", member.name))?;
        if (bytes.len() as u64) < member.size {
            return Err(format!("{} is truncated", member.name));
        }
        Ok(bytes)
    }

    /// Whether members can be read at their offsets (no outer compression).
    pub fn is_random_access(&self) -> bool {
        self.compression == Compression::None
    }

    /// Streams the outer archive once more and hands each member in `wanted` to `visit`
    /// (for compressed outer archives, where members cannot be reached by offset).
    pub fn stream_members<S: ReadAt + ?Sized>(
        &self,
        source: &S,
        wanted: &[usize],
        mut visit: impl FnMut(usize, &mut dyn Read),
    ) -> Result<(), String> {
        let window = Window::new(source, 0, source.size());
        let (_, decoder) = Decompressor::detect(BufReader::with_capacity(1 << 20, window))
            .map_err(|e| e.to_string())?;
        let mut tar = TarReader::new(ReadThrough::new(decoder));
        let mut index = 0usize;
        while let Some(_header) = tar.next_header().map_err(|e| e.to_string())? {
            if wanted.contains(&index) {
                let mut reader = MemberData { tar: &mut tar };
                visit(index, &mut reader);
            }
            index += 1;
        }
        Ok(())
    }
}

/// The data of the current member of a streamed outer tar.
struct MemberData<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: Skip> Read for MemberData<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.tar
            .read_data(out)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))
    }
}

fn looks_like_json(bytes: &[u8]) -> bool {
    matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Resolves a symlink target relative to the link's directory, clamped at the root.
fn join_link(link_path: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        link_path.split('/').collect()
    };
    if !target.starts_with('/') {
        parts.pop();
    }
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn symlinks_resolve_relative_to_their_directory() {
        assert_eq!(join_link("abc/layer.tar", "../def.tar"), "def.tar");
        assert_eq!(join_link("abc/layer.tar", "/x/y.tar"), "x/y.tar");
        assert_eq!(join_link("a/b/c", "../../../../z"), "z");
    }

    #[test]
    fn names_are_normalized() {
        assert_eq!(normalize_name(b"./blobs/sha256/"), "blobs/sha256");
        assert_eq!(normalize_name(b"./"), "");
        assert_eq!(normalize_name(b"/manifest.json"), "manifest.json");
    }
}
