//! A streaming tar reader with bounded memory: ustar, GNU (long names `L`/`K`, old sparse `S`,
//! base-256 numbers) and PAX (`x` records, `g` global headers, sparse 0.x/1.0 names and
//! sizes, `SCHILY.xattr.*`). It hands out headers and lets the caller read or skip each
//! entry's data; every byte still flows through the underlying reader, so hashers see the
//! whole stream.
//!
//! Written here rather than taken from the `tar` crate because that crate reads GNU long
//! names and PAX records of any declared size into memory (a 4 GB "long name" in a 4 MB
//! gzip bomb is an out-of-memory), and the analyzer needs every limit to be its own.

use std::fmt;
use std::io;

use crate::source::Skip;

const BLOCK: u64 = 512;
/// Longest GNU long name or link we accept; PATH_MAX is 4096 on Linux.
pub const MAX_LONG_NAME: u64 = 64 * 1024;
/// Largest PAX extended header we read into memory.
pub const MAX_PAX_RECORDS: u64 = 1 << 20;
/// Extended attributes kept per entry; the rest are dropped (and not needed by any analysis).
const KEPT_XATTRS: &[&str] = &["security.capability"];

/// Where and why reading the tar stream failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TarError {
    /// Offset of the header (or data) that failed, from the start of the tar stream.
    pub offset: u64,
    pub message: String,
}

impl fmt::Display for TarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tar offset {}: {}", self.offset, self.message)
    }
}

/// One entry's header, with extension headers (long names, PAX records) already applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TarHeader {
    /// Raw name bytes (not normalised, possibly not UTF-8).
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Logical size: what the file holds once extracted (differs from `data_len` for sparse
    /// files).
    pub size: u64,
    /// Bytes of data stored after the header in the stream.
    pub data_len: u64,
    pub sparse: bool,
    pub xattrs: Vec<(String, Vec<u8>)>,
    /// Offset of this entry's data in the tar stream.
    pub data_offset: u64,
}

impl TarHeader {
    pub fn is_regular_file(&self) -> bool {
        matches!(self.typeflag, b'0' | 0 | b'7' | b'S')
    }
}

/// Reads headers one after another from `inner`.
pub struct TarReader<R> {
    inner: R,
    /// Stream offset of the next unread byte.
    pos: u64,
    /// Data bytes of the current entry not yet read.
    data_left: u64,
    /// Padding after the current entry's data.
    padding: u64,
    /// A PAX global header (`g`) was seen; dive refuses such layers.
    pub saw_global_header: bool,
    /// The stream ended without the two zero blocks that close a tar archive.
    pub missing_end_marker: bool,
}

