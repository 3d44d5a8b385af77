"""python -m orchestration.samples --out raw/samples: write the sample PDFs (same bytes every run)."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.samples.generator import write_samples
from orchestration.samples.shenzhen import ShenzhenSample, write_shenzhen_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.samples", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("raw/samples"), help="output folder (default: raw/samples)")
    args = parser.parse_args(argv)
    for path in write_samples(args.out):
        print(path)
    # the second template: a district department of two budget units
    sample = ShenzhenSample()
    print(write_shenzhen_sample(args.out / "shenzhen" / f"2022年{sample.department}部门预算.pdf", sample))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
