"""python -m orchestration.samples --out raw/samples: write the sample PDFs (same bytes every run)."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.samples.generator import write_samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.samples", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("raw/samples"), help="output folder (default: raw/samples)")
    args = parser.parse_args(argv)
    for path in write_samples(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
