#!/usr/bin/env python3
"""BuildKit's Go parser (PyPI `dockerfile`, a cgo wrapper of moby/buildkit's parser) timed on
the same corpus as layerlab's benchmark. Prints one JSON object:
{"files": N, "bytes": B, "corpus_seconds": best-of-rounds time to parse every file,
 "median_file_bytes": b, "median_file_us": median per-call time for the median-sized file}.

The wrapper's cost (cgo call, building Python objects) is included: it is the cheapest way to
run BuildKit's parser here, and it is reported as such.
"""
import json
import os
import sys
import time

import dockerfile


def main():
    corpus = sys.argv[1]
    names = sorted(n for n in os.listdir(corpus) if n != "MANIFEST.tsv")
    texts = []
    for name in names:
        with open(os.path.join(corpus, name), "rb") as f:
            texts.append(f.read().decode("utf-8", "replace"))
    total = sum(len(t.encode()) for t in texts)
    by_size = sorted(texts, key=lambda t: len(t.encode()))
    median = by_size[len(by_size) // 2]

    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            try:
                dockerfile.parse_string(text)
            except dockerfile.GoParseError:
                pass
        best = min(best, time.perf_counter() - start)

    samples = []
    for _ in range(2000):
        start = time.perf_counter()
        dockerfile.parse_string(median)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(json.dumps({
        "files": len(texts),
        "bytes": total,
        "corpus_seconds": best,
        "median_file_bytes": len(median.encode()),
        "median_file_us": samples[len(samples) // 2] * 1e6,
    }))


if __name__ == "__main__":
    main()
