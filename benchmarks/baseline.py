"""The baseline: plain pdfplumber, every page of every PDF, `extract_text()` + `extract_tables()`, one process.

Run as a child by bench.py (so its wall time includes interpreter start and imports, like the
pipeline's): `python benchmarks/baseline.py FILE...`. Prints one JSON line: pages, the seconds
spent in the extraction loop alone, and per-file figures.
"""

from __future__ import annotations

import json
import sys
import time

import pdfplumber


def extract_all(paths: list[str]) -> dict:
    files = []
    started = time.perf_counter()
    for path in paths:
        file_started = time.perf_counter()
        pages = 0
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
        files.append({"file": path, "pages": pages, "seconds": round(time.perf_counter() - file_started, 3)})
    return {
        "pages": sum(f["pages"] for f in files),
        "loop_seconds": round(time.perf_counter() - started, 3),
        "files": files,
    }


if __name__ == "__main__":
    print(json.dumps(extract_all(sys.argv[1:]), ensure_ascii=False))
