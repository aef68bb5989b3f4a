//! `ReadAt` over a `File` (or any `Blob`) inside a Web Worker: `FileReaderSync` on
//! `blob.slice()`. The browser never copies the whole file; each call reads one slice.
//!
//! Every read call costs about as much as half a megabyte of data, so short reads (a tar
//! header, the 4 magic bytes) are served from a cached 1 MiB window, and long reads (the
//! core's `source::Window`: 1 MiB, or [`STREAM_WINDOW_BYTES`] for a layer blob read front to
//! back) go straight into the caller's buffer.

use std::cell::{Cell, RefCell};
use std::io;

use layerlab_image::source::{ReadAt, WINDOW_BYTES};
use layerlab_web::worker_handle::describe;
use wasm_bindgen::JsValue;
use web_sys::{Blob, FileReaderSync};

/// Reads at least this many bytes go straight to the caller's buffer.
const DIRECT_READ_BYTES: usize = 64 * 1024;

/// Bytes per read while a layer is scanned. In Chromium, `FileReaderSync` delivers about
/// 190 MB/s in 1 MiB slices and 400–500 MB/s in 16 MiB ones (this machine): with 1 MiB
/// slices, reading the file took longer than scanning what was read.
const STREAM_WINDOW_BYTES: usize = 16 << 20;

pub struct FileSource {
    blob: Blob,
    reader: FileReaderSync,
    size: u64,
    /// The last window read for short reads: its offset and bytes.
    window: RefCell<(u64, Vec<u8>)>,
    /// Slices read so far (for the benchmark and tests).
    pub slices_read: Cell<u64>,
}

impl FileSource {
    pub fn new(blob: Blob) -> Result<FileSource, String> {
        let reader = FileReaderSync::new().map_err(|e| describe(&e))?;
        let size = blob.size();
        let size = if size.is_finite() && size > 0.0 {
            size as u64
        } else {
            0
        };
        Ok(FileSource {
            blob,
            reader,
            size,
            window: RefCell::new((0, Vec::new())),
            slices_read: Cell::new(0),
        })
    }

    /// Reads `[offset, offset + out.len())` (clamped to the file) into `out`.
    fn read_slice(&self, offset: u64, out: &mut [u8]) -> io::Result<usize> {
        let end = offset.saturating_add(out.len() as u64).min(self.size);
        if offset >= end {
            return Ok(0);
        }
        let slice = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(to_io)?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(to_io)?;
        self.slices_read.set(self.slices_read.get() + 1);
        let bytes = js_sys::Uint8Array::new(&buffer);
        let n = (bytes.length() as usize).min(out.len());
        // Same lengths on both sides, or copy_to would panic.
        bytes.subarray(0, n as u32).copy_to(&mut out[..n]);
        Ok(n)
    }
}

impl ReadAt for FileSource {
    fn size(&self) -> u64 {
        self.size
    }

    fn stream_window(&self) -> usize {
        STREAM_WINDOW_BYTES
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if buf.len() >= DIRECT_READ_BYTES {
            return self.read_slice(offset, buf);
        }
        let mut window = self.window.borrow_mut();
        let (start, bytes) = &mut *window;
        let covered = offset >= *start && offset < *start + bytes.len() as u64;
        if !covered {
            bytes.resize(WINDOW_BYTES, 0);
            let n = self.read_slice(offset, bytes)?;
            bytes.truncate(n);
            *start = offset;
        }
        let from = (offset - *start) as usize;
        let available = bytes.get(from..).unwrap_or_default();
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        Ok(n)
    }
}

fn to_io(error: JsValue) -> io::Error {
    io::Error::other(describe(&error))
}
