//! Where archive bytes come from. The analyzer never opens files: callers hand in a
//! [`ReadAt`] — a file in the CLI, `File` slices in a browser worker, a byte slice in tests —
//! and everything reads through [`Window`], which fetches large windows because every read
//! call in a browser costs about as much as reading half a megabyte.

use std::io::{self, Read};

/// Random access to the archive: read up to `buf.len()` bytes at `offset`.
pub trait ReadAt {
    /// Total size in bytes.
    fn size(&self) -> u64;
    /// Reads into `buf` starting at `offset`; returns how many bytes were read (0 at the end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;
    /// Bytes per read while a layer blob is read front to back ([`Window::streaming`]).
    /// Sources whose every read call is costly (a browser `File`) ask for more.
    fn stream_window(&self) -> usize {
        WINDOW_BYTES
    }
}

impl ReadAt for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let n = buf.len().min(self.len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }
}

impl ReadAt for Vec<u8> {
    fn size(&self) -> u64 {
        self.as_slice().size()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.as_slice().read_at(offset, buf)
    }
}

impl<T: ReadAt + ?Sized> ReadAt for &T {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read_at(offset, buf)
    }

    fn stream_window(&self) -> usize {
        (**self).stream_window()
    }
}

/// A reader that can move forward without handing the bytes to anyone. Streams read through
/// (the bytes still reach hashers); random-access windows jump.
pub trait Skip: Read {
    fn skip(&mut self, n: u64) -> io::Result<u64>;
}

/// Bytes per window: 1 MiB keeps a browser's per-call cost (~0.7 ms) under a fifth of the
/// time spent inflating what was read.
pub const WINDOW_BYTES: usize = 1 << 20;

/// A sequential reader over `[start, end)` of a [`ReadAt`], fetching whole windows. Skips
/// inside the current window are free; longer ones jump without reading.
pub struct Window<'a, S: ReadAt + ?Sized> {
    source: &'a S,
    /// Absolute offset of `buf[0]`.
    buf_start: u64,
    buf: Vec<u8>,
    /// Absolute offset of the next byte to hand out.
    pos: u64,
    end: u64,
    window: usize,
}

impl<'a, S: ReadAt + ?Sized> Window<'a, S> {
    pub fn new(source: &'a S, start: u64, len: u64) -> Self {
        Self::with_window(source, start, len, WINDOW_BYTES)
    }

    /// A window for reading `len` bytes at `start` front to back, in the source's
    /// [`ReadAt::stream_window`] (never past `start + len`).
    pub fn streaming(source: &'a S, start: u64, len: u64) -> Self {
        Self::with_window(source, start, len, source.stream_window())
    }

    pub fn with_window(source: &'a S, start: u64, len: u64, window: usize) -> Self {
        let end = start.saturating_add(len).min(source.size());
        Window {
            source,
            buf_start: start,
            buf: Vec::new(),
            pos: start.min(end),
            end,
            window: window.max(512),
        }
    }

    /// Bytes handed out (or skipped) so far, relative to the start.
    pub fn position(&self) -> u64 {
        self.pos
    }

    fn buffered(&self) -> &[u8] {
        match self.pos.checked_sub(self.buf_start) {
            Some(from) if from < self.buf.len() as u64 => &self.buf[from as usize..],
            _ => &[],
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        let want = (self.end - self.pos).min(self.window as u64) as usize;
        self.buf.resize(want, 0);
        let mut filled = 0;
        while filled < want {
            let n = self
                .source
                .read_at(self.pos + filled as u64, &mut self.buf[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        self.buf.truncate(filled);
        self.buf_start = self.pos;
        Ok(())
    }
}

impl<S: ReadAt + ?Sized> Read for Window<'_, S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.end || out.is_empty() {
            return Ok(0);
        }
        if self.buffered().is_empty() {
            self.refill()?;
        }
        let available = self.buffered();
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<S: ReadAt + ?Sized> Skip for Window<'_, S> {
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let step = n.min(self.end - self.pos);
        self.pos += step;
        Ok(step)
    }
}

/// Makes any stream skippable by reading through it (so hashers downstream see every byte).
pub struct ReadThrough<R> {
    inner: R,
    scratch: Vec<u8>,
}

impl<R: Read> ReadThrough<R> {
    pub fn new(inner: R) -> Self {
        ReadThrough {
            inner,
            scratch: Vec::new(),
        }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: Read> Read for ReadThrough<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.inner.read(out)
    }
}

impl<R: Read> Skip for ReadThrough<R> {
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        if self.scratch.is_empty() {
            self.scratch = vec![0; 64 * 1024];
        }
        let mut left = n;
        while left > 0 {
            let chunk = left.min(self.scratch.len() as u64) as usize;
            let got = match self.inner.read(&mut self.scratch[..chunk]) {
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if got == 0 {
                break;
            }
            left -= got as u64;
        }
        Ok(n - left)
    }
}

/// Reads to the end, returning the number of bytes consumed.
pub fn drain(reader: &mut impl Read) -> io::Result<u64> {
    let mut scratch = vec![0; 64 * 1024];
    let mut total = 0;
    loop {
        match reader.read(&mut scratch) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_reads_a_region_in_small_windows() {
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let mut window = Window::with_window(&data, 100, 3000, 512);
        let mut out = Vec::new();
        window.read_to_end(&mut out).expect("in-memory read");
        assert_eq!(out, &data[100..3100]);
    }

    #[test]
    fn window_skips_without_reading_and_stops_at_the_end() {
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let mut window = Window::with_window(&data, 0, 1000, 512);
        assert_eq!(window.skip(990).expect("skip"), 990);
        let mut out = Vec::new();
        window.read_to_end(&mut out).expect("read");
        assert_eq!(out, &data[990..1000]);
        assert_eq!(window.skip(5).expect("skip"), 0);
    }

    /// Bytes in memory that record the length of every read call.
    struct Recording {
        data: Vec<u8>,
        window: usize,
        reads: std::cell::RefCell<Vec<usize>>,
    }

    impl ReadAt for Recording {
        fn size(&self) -> u64 {
            self.data.size()
        }

        fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
            self.reads.borrow_mut().push(buf.len());
            self.data.read_at(offset, buf)
        }

        fn stream_window(&self) -> usize {
            self.window
        }
    }

    #[test]
    fn a_streaming_window_reads_in_the_sources_size_and_never_past_the_region() {
        let source = Recording {
            data: (0..=255u8).cycle().take(10_000).collect(),
            window: 4096,
            reads: Default::default(),
        };
        let mut out = Vec::new();
        Window::streaming(&source, 100, 9000)
            .read_to_end(&mut out)
            .expect("in-memory read");
        assert_eq!(out, &source.data[100..9100]);
        assert_eq!(*source.reads.borrow(), [4096, 4096, 808]);
    }

    #[test]
    fn a_region_past_the_end_is_clamped() {
        let data = vec![7u8; 10];
        let mut window = Window::new(&data, 8, 100);
        let mut out = Vec::new();
        window.read_to_end(&mut out).expect("read");
        assert_eq!(out, vec![7, 7]);
    }
}
