#!/usr/bin/env python3
"""Lint the corpus with layerlab and with hadolint, both ways users run them, in one run.

Usage: lint_peer.py LAYERLAB_BINARY CORPUS_DIR [SAMPLE]

Prints one JSON object with, for each tool: wall seconds to lint every file in one process
(best of 3 for layerlab, 1 run for hadolint, which takes ~20 s), and the median wall time of
one process per file over SAMPLE files (default 40, spread evenly over the corpus).
"""
import json
import os
import statistics
import subprocess
import sys
import time


def wall(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    layerlab, corpus = sys.argv[1], sys.argv[2]
    sample_size = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    files = sorted(os.path.join(corpus, n) for n in os.listdir(corpus) if n != "MANIFEST.tsv")
    step = max(1, len(files) // sample_size)
    sample = files[::step][:sample_size]
    ours_all = min(wall([layerlab, "lint", "--no-fail", "-f", "json", *files]) for _ in range(3))
    theirs_all = wall(["hadolint", "--no-fail", "-f", "json", *files])
    ours_each = statistics.median(wall([layerlab, "lint", "--no-fail", "-f", "json", f]) for f in sample)
    theirs_each = statistics.median(wall(["hadolint", "--no-fail", "-f", "json", f]) for f in sample)
    print(json.dumps({
        "files": len(files),
        "sample": len(sample),
        "layerlab_all_seconds": ours_all,
        "hadolint_all_seconds": theirs_all,
        "layerlab_per_process_seconds": ours_each,
        "hadolint_per_process_seconds": theirs_each,
    }))


if __name__ == "__main__":
    main()
