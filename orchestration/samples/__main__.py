"""python -m orchestration.samples --out raw/samples: write the sample PDFs (same bytes every run).

--departments N writes N fictional departments over the generator's years instead (the Jiangsu sample
template), --variants a template variant per department-year with its truth (<name>.truth.json) beside it,
--seed S another set of them."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.samples.generator import write_samples
from orchestration.samples.shenzhen import ShenzhenSample, write_shenzhen_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.samples", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("raw/samples"), help="output folder (default: raw/samples)")
    parser.add_argument("--departments", type=int, help="write this many fictional departments (each year)")
    parser.add_argument("--variants", action="store_true", help="with --departments: a template variant per PDF")
    parser.add_argument("--seed", type=int, default=0, help="with --departments: which departments (default 0)")
    args = parser.parse_args(argv)
    if args.departments is None:
        if args.variants:
            parser.error("--variants needs --departments N")
        for path in write_samples(args.out):
            print(path)
        # the second template: a district department of two budget units
        sample = ShenzhenSample()
        print(write_shenzhen_sample(args.out / "shenzhen" / f"2022年{sample.department}部门预算.pdf", sample))
        return 0
    if args.departments < 1:
        parser.error("--departments must be at least 1")
    from orchestration.samples.departments import write_departments

    for path in write_departments(args.out, args.departments, args.seed, args.variants):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
