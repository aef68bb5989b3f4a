//! Layer and archive compression, detected from magic bytes (never from names or media
//! types, which lie): gzip (multi-member, via zlib-rs), zstd (every frame, skippable frames
//! skipped, via ruzstd) or none. Plus the byte-counting, hashing reader every stream
//! passes through.

use std::io::{self, BufRead, Read};

use flate2::bufread::MultiGzDecoder;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use serde::Serialize;
#[cfg(not(feature = "native-sha"))]
use sha2::Digest;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

pub fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&GZIP_MAGIC) {
        Compression::Gzip
    } else if head.starts_with(&ZSTD_MAGIC) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// A decompressing reader chosen by [`sniff`].
pub enum Decompressor<R: BufRead> {
    Plain(R),
    Gzip(Box<MultiGzDecoder<R>>),
    Zstd(Box<ZstdFrames<R>>),
}

impl<R: BufRead> Decompressor<R> {
    /// Peeks at the first bytes of `inner` and wraps it accordingly.
    pub fn detect(mut inner: R) -> io::Result<(Compression, Self)> {
        let compression = sniff(inner.fill_buf()?);
        let reader = match compression {
            Compression::None => Decompressor::Plain(inner),
            Compression::Gzip => Decompressor::Gzip(Box::new(MultiGzDecoder::new(inner))),
            Compression::Zstd => Decompressor::Zstd(Box::new(ZstdFrames::new(inner))),
        };
        Ok((compression, reader))
    }

    pub fn into_inner(self) -> R {
        match self {
            Decompressor::Plain(r) => r,
            Decompressor::Gzip(d) => d.into_inner(),
            Decompressor::Zstd(d) => d.source,
        }
    }
}

impl<R: BufRead> Read for Decompressor<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Decompressor::Plain(r) => r.read(out),
            Decompressor::Gzip(d) => d.read(out),
            Decompressor::Zstd(d) => d.read(out),
        }
    }
}

/// Decodes every zstd frame of a stream in turn (ruzstd's own reader stops after one).
pub struct ZstdFrames<R> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(source: R) -> Self {
        ZstdFrames {
            source,
            decoder: FrameDecoder::new(),
            in_frame: false,
        }
    }

    /// Starts the next frame; `false` at the end of the stream.
    fn start_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(zstd_error("stream ends inside a skippable frame"));
                    }
                }
                Err(e) => return Err(zstd_error(&e.to_string())),
            }
        }
    }
}

fn zstd_error(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {message}"))
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.start_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            while self.decoder.can_collect() < out.len() && !self.decoder.is_finished() {
                let wanted = out.len() - self.decoder.can_collect();
                self.decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBytes(wanted))
                    .map_err(|e| zstd_error(&e.to_string()))?;
            }
            let n = self.decoder.read(out)?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() {
                self.in_frame = false;
            }
        }
    }
}

/// The streaming SHA-256 behind every digest: `sha2` (pure Rust, what wasm uses), or with
/// the `native-sha` feature `ring`'s assembly, about 1.8× faster on CPUs without SHA
/// instructions (340 against 191 MB/s on the benchmark machine).
#[cfg(not(feature = "native-sha"))]
struct Sha256Stream(sha2::Sha256);

#[cfg(not(feature = "native-sha"))]
impl Sha256Stream {
    fn new() -> Self {
        Sha256Stream(sha2::Sha256::new())
    }

    fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(self) -> Vec<u8> {
        self.0.finalize().to_vec()
    }
}

#[cfg(feature = "native-sha")]
struct Sha256Stream(ring::digest::Context);

#[cfg(feature = "native-sha")]
impl Sha256Stream {
    fn new() -> Self {
        Sha256Stream(ring::digest::Context::new(&ring::digest::SHA256))
    }

    fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(self) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
}

/// Counts and (optionally) SHA-256-hashes every byte read through it; fails once more than
/// `limit` bytes have passed, which caps decompression bombs.
pub struct Hashing<'a, R> {
    inner: R,
    hasher: Option<Sha256Stream>,
    count: u64,
    limit: u64,
    progress: Option<&'a mut dyn FnMut(u64)>,
    next_report: u64,
}

