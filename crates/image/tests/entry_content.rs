//! Reading one entry of one layer for viewers: plain and gzip layers, the byte limit, entries
//! that do not exist, damaged blobs, and lookups through a plan.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_image::entry_content::{entry_in_blob, read_entry_content};
use layerlab_image::inspect::plan;
use support::archives::{gzip, layer_tar, oci_archive};

#[test]
fn reads_an_entry_of_a_plain_and_a_gzip_layer() {
    let layer = layer_tar(&[
        ("etc/", b""),
        ("etc/passwd", b"root:x:0:0\n"),
        ("etc/motd", b"hello\n"),
    ]);
    for blob in [layer.clone(), gzip(&layer)] {
        let content = entry_in_blob(blob.as_slice(), 2, 100).unwrap();
        assert_eq!(content.bytes, b"hello\n");
        assert_eq!(content.size, 6);
        assert!(!content.truncated);
    }
}

#[test]
fn keeps_at_most_max_bytes() {
    let layer = layer_tar(&[("big", &[b'x'; 5000])]);
    let content = entry_in_blob(layer.as_slice(), 0, 10).unwrap();
    assert_eq!(content.bytes, vec![b'x'; 10]);
    assert_eq!(content.size, 5000);
    assert!(content.truncated);
}

#[test]
fn a_missing_entry_or_a_damaged_blob_is_an_error() {
    let layer = layer_tar(&[("a", b"a")]);
    let missing = entry_in_blob(layer.as_slice(), 5, 10).unwrap_err();
    assert!(missing.contains("no entry 5"), "{missing}");
    let big = layer_tar(&[("noise", &support::archives::noise(200_000, 7))]);
    let mut damaged = gzip(&big);
    damaged.truncate(damaged.len() / 2);
    let error = entry_in_blob(damaged.as_slice(), 0, 300_000).unwrap_err();
    assert!(error.contains("damaged"), "{error}");
}

#[test]
fn reads_through_a_plan_by_layer_and_entry() {
    let base = layer_tar(&[("etc/", b""), ("etc/os", b"debian\n")]);
    let top = layer_tar(&[("etc/os", b"alpine\n")]);
    let archive = oci_archive(&[base, top], |_, _| {});
    let plan = plan(&archive, None).unwrap();
    let bottom = read_entry_content(&plan, &archive, 0, 1, 64).unwrap();
    assert_eq!(bottom.bytes, b"debian\n");
    let upper = read_entry_content(&plan, &archive, 1, 0, 64).unwrap();
    assert_eq!(upper.bytes, b"alpine\n");
    assert!(read_entry_content(&plan, &archive, 7, 0, 64).is_err());
}
