#!/usr/bin/env python3
"""Writes a docker-archive whose one layer holds N empty files (default 500,000), for the
memory-per-entry row of the README's performance table.

Usage: make_many_files.py OUT.tar [N]

The layer is 512 bytes of tar header per file (244 MB for 500,000), in directories of 1,000
files, so the tree has realistic depth. Nothing about it is random: the same N gives the same
bytes, and so the same digests.
"""
import hashlib
import io
import json
import sys
import tarfile


def layer_bytes(count):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as layer:
        for i in range(count):
            if i % 1000 == 0:
                directory = tarfile.TarInfo(f"data/d{i // 1000:04d}")
                directory.type, directory.mode = tarfile.DIRTYPE, 0o755
                layer.addfile(directory)
            entry = tarfile.TarInfo(f"data/d{i // 1000:04d}/file-{i:07d}.txt")
            entry.mode = 0o644
            layer.addfile(entry, io.BytesIO(b""))
    return buffer.getvalue()


def add(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
    layer = layer_bytes(count)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": f"/bin/sh -c make {count} files"}],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_name = diff_id.removeprefix("sha256:") + "/layer.tar"
    manifest = json.dumps([{
        "Config": config_name,
        "RepoTags": ["manyfiles:latest"],
        "Layers": [layer_name],
    }]).encode()
    with tarfile.open(out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        add(archive, config_name, config)
        add(archive, layer_name, layer)
        add(archive, "manifest.json", manifest)


if __name__ == "__main__":
    main()
