#!/usr/bin/env python3
"""BuildKit's own Dockerfile parser as an oracle for layerlab's tests.

Reads file paths (one per line) on stdin and prints one JSON object per file: whether
BuildKit's `parser.Parse` accepts it, its error, and every instruction it produced. Uses the
PyPI package `dockerfile` (a cgo wrapper around moby/buildkit's parser; 3.4.0 wraps v0.12.5).
"""
import json
import sys

try:
    import dockerfile
except ImportError:
    sys.exit("buildkit_oracle: the Python package `dockerfile` is missing: "
             "python3 -m pip install dockerfile==3.4.0")


def main():
    for path in sys.stdin.read().splitlines():
        record = {"path": path, "ok": True, "error": None, "commands": []}
        try:
            for c in dockerfile.parse_file(path):
                record["commands"].append({
                    "cmd": c.cmd,
                    "sub_cmd": c.sub_cmd,
                    "json": c.json,
                    "start_line": c.start_line,
                    "end_line": c.end_line,
                    "flags": list(c.flags),
                    "value": list(c.value),
                    "heredocs": [h.content for h in c.heredocs],
                })
        except dockerfile.GoParseError as e:
            record = {"path": path, "ok": False, "error": str(e), "commands": []}
        except Exception as e:  # undecodable bytes and the like
            record = {"path": path, "ok": False, "error": repr(e), "commands": []}
        print(json.dumps(record))


if __name__ == "__main__":
    main()