/// Progress is reported each time this many more bytes have passed.
const PROGRESS_STEP: u64 = 1 << 20;

impl<'a, R: Read> Hashing<'a, R> {
    pub fn new(inner: R, hash: bool) -> Self {
        Hashing {
            inner,
            hasher: hash.then(Sha256Stream::new),
            count: 0,
            limit: u64::MAX,
            progress: None,
            next_report: PROGRESS_STEP,
        }
    }

    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// Calls `progress` with the byte count every megabyte (and once at the end).
    pub fn with_progress(mut self, progress: &'a mut dyn FnMut(u64)) -> Self {
        self.progress = Some(progress);
        self
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// `sha256:<hex>` of everything read, when hashing was on.
    pub fn finish(mut self) -> (Option<String>, u64, R) {
        if let Some(progress) = self.progress.as_mut() {
            progress(self.count);
        }
        let digest = self.hasher.map(|h| format!("sha256:{}", hex(&h.finish())));
        (digest, self.count, self.inner)
    }
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&out[..n]);
        }
        self.count += n as u64;
        if self.count >= self.next_report {
            if let Some(progress) = self.progress.as_mut() {
                progress(self.count);
            }
            self.next_report = self.count + PROGRESS_STEP;
        }
        if self.count > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "more than {} bytes after decompression: stopped (decompression bomb?)",
                    self.limit
                ),
            ));
        }
        Ok(n)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    let mut hasher = Sha256Stream::new();
    hasher.update(bytes);
    format!("sha256:{}", hex(&hasher.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn gzip(data: &[u8]) -> Vec<u8> {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).expect("in memory");
        encoder.finish().expect("in memory")
    }

    fn zstd(data: &[u8]) -> Vec<u8> {
        ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
    }

    fn decode(bytes: &[u8]) -> (Compression, io::Result<Vec<u8>>) {
        let (compression, mut reader) = Decompressor::detect(BufReader::new(bytes)).expect("peek");
        let mut out = Vec::new();
        let result = reader.read_to_end(&mut out).map(|_| out);
        (compression, result)
    }

    #[test]
    fn multi_member_gzip_is_read_to_the_end() {
        let stream = [gzip(b"first "), gzip(b"second")].concat();
        let (compression, out) = decode(&stream);
        assert_eq!(compression, Compression::Gzip);
        assert_eq!(out.expect("valid"), b"first second");
    }

    #[test]
    fn every_zstd_frame_is_read_and_skippable_frames_are_skipped() {
        let skippable = [&[0x50, 0x2a, 0x4d, 0x18][..], &3u32.to_le_bytes(), b"abc"].concat();
        let stream = [zstd(b"one "), skippable, zstd(b"two")].concat();
        let (compression, out) = decode(&stream);
        assert_eq!(compression, Compression::Zstd);
        assert_eq!(out.expect("valid"), b"one two");
    }

    #[test]
    fn corrupt_streams_are_errors() {
        let mut stream = gzip(&vec![b'x'; 10_000]);
        let middle = stream.len() / 2;
        stream.truncate(middle);
        assert!(decode(&stream).1.is_err());
        let mut stream = zstd(&vec![b'y'; 10_000]);
        let last = stream.len() - 3;
        stream[last] ^= 0xff;
        stream.truncate(stream.len() - 1);
        assert!(decode(&stream).1.is_err());
    }

    #[test]
    fn the_limit_stops_a_bomb() {
        let stream = gzip(&vec![0u8; 1 << 20]);
        let (_, inner) = Decompressor::detect(BufReader::new(stream.as_slice())).expect("peek");
        let mut limited = Hashing::new(inner, false).with_limit(1000);
        let err = io::copy(&mut limited, &mut io::sink()).expect_err("over the limit");
        assert!(err.to_string().contains("decompression bomb"), "{err}");
    }

    #[test]
    fn hashing_matches_sha256() {
        let mut reader = Hashing::new(&b"abc"[..], true);
        io::copy(&mut reader, &mut io::sink()).expect("in memory");
        let (digest, count, _) = reader.finish();
        assert_eq!(count, 3);
        assert_eq!(
            digest.as_deref(),
            Some("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }
}