impl<R: Skip> TarReader<R> {
    pub fn new(inner: R) -> Self {
        TarReader {
            inner,
            pos: 0,
            data_left: 0,
            padding: 0,
            saw_global_header: false,
            missing_end_marker: false,
        }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Stream offset of the next unread byte.
    pub fn position(&self) -> u64 {
        self.pos
    }

    fn err(&self, offset: u64, message: impl Into<String>) -> TarError {
        TarError {
            offset,
            message: message.into(),
        }
    }

    fn io_err(&self, e: io::Error) -> TarError {
        self.err(self.pos, e.to_string())
    }

    fn skip_exact(&mut self, n: u64) -> Result<(), TarError> {
        let skipped = self.inner.skip(n).map_err(|e| self.io_err(e))?;
        self.pos += skipped;
        if skipped < n {
            return Err(self.err(self.pos, "archive is truncated inside an entry's data"));
        }
        Ok(())
    }

    /// Reads a full block; `Ok(false)` at a clean end of stream.
    fn read_block(&mut self, block: &mut [u8; 512]) -> Result<bool, TarError> {
        let mut filled = 0;
        while filled < block.len() {
            match self.inner.read(&mut block[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_err(e)),
            }
        }
        self.pos += filled as u64;
        match filled {
            0 => Ok(false),
            512 => Ok(true),
            _ => Err(self.err(
                self.pos - filled as u64,
                format!("archive is truncated: a header of {filled} bytes, not 512"),
            )),
        }
    }

    /// Reads an extension entry's data (long name, PAX records) up to `limit` bytes.
    fn read_extension(&mut self, len: u64, limit: u64, what: &str) -> Result<Vec<u8>, TarError> {
        let start = self.pos;
        if len > limit {
            return Err(self.err(
                start,
                format!("{what} of {len} bytes is larger than the {limit}-byte limit"),
            ));
        }
        let mut data = vec![0; len as usize];
        let mut filled = 0;
        while filled < data.len() {
            match self.inner.read(&mut data[filled..]) {
                Ok(0) => {
                    return Err(self.err(start, format!("archive is truncated inside a {what}")))
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_err(e)),
            }
        }
        self.pos += len;
        self.skip_exact(padding_of(len))?;
        Ok(data)
    }

    /// The next entry's header, or `None` at the end of the archive. Skips whatever is left
    /// of the previous entry's data.
    pub fn next_header(&mut self) -> Result<Option<TarHeader>, TarError> {
        self.skip_exact(self.data_left + self.padding)?;
        self.data_left = 0;
        self.padding = 0;

        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax: Vec<(String, Vec<u8>)> = Vec::new();
        let mut block = [0u8; 512];
        loop {
            let header_offset = self.pos;
            if !self.read_block(&mut block)? {
                self.missing_end_marker = true;
                return Ok(None);
            }
            if block.iter().all(|&b| b == 0) {
                return Ok(None);
            }
            if !checksum_ok(&block) {
                return Err(self.err(header_offset, "header checksum mismatch (not a tar header)"));
            }
            let typeflag = block[156];
            let size = parse_number(&block[124..136])
                .ok_or_else(|| self.err(header_offset, "header has an invalid size field"))?;
            match typeflag {
                b'L' => {
                    long_name = Some(trim_nul(self.read_extension(
                        size,
                        MAX_LONG_NAME,
                        "GNU long name",
                    )?));
                }
                b'K' => {
                    long_link = Some(trim_nul(self.read_extension(
                        size,
                        MAX_LONG_NAME,
                        "GNU long link",
                    )?));
                }
                b'x' | b'X' => {
                    let data = self.read_extension(size, MAX_PAX_RECORDS, "PAX header")?;
                    pax = parse_pax(&data).map_err(|m| self.err(header_offset, m))?;
                }
                b'g' => {
                    self.saw_global_header = true;
                    self.skip_exact(size)?;
                    self.skip_exact(padding_of(size))?;
                }
                _ => {
                    let header =
                        self.finish_header(&block, header_offset, size, long_name, long_link, pax)?;
                    return Ok(Some(header));
                }
            }
        }
    }

    fn finish_header(
        &mut self,
        block: &[u8; 512],
        header_offset: u64,
        mut data_len: u64,
        long_name: Option<Vec<u8>>,
        long_link: Option<Vec<u8>>,
        pax: Vec<(String, Vec<u8>)>,
    ) -> Result<TarHeader, TarError> {
        let ustar = &block[257..263] == b"ustar\0";
        let mut name = match long_name {
            Some(name) => name,
            None => {
                let base = field_bytes(&block[0..100]);
                let prefix = if ustar {
                    field_bytes(&block[345..500])
                } else {
                    &[]
                };
                if prefix.is_empty() {
                    base.to_vec()
                } else {
                    [prefix, b"/", base].concat()
                }
            }
        };
        let mut link = long_link.unwrap_or_else(|| field_bytes(&block[157..257]).to_vec());
        let number = |range: std::ops::Range<usize>, what: &str| {
            parse_number(&block[range]).ok_or_else(|| {
                self.err(header_offset, format!("header has an invalid {what} field"))
            })
        };
        let mode = number(100..108, "mode")? as u32 & 0o7777;
        let mut uid = number(108..116, "uid")?;
        let mut gid = number(116..124, "gid")?;
        let typeflag = block[156];
        let mut size = data_len;
        let mut sparse = false;
        let mut sparse_name: Option<Vec<u8>> = None;
        let mut xattrs = Vec::new();

        if typeflag == b'S' {
            // Old GNU sparse: the logical size is `realsize`; extension blocks of sparse
            // maps follow the header and are not counted in the size field.
            sparse = true;
            size = parse_number(&block[483..495]).unwrap_or(data_len);
            let mut extended = block[482] != 0;
            let mut ext = [0u8; 512];
            while extended {
                let at = self.pos;
                if !self.read_block(&mut ext)? {
                    return Err(self.err(at, "archive is truncated inside a sparse map"));
                }
                extended = ext[504] != 0;
            }
        }
        for (key, value) in pax {
            match key.as_str() {
                "path" => name = value,
                "linkpath" => link = value,
                "size" => {
                    data_len = parse_decimal(&value)
                        .ok_or_else(|| self.err(header_offset, "PAX size is not a number"))?;
                    if !sparse {
                        size = data_len;
                    }
                }
                "uid" => uid = parse_decimal(&value).unwrap_or(uid),
                "gid" => gid = parse_decimal(&value).unwrap_or(gid),
                "GNU.sparse.name" => sparse_name = Some(value),
                "GNU.sparse.realsize" | "GNU.sparse.size" => {
                    sparse = true;
                    size = parse_decimal(&value).unwrap_or(size);
                }
                "GNU.sparse.major" | "GNU.sparse.map" | "GNU.sparse.numblocks" => sparse = true,
                _ => {
                    if let Some(attr) = key.strip_prefix("SCHILY.xattr.") {
                        if KEPT_XATTRS.contains(&attr) {
                            xattrs.push((attr.to_string(), value));
                        }
                    }
                }
            }
        }
        if let Some(real) = sparse_name {
            name = real;
        }
        self.data_left = data_len;
        self.padding = padding_of(data_len);
        Ok(TarHeader {
            name,
            link,
            typeflag,
            mode,
            uid: u32::try_from(uid).unwrap_or(u32::MAX),
            gid: u32::try_from(gid).unwrap_or(u32::MAX),
            size: if typeflag == b'5' || typeflag == b'2' {
                0
            } else {
                size
            },
            data_len,
            sparse,
            xattrs,
            data_offset: self.pos,
        })
    }

    /// Reads the current entry's data.
    pub fn read_data(&mut self, out: &mut [u8]) -> Result<usize, TarError> {
        if self.data_left == 0 || out.is_empty() {
            return Ok(0);
        }
        let want = out
            .len()
            .min(usize::try_from(self.data_left).unwrap_or(usize::MAX));
        loop {
            match self.inner.read(&mut out[..want]) {
                Ok(0) => {
                    return Err(self.err(self.pos, "archive is truncated inside an entry's data"));
                }
                Ok(n) => {
                    self.pos += n as u64;
                    self.data_left -= n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_err(e)),
            }
        }
    }

    /// Bytes of the current entry's data not read yet.
    pub fn data_left(&self) -> u64 {
        self.data_left
    }
}

fn padding_of(len: u64) -> u64 {
    (BLOCK - len % BLOCK) % BLOCK
}

fn trim_nul(mut bytes: Vec<u8>) -> Vec<u8> {
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    bytes
}

/// A NUL-terminated header field.
fn field_bytes(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..end]
}

