#!/usr/bin/env python3
"""Writes an OCI image archive of two uncompressed layers of 12 MiB each: big enough that the image explorer
hands its layers to scan workers (small images are scanned by the image worker alone), so
the e2e tests can check the parallel scan. Same bytes every time.

Usage: make_two_layer_image.py OUT.tar

Layer 0: etc/, etc/passwd and data/base.bin; layer 1: app/, app/payload.bin and a new
etc/passwd (so the image has a modified file and wasted bytes).
"""
import hashlib
import io
import json
import random
import sys
import tarfile

PAYLOAD = 12 << 20


def layer_bytes(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as layer:
        for name, data in files:
            entry = tarfile.TarInfo(name)
            if data is None:
                entry.type, entry.mode = tarfile.DIRTYPE, 0o755
                layer.addfile(entry)
            else:
                entry.mode, entry.size = 0o644, len(data)
                layer.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()


def main():
    out = sys.argv[1]
    noise = random.Random(7)
    layers = [
        layer_bytes([
            ("etc", None),
            ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"),
            ("data", None),
            ("data/base.bin", noise.randbytes(PAYLOAD)),
        ]),
        layer_bytes([
            ("app", None),
            ("app/payload.bin", noise.randbytes(PAYLOAD)),
            ("etc", None),
            ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n"),
        ]),
    ]
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [digest(layer) for layer in layers]},
        "history": [{"created_by": "ADD base /"}, {"created_by": "COPY app /app"}],
    }).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": descriptor("application/vnd.oci.image.config.v1+json", config),
        "layers": [descriptor("application/vnd.oci.image.layer.v1.tar", layer) for layer in layers],
    }).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{
            **descriptor("application/vnd.oci.image.manifest.v1+json", manifest),
            "annotations": {"org.opencontainers.image.ref.name": "latest"},
        }],
    }).encode()
    members = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)]
    for blob in [config, manifest, *layers]:
        members.append(("blobs/sha256/" + digest(blob).removeprefix("sha256:"), blob))
    with tarfile.open(out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type, data):
    return {"mediaType": media_type, "digest": digest(data), "size": len(data)}

if __name__ == "__main__":
    main()
