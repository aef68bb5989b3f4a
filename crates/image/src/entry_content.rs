//! The content of one entry of one layer, for viewers: re-reads the layer blob from its start
//! up to the entry (decompressing on the way, skipping other entries' data) and keeps at most
//! `max_bytes` of it. Nothing else of the layer is kept, so a viewer can open a small text file
//! of a multi-gigabyte layer with fixed memory.

use std::io::{BufReader, Read};

use crate::compress::Decompressor;
use crate::inspect::Plan;
use crate::source::{ReadAt, ReadThrough, Window};
use crate::tar::TarReader;

/// Up to `max_bytes` of an entry's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryContent {
    /// The first bytes of the entry's data.
    pub bytes: Vec<u8>,
    /// The entry's stored data length.
    pub size: u64,
    /// `bytes` stops before the end of the data.
    pub truncated: bool,
}

/// Reads entry `entry` (its position among the layer's entries, as [`crate::scan`] numbers
/// them) of layer `layer` of the plan's image, up to `max_bytes`.
pub fn read_entry_content<S: ReadAt + ?Sized>(
    plan: &Plan,
    source: &S,
    layer: usize,
    entry: usize,
    max_bytes: usize,
) -> Result<EntryContent, String> {
    let job = plan
        .layers
        .get(layer)
        .ok_or_else(|| format!("the image has no layer {layer}"))?;
    // A layer stored twice was scanned once: read its twin.
    let job = match job.same_as {
        Some(twin) => plan.layers.get(twin).unwrap_or(job),
        None => job,
    };
    if plan.archive.is_random_access() {
        let (offset, size) = job
            .region
            .ok_or_else(|| format!("layer {layer}: the blob is missing from the archive"))?;
        entry_in_blob(Window::new(source, offset, size), entry, max_bytes)
    } else {
        let member = job
            .reference
            .member
            .ok_or_else(|| format!("layer {layer}: the blob is missing from the archive"))?;
        let mut result = Err(format!(
            "layer {layer}: the blob was not found in the stream"
        ));
        plan.archive
            .stream_members(source, &[member], |_, reader| {
                result = entry_in_blob(reader, entry, max_bytes);
            })
            .map_err(|e| format!("cannot stream the archive: {e}"))?;
        result
    }
}

/// Entry `entry` of the layer blob read from `blob` (compressed or not).
pub fn entry_in_blob(
    blob: impl Read,
    entry: usize,
    max_bytes: usize,
) -> Result<EntryContent, String> {
    let (_, decoder) = Decompressor::detect(BufReader::with_capacity(256 * 1024, blob))
        .map_err(|e| format!("cannot read the layer blob: {e}"))?;
    let mut tar = TarReader::new(ReadThrough::new(decoder));
    let mut index = 0usize;
    loop {
        let header = tar
            .next_header()
            .map_err(|e| format!("layer tar is damaged: {e}"))?
            .ok_or_else(|| format!("the layer has no entry {entry}"))?;
        if index == entry {
            let size = header.data_len;
            let keep = usize::try_from(size).unwrap_or(usize::MAX).min(max_bytes);
            let mut bytes = vec![0; keep];
            let mut filled = 0;
            while filled < keep {
                let n = tar
                    .read_data(&mut bytes[filled..])
                    .map_err(|e| format!("layer tar is damaged: {e}"))?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            bytes.truncate(filled);
            return Ok(EntryContent {
                truncated: (filled as u64) < size,
                bytes,
                size,
            });
        }
        index += 1;
    }
}