/// The header checksum: the sum of all bytes with the checksum field read as spaces. Old tars
/// summed signed bytes; both are accepted, as GNU tar does.
fn checksum_ok(block: &[u8; 512]) -> bool {
    let Some(stored) = parse_number(&block[148..156]) else {
        return false;
    };
    let mut unsigned: i64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += i64::from(b);
        signed += i64::from(b as i8);
    }
    stored as i64 == unsigned || stored as i64 == signed
}

/// A numeric header field: octal (NUL/space padded) or GNU base-256 (high bit set).
fn parse_number(field: &[u8]) -> Option<u64> {
    let first = *field.first()?;
    if first & 0x80 != 0 {
        if first == 0xff {
            return None; // negative base-256: no valid size, mode or id
        }
        let mut value: u64 = u64::from(first & 0x7f);
        for &b in &field[1..] {
            value = value.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(value);
    }
    let text = field_bytes(field);
    let digits: &[u8] = trim_spaces(text);
    if digits.is_empty() {
        return Some(0);
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        value = value.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(value)
}

fn trim_spaces(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}

fn parse_decimal(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 20 {
        return None;
    }
    let mut value: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(value)
}

/// PAX records: `LEN KEY=VALUE\n`, where LEN counts the whole record.
fn parse_pax(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut records = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let space = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or("PAX record without a length")?;
        let len = parse_decimal(&rest[..space]).ok_or("PAX record length is not a number")?;
        let len = usize::try_from(len).map_err(|_| "PAX record length is too large")?;
        if len <= space + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err("PAX record length does not match its content".into());
        }
        let record = &rest[space + 1..len - 1];
        let eq = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or("PAX record without '='")?;
        let key = String::from_utf8_lossy(&record[..eq]).into_owned();
        records.push((key, record[eq + 1..].to_vec()));
        rest = &rest[len..];
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ReadThrough;

    pub(crate) fn header(name: &[u8], typeflag: u8, size: u64, link: &[u8]) -> [u8; 512] {
        let mut block = [0u8; 512];
        block[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        block[100..107].copy_from_slice(b"0000644");
        block[108..115].copy_from_slice(b"0000000");
        block[116..123].copy_from_slice(b"0000000");
        let size_text = format!("{size:011o}");
        block[124..135].copy_from_slice(size_text.as_bytes());
        block[136..147].copy_from_slice(b"00000000000");
        block[156] = typeflag;
        block[157..157 + link.len()].copy_from_slice(link);
        block[257..263].copy_from_slice(b"ustar\0");
        block[263..265].copy_from_slice(b"00");
        block[148..156].copy_from_slice(b"        ");
        let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
        block[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        block
    }

    fn entry(out: &mut Vec<u8>, name: &[u8], typeflag: u8, data: &[u8]) {
        out.extend_from_slice(&header(name, typeflag, data.len() as u64, b""));
        out.extend_from_slice(data);
        out.resize(out.len() + padding_of(data.len() as u64) as usize, 0);
    }

    /// A PAX record, whose length prefix counts itself.
    fn pax_record(key: &str, value: &str) -> String {
        let body = format!(" {key}={value}\n");
        let mut len = body.len() + 1;
        while format!("{len}").len() + body.len() != len {
            len += 1;
        }
        format!("{len}{body}")
    }

    fn read_all(archive: &[u8]) -> (Vec<TarHeader>, Result<(), TarError>) {
        let mut reader = TarReader::new(ReadThrough::new(archive));
        let mut out = Vec::new();
        loop {
            match reader.next_header() {
                Ok(Some(h)) => out.push(h),
                Ok(None) => return (out, Ok(())),
                Err(e) => return (out, Err(e)),
            }
        }
    }

    #[test]
    fn reads_names_sizes_and_data() {
        let mut tar = Vec::new();
        entry(&mut tar, b"a.txt", b'0', b"hello");
        entry(&mut tar, b"dir/", b'5', b"");
        tar.extend_from_slice(&[0; 1024]);
        let mut reader = TarReader::new(ReadThrough::new(tar.as_slice()));
        let first = reader.next_header().expect("ok").expect("entry");
        assert_eq!(first.name, b"a.txt");
        assert_eq!(first.size, 5);
        let mut buf = [0u8; 16];
        let n = reader.read_data(&mut buf).expect("data");
        assert_eq!(&buf[..n], b"hello");
        let second = reader.next_header().expect("ok").expect("entry");
        assert_eq!(
            (second.name.as_slice(), second.typeflag),
            (&b"dir/"[..], b'5')
        );
        assert!(reader.next_header().expect("ok").is_none());
        assert!(!reader.missing_end_marker);
    }

    #[test]
    fn gnu_long_names_and_pax_records_apply_to_the_next_entry() {
        let long = vec![b'x'; 300];
        let mut tar = Vec::new();
        entry(
            &mut tar,
            b"././@LongLink",
            b'L',
            &[long.as_slice(), b"\0"].concat(),
        );
        entry(&mut tar, b"short", b'0', b"");
        let records = [
            pax_record("path", "from/pax/record.txt"),
            pax_record("SCHILY.xattr.security.capability", "ab"),
        ]
        .concat();
        entry(&mut tar, b"PaxHeaders/x", b'x', records.as_bytes());
        entry(&mut tar, b"ignored-name", b'0', b"1234");
        tar.extend_from_slice(&[0; 1024]);
        let (headers, result) = read_all(&tar);
        result.expect("valid archive");
        assert_eq!(headers[0].name, long);
        assert_eq!(headers[1].name, b"from/pax/record.txt");
        assert_eq!(
            headers[1].xattrs,
            vec![("security.capability".to_string(), b"ab".to_vec())]
        );
        assert_eq!(headers[1].size, 4);
    }

    #[test]
    fn a_huge_long_name_is_an_error_not_an_allocation() {
        let mut tar = Vec::new();
        tar.extend_from_slice(&header(b"././@LongLink", b'L', 1 << 32, b""));
        let (_, result) = read_all(&tar);
        let err = result.expect_err("limit");
        assert!(err.message.contains("larger than"), "{err}");
    }

    #[test]
    fn truncation_and_garbage_are_errors_with_offsets() {
        let mut tar = Vec::new();
        entry(&mut tar, b"a", b'0', b"data");
        let (_, result) = read_all(&tar[..700]);
        assert!(result.expect_err("truncated").message.contains("truncated"));
        let mut garbage = tar.clone();
        garbage[0] = b'Z';
        let (_, result) = read_all(&garbage);
        let err = result.expect_err("checksum");
        assert_eq!(err.offset, 0);
        assert!(err.message.contains("checksum"));
    }

    #[test]
    fn numbers_in_octal_and_base_256() {
        assert_eq!(parse_number(b"0000644 \0"), Some(0o644));
        assert_eq!(parse_number(b"\0\0\0"), Some(0));
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[11] = 0x10;
        big[10] = 0x02;
        assert_eq!(parse_number(&big), Some(0x0210));
        assert_eq!(parse_number(b"12a"), None);
    }

    /// Recomputes a hand-edited header's checksum.
    fn reseal(block: &mut [u8; 512]) {
        block[148..156].copy_from_slice(b"        ");
        let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
        block[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    }

    #[test]
    fn old_gnu_sparse_files_report_their_logical_size_and_skip_their_maps() {
        let mut tar = Vec::new();
        // 1 KiB of data stored for a 1 MiB file, with one extension block of sparse map.
        let mut block = header(b"sparse.img", b'S', 1024, b"");
        block[257..265].copy_from_slice(b"ustar  \0");
        block[483..494].copy_from_slice(format!("{:011o}", 1u64 << 20).as_bytes());
        block[482] = 1;
        reseal(&mut block);
        tar.extend_from_slice(&block);
        tar.extend_from_slice(&[0; 512]); // the extension block (its own flag at 504 is 0)
        tar.extend_from_slice(&[b'd'; 1024]);
        entry(&mut tar, b"after", b'0', b"x");
        tar.extend_from_slice(&[0; 1024]);
        let (headers, result) = read_all(&tar);
        result.expect("valid");
        assert_eq!(
            (headers[0].size, headers[0].data_len, headers[0].sparse),
            (1 << 20, 1024, true)
        );
        assert_eq!(headers[1].name, b"after");
    }

    #[test]
    fn pax_sparse_and_large_sizes() {
        let mut tar = Vec::new();
        let records = [
            pax_record("GNU.sparse.major", "1"),
            pax_record("GNU.sparse.minor", "0"),
            pax_record("GNU.sparse.name", "real/name.bin"),
            pax_record("GNU.sparse.realsize", "10000000000"),
        ]
        .concat();
        entry(&mut tar, b"PaxHeaders/x", b'x', records.as_bytes());
        entry(&mut tar, b"GNUSparseFile.0/name.bin", b'0', &[7; 600]);
        // A PAX size beyond the 8 GiB an octal field holds.
        let big = pax_record("size", "9000000000");
        entry(&mut tar, b"PaxHeaders/y", b'x', big.as_bytes());
        tar.extend_from_slice(&header(b"huge.bin", b'0', 0, b""));
        let (headers, result) = read_all(&tar);
        assert_eq!(headers[0].name, b"real/name.bin");
        assert_eq!(
            (headers[0].size, headers[0].data_len, headers[0].sparse),
            (10_000_000_000, 600, true)
        );
        assert_eq!(headers[1].size, 9_000_000_000);
        // The huge file's data is not there: a clear truncation error, not a hang.
        assert!(result.expect_err("truncated").message.contains("truncated"));
    }

    #[test]
    fn missing_end_marker_is_noted() {
        let mut tar = Vec::new();
        entry(&mut tar, b"a", b'0', b"x");
        let mut reader = TarReader::new(ReadThrough::new(tar.as_slice()));
        assert!(reader.next_header().expect("ok").is_some());
        assert!(reader.next_header().expect("ok").is_none());
        assert!(reader.missing_end_marker);
    }
}
