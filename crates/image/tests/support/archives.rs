//! Test archives built with the `tar` crate (an independent writer): layers, OCI archives.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;

use layerlab_image::compress::sha256_digest;
use serde_json::json;

/// A tar of `(path, content)` files; paths ending in `/` are directories.
pub fn layer_tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut header = tar::Header::new_gnu();
        if path.ends_with('/') {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(0o755);
            header.set_size(0);
        } else {
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(0o644);
            header.set_size(content.len() as u64);
        }
        builder.append_data(&mut header, path, *content).unwrap();
    }
    builder.into_inner().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Members of an outer archive, written in order; metadata first so truncation hits layers.
pub struct Outer {
    members: Vec<(String, Vec<u8>)>,
}

impl Outer {
    pub fn new() -> Self {
        Outer {
            members: Vec::new(),
        }
    }

    pub fn add(&mut self, name: &str, data: Vec<u8>) -> &mut Self {
        self.members.push((name.to_string(), data));
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in &self.members {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            builder
                .append_data(&mut header, name, data.as_slice())
                .unwrap();
        }
        builder.into_inner().unwrap()
    }
}

pub fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))
}

/// An OCI archive of gzip layers; `tamper` may edit the manifest JSON before it is written.
pub fn oci_archive(
    layers: &[Vec<u8>],
    tamper: impl FnOnce(&mut serde_json::Value, &mut Outer),
) -> Vec<u8> {
    oci_archive_with(layers, tamper, Vec::new())
}

/// [`oci_archive`] whose index also lists `extra` manifests (descriptor, blob).
pub fn oci_archive_with(
    layers: &[Vec<u8>],
    tamper: impl FnOnce(&mut serde_json::Value, &mut Outer),
    extra: Vec<(serde_json::Value, Vec<u8>)>,
) -> Vec<u8> {
    let blobs: Vec<Vec<u8>> = layers.iter().map(|l| gzip(l)).collect();
    let config = json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| sha256_digest(l)).collect::<Vec<_>>()},
        "history": layers.iter().enumerate().map(|(i, _)| json!({"created_by": format!("RUN step {i}")})).collect::<Vec<_>>(),
    });
    let config_bytes = serde_json::to_vec(&config).unwrap();
    let mut manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256_digest(&config_bytes), "size": config_bytes.len()},
        "layers": blobs.iter().map(|b| json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha256_digest(b), "size": b.len()
        })).collect::<Vec<_>>(),
    });
    let mut outer = Outer::new();
    tamper(&mut manifest, &mut outer);
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    let mut index = json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": sha256_digest(&manifest_bytes), "size": manifest_bytes.len(),
        "platform": {"os": "linux", "architecture": "amd64"}
    }]});
    for (descriptor, blob) in extra {
        if let Some(list) = index["manifests"].as_array_mut() {
            list.push(descriptor.clone());
        }
        let digest = descriptor["digest"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        outer.add(&blob_path(&digest), blob);
    }
    outer
        .add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec())
        .add("index.json", serde_json::to_vec(&index).unwrap())
        .add(&blob_path(&sha256_digest(&manifest_bytes)), manifest_bytes)
        .add(&blob_path(&sha256_digest(&config_bytes)), config_bytes);
    for blob in blobs {
        outer.add(&blob_path(&sha256_digest(&blob)), blob);
    }
    outer.build()
}

/// Incompressible bytes (a linear congruential generator), so gzip keeps their size.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect()
}
