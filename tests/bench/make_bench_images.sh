#!/usr/bin/env bash
# Build the realistic benchmark image for `layerlab inspect` (issue 4 §10), following
# ../shared/reference/image-anchors.md §5.6: a Debian bookworm minbase rootfs from debootstrap,
# then umoci layers, then skopeo archives. Nothing is written inside the repository.
#
#   sudo tests/bench/make_bench_images.sh [OUT_DIR]     # default /tmp/layerlab-bench
#
# Writes OUT_DIR/deb-oci.tar (gzip OCI archive), OUT_DIR/deb-docker.tar (uncompressed
# docker-archive) and OUT_DIR/deb-oci-zstd.tar (zstd OCI archive). Idempotent: when all three
# exist it does nothing; a kept debootstrap rootfs (OUT_DIR/work/rootfs) is reused.
#
# Layers:
#   0  debootstrap --variant=minbase bookworm            (~200 MB, ~6,800 entries)
#   1  apt-get install -y --no-install-recommends python3 (in a chroot with /proc bound; when
#      chroot or mount is not permitted, apt on the host downloads the same packages against the
#      rootfs's dpkg status and `dpkg -x` unpacks them — same files, no maintainer scripts)
#   2  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb ...  (whiteouts; the removed
#      files still ship in layers 0–1)
#
# Needs (Debian 12, root): apt-get install -y debootstrap umoci skopeo
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

OUT=${1:-/tmp/layerlab-bench}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
OCI=$OUT/deb-oci.tar
DOCKER=$OUT/deb-docker.tar
ZSTD=$OUT/deb-oci-zstd.tar

if [ -s "$OCI" ] && [ -s "$DOCKER" ] && [ -s "$ZSTD" ]; then
  echo "make_bench_images: $OUT already has deb-oci.tar, deb-docker.tar, deb-oci-zstd.tar"
  exit 0
fi
for tool in debootstrap umoci skopeo; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install -y debootstrap umoci skopeo)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, umoci unpack/repack keep uid 0)" >&2; exit 1; }

REPO=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$OUT/" in
  "$REPO"/*) echo "refusing to build inside the repository: $OUT" >&2; exit 1 ;;
esac
OCI=$OUT/deb-oci.tar
DOCKER=$OUT/deb-docker.tar
ZSTD=$OUT/deb-oci-zstd.tar

WORK=$OUT/work
mkdir -p "$WORK"
cd "$WORK"

# ------------------------------------------------------------------ layer 0: debootstrap
if [ ! -f rootfs/.debootstrap-done ]; then
  rm -rf rootfs
  echo "make_bench_images: debootstrap --variant=minbase bookworm (about a minute)"
  debootstrap --variant=minbase bookworm rootfs "$MIRROR"
  touch rootfs/.debootstrap-done
fi

rm -rf layout bundle
umoci init --layout layout
umoci new --image layout:deb
umoci config --image layout:deb --no-history --architecture amd64 --os linux
umoci unpack --image layout:deb bundle >/dev/null
cp -a rootfs/. bundle/rootfs/
rm -f bundle/rootfs/.debootstrap-done
umoci repack --image layout:deb --history.created_by 'debootstrap --variant=minbase bookworm' bundle
rm -rf bundle

# ------------------------------------------------------------------ layer 1: python3
umoci unpack --image layout:deb bundle >/dev/null
R=$WORK/bundle/rootfs
cp /etc/resolv.conf "$R/etc/resolv.conf"
installed=
if mount --bind /proc "$R/proc" 2>/dev/null; then
  if chroot "$R" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3' ; then
    installed=chroot
  fi
  umount "$R/proc"
fi
if [ -z "$installed" ]; then
  echo "make_bench_images: chroot apt not possible here; apt-get download + dpkg -x instead"
  DEBS=$WORK/debs
  rm -rf "$DEBS" && mkdir -p "$DEBS/partial"
  apt-get install -y -q --no-install-recommends --download-only \
    -o Dir::State::status="$R/var/lib/dpkg/status" -o Dir::Cache::archives="$DEBS" python3
  for deb in "$DEBS"/*.deb; do
    dpkg -x "$deb" "$R"
    cp "$deb" "$R/var/cache/apt/archives/"   # as apt leaves them, so layer 2 has .debs to delete
  done
  mkdir -p "$R/var/lib/apt/lists"
  cp /var/lib/apt/lists/*_Packages "$R/var/lib/apt/lists/" 2>/dev/null || true
  installed=dpkg-x
fi
umoci repack --image layout:deb --history.created_by 'RUN apt-get install -y --no-install-recommends python3' bundle
rm -rf bundle

# ------------------------------------------------------------------ layer 2: cleanup (whiteouts)
umoci unpack --image layout:deb bundle >/dev/null
rm -rf bundle/rootfs/var/lib/apt/lists/* bundle/rootfs/var/cache/apt/archives/*.deb \
  bundle/rootfs/var/cache/apt/*.bin bundle/rootfs/var/log/apt/* bundle/rootfs/var/log/dpkg.log \
  bundle/rootfs/tmp/apt.log
umoci repack --image layout:deb \
  --history.created_by 'RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt/* /var/log/dpkg.log' bundle
rm -rf bundle
umoci gc --layout layout

# ------------------------------------------------------------------ archives
rm -f "$OCI" "$DOCKER" "$ZSTD"
skopeo copy --quiet oci:layout:deb oci-archive:"$OCI":deb
skopeo copy --quiet oci:layout:deb docker-archive:"$DOCKER":deb:latest
skopeo copy --quiet --dest-compress-format zstd oci:layout:deb oci-archive:"$ZSTD":deb
rm -rf layout   # the rootfs stays for the next run; delete OUT_DIR/work to start over

echo "make_bench_images: python3 layer via $installed"
ls -l "$OCI" "$DOCKER" "$ZSTD"
