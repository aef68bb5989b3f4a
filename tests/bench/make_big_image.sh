#!/usr/bin/env bash
# A ~1 GB uncompressed docker-archive for the browser benchmark (issue 4 §10: the layer list in
# < 100 ms for a 1 GB archive; MB/s of tar per core), built from the layers of
# make_bench_images.sh's deb-docker.tar: each layer is written COPIES times, each copy made
# distinct by one leading entry (`bench-copy-N`), so every copy is scanned (identical blobs
# would be scanned once). Digests and diff_ids are computed, so verification passes.
# Nothing is written inside the repository.
#
#   tests/bench/make_big_image.sh [IN_DOCKER_TAR] [OUT_TAR] [COPIES]
#   default: /tmp/layerlab-bench/deb-docker.tar -> /tmp/layerlab-bench/big-docker.tar, 3 copies
set -euo pipefail
IN=${1:-/tmp/layerlab-bench/deb-docker.tar}
OUT=${2:-/tmp/layerlab-bench/big-docker.tar}
COPIES=${3:-3}
[ -f "$IN" ] || { echo "missing $IN: run tests/bench/make_bench_images.sh first" >&2; exit 1; }
[ -f "$OUT" ] && { echo "$OUT exists"; exit 0; }
python3 - "$IN" "$OUT" "$COPIES" <<'PY'
import hashlib, io, json, sys, tarfile
src, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
CHUNK = 1 << 20

def marker(n):
    info = tarfile.TarInfo(f"bench-copy-{n}")
    data = f"copy {n}\n".encode()
    info.size, info.mode, info.mtime = len(data), 0o644, 0
    return info.tobuf(format=tarfile.USTAR_FORMAT) + data + b"\0" * (512 - len(data))

with tarfile.open(src) as archive:
    manifest = json.load(archive.extractfile("manifest.json"))[0]
    config = json.load(archive.extractfile(manifest["Config"]))
    layers = manifest["Layers"]
    history = [h for h in config.get("history", []) if not h.get("empty_layer")]
    with open(out + ".part", "wb") as sink:
        outer = tarfile.open(fileobj=sink, mode="w", format=tarfile.USTAR_FORMAT)
        names, diff_ids, new_history = [], [], []
        n = 0
        for copy in range(copies):
            for i, name in enumerate(layers):
                member = archive.getmember(name)
                while member.issym() or member.islnk():
                    member = archive.getmember(member.linkname if member.islnk() else
                                               (member.name.rsplit("/", 1)[0] + "/" + member.linkname).lstrip("/"))
                head = marker(n)
                digest = hashlib.sha256(head)
                blob = archive.extractfile(member)
                while chunk := blob.read(CHUNK):
                    digest.update(chunk)
                hexdigest = digest.hexdigest()
                info = tarfile.TarInfo(f"blobs/sha256/{hexdigest}")
                info.size, info.mode, info.mtime = len(head) + member.size, 0o644, 0
                class Joined(io.RawIOBase):
                    def __init__(self):
                        self.parts = [io.BytesIO(head), archive.extractfile(member)]
                    def readable(self): return True
                    def readinto(self, b):
                        while self.parts:
                            got = self.parts[0].readinto(b)
                            if got: return got
                            self.parts.pop(0)
                        return 0
                outer.addfile(info, io.BufferedReader(Joined(), CHUNK))
                names.append(info.name)
                diff_ids.append("sha256:" + hexdigest)
                step = history[i]["created_by"] if i < len(history) else f"layer {i}"
                new_history.append({"created_by": f"{step} (copy {copy})"})
                n += 1
        config["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
        config["history"] = new_history
        config_bytes = json.dumps(config).encode()
        config_name = f"blobs/sha256/{hashlib.sha256(config_bytes).hexdigest()}"
        for name, data in [(config_name, config_bytes),
                           ("manifest.json", json.dumps([{"Config": config_name, "RepoTags": ["bench:big"], "Layers": names}]).encode())]:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            outer.addfile(info, io.BytesIO(data))
        outer.close()
import os
os.replace(out + ".part", out)
print(out, os.path.getsize(out), "bytes,", len(names), "layers")
PY
