//! The CLI hashes a layer blob on one thread while another scans it
//! ([`scan_layer_awaiting_digest`] + [`digest_blob`]): put together, the two must give exactly
//! what one pass ([`scan_layer`]) gives, for every compression and for damaged blobs too.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use layerlab_image::scan::{
    digest_blob, scan_layer, scan_layer_awaiting_digest, LayerScan, ScanAwaitingDigest, ScanOptions,
};
use support::archives::{gzip, layer_tar, noise};

fn apart(blob: &[u8], options: &ScanOptions) -> LayerScan {
    let size = blob.len() as u64;
    let awaiting = scan_layer_awaiting_digest(blob, size, options, &mut |_| {});
    awaiting.with_blob_digest(digest_blob(blob, &mut |_| {}))
}

fn one_pass(blob: &[u8], options: &ScanOptions) -> LayerScan {
    scan_layer(blob, blob.len() as u64, options, &mut |_| {})
}

fn blobs() -> Vec<(&'static str, Vec<u8>)> {
    let tar = layer_tar(&[
        ("etc/", b""),
        ("etc/hostname", b"box\n"),
        ("big.bin", &noise(300_000, 7)),
    ]);
    let zstd = ruzstd::encoding::compress_to_vec(
        tar.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let mut corrupt_gzip = gzip(&tar);
    let middle = corrupt_gzip.len() / 2;
    for byte in &mut corrupt_gzip[middle..middle + 20] {
        *byte ^= 0x5a;
    }
    let truncated_tar = tar[..tar.len() / 2 + 100].to_vec();
    vec![
        ("plain", tar.clone()),
        ("gzip", gzip(&tar)),
        ("zstd", zstd),
        ("corrupt gzip", corrupt_gzip),
        ("truncated tar", truncated_tar),
        ("not a tar", noise(5_000, 3)),
        ("empty", Vec::new()),
    ]
}

#[test]
fn scanning_and_hashing_apart_equals_one_pass() {
    for (name, blob) in blobs() {
        let options = ScanOptions::default();
        let together = one_pass(&blob, &options);
        assert_eq!(apart(&blob, &options), together, "{name}");
        if name == "plain" || name == "gzip" || name == "zstd" {
            assert!(
                together.problems.is_empty(),
                "{name}: {:?}",
                together.problems
            );
            assert!(
                together.blob_digest.is_some() && together.diff_id.is_some(),
                "{name}"
            );
        } else {
            assert!(
                !together.problems.is_empty(),
                "{name} should have a problem"
            );
        }
    }
}

/// A one-file plain layer scanned without its blob digest, and its size.
fn small_layer_awaiting_digest() -> (ScanAwaitingDigest, u64) {
    let tar = layer_tar(&[("a.txt", b"a\n")]);
    let size = tar.len() as u64;
    let options = ScanOptions::default();
    let awaiting = scan_layer_awaiting_digest(tar.as_slice(), size, &options, &mut |_| {});
    (awaiting, size)
}

#[test]
fn a_plain_layer_takes_its_diff_id_from_the_digest_hashed_apart() {
    let (awaiting, size) = small_layer_awaiting_digest();
    let scan = awaiting.with_blob_digest(Ok(("sha256:given".to_owned(), size)));
    assert_eq!(scan.blob_digest.as_deref(), Some("sha256:given"));
    assert_eq!(scan.diff_id.as_deref(), Some("sha256:given"));
}

#[test]
fn a_digest_of_other_bytes_is_a_problem_not_a_digest() {
    let (awaiting, _) = small_layer_awaiting_digest();
    let scan = awaiting.with_blob_digest(Ok(("sha256:short".to_owned(), 10)));
    assert_eq!((scan.blob_digest, scan.diff_id), (None, None));
    assert!(
        scan.problems[0]
            .message
            .contains("changed while it was read"),
        "{:?}",
        scan.problems
    );
}
