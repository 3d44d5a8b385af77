"""`budget-etl`: run the Dagster assets headless, then report what landed.

Nothing here extracts or transforms: it registers the raw folder's documents as partitions and
executes the code location's own jobs through Dagster's Python API.
"""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from orchestration.settings import Paths, paths_from_env

FETCH_OUTCOMES = ("saved", "unchanged", "duplicate", "not_pdf", "too_large", "refused", "failed")


class UsageError(Exception):
    """A one-line reason printed to stderr with exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget-etl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract every PDF in the raw folder and build the warehouse")
    run.add_argument("--raw-dir", help="folder of PDFs (default $BUDGET_RAW_DIR or raw/)")
    run.add_argument("--warehouse", help="DuckDB file (default $BUDGET_WAREHOUSE or warehouse/budget.duckdb)")
    run.add_argument("--verbose", action="store_true", help="print Dagster's run log and dbt's node-by-node log")
    fetch = commands.add_parser("fetch", help="download new disclosures from the publishers in sources.yaml")
    fetch.add_argument("--sources", help="YAML file of sources (default $BUDGET_SOURCES or sources.yaml)")
    fetch.add_argument("--raw-dir", help="folder the PDFs are saved into (default $BUDGET_RAW_DIR or raw/)")
    fetch.add_argument("--warehouse", help="its folder keeps the fetch state and log (default as for `run`)")
    export = commands.add_parser("export", help="write every table of schemas marts and ops as Parquet or CSV files")
    export.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="CSV is UTF-8 with BOM")
    export.add_argument("--out", required=True, help="folder to write <schema>/<table>.<format> into")
    export.add_argument("--warehouse", help="DuckDB file (default $BUDGET_WAREHOUSE or warehouse/budget.duckdb)")
    report = commands.add_parser("report", help="write the analysts' HTML report (charts and tables) from the marts")
    report.add_argument("--out", required=True, help="folder to write index.html and its pages into")
    report.add_argument("--warehouse", help="DuckDB file (default $BUDGET_WAREHOUSE or warehouse/budget.duckdb)")
    report.add_argument("--raw-dir", help="folder of the PDFs the pages link to (default $BUDGET_RAW_DIR or raw/)")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            return command_export(paths_from_env(warehouse=args.warehouse), args.format, args.out)
        if args.command == "report":
            return command_report(paths_from_env(args.raw_dir, args.warehouse), args.out)
        paths = paths_from_env(args.raw_dir, args.warehouse)
        if args.command == "fetch":
            return command_fetch(paths, args.sources)
        check_paths(paths)
        if args.command == "run":
            return command_run(paths, args.verbose)
    except UsageError as error:
        print(f"budget-etl: {error}", file=sys.stderr)
        return 2
    return 1


def check_paths(paths: Paths) -> None:
    if not paths.raw_dir.is_dir():
        raise UsageError(f"raw dir does not exist: {paths.raw_dir}")
    try:
        paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
        probe = paths.warehouse_dir / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise UsageError(f"cannot write the warehouse at {paths.warehouse}: {error.strerror}") from error
    if paths.warehouse.exists():
        try:
            duckdb.connect(str(paths.warehouse)).close()
        except duckdb.Error as error:
            first_line = str(error).splitlines()[0]
            raise UsageError(f"cannot open the warehouse {paths.warehouse}: {first_line}") from error


def command_run(paths: Paths, verbose: bool) -> int:
    from orchestration.runner import run_pipeline
    from orchestration.summary import print_summary

    result = run_pipeline(paths, verbose=verbose)
    print_summary(paths, result)
    if not result.warehouse_built:
        print(f"budget-etl: warehouse build failed: {result.warehouse_error}", file=sys.stderr)
        return 1
    return 0


def command_fetch(paths: Paths, sources: str | None) -> int:
    """Poll the sources through the fetch job; exit 0 when the poll finished, whatever some URLs did."""
    from collections import Counter

    from orchestration.defs.fetch import sources_file
    from orchestration.fetch.sources import SourcesError, load_sources

    path = sources_file(sources or "")
    try:
        count = len(load_sources(path))  # a bad file is a usage error, said before Dagster starts
    except SourcesError as error:
        raise UsageError(str(error)) from error
    try:
        paths.raw_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the raw dir {paths.raw_dir}: {error.strerror}") from error
    check_paths(paths)
    if count == 0:
        print(f"fetch: no sources in {path}: nothing to fetch")
        return 0
    from orchestration.runner import run_fetch

    result = run_fetch(paths, path)
    for record in result.records:
        target = f" -> {record['saved_as']}" if record["outcome"] in ("saved", "duplicate") else ""
        reason = f" ({record['reason']})" if record["reason"] else ""
        print(f"{record['outcome']:<9} {record['url']}{target}{reason}")
    outcomes = Counter(record["outcome"] for record in result.records)
    summary = ", ".join(f"{outcomes[name]} {name}" for name in FETCH_OUTCOMES if outcomes[name])
    print(f"fetch: {summary or 'no PDF links found'} ({count} source(s) of {path}; raw folder {paths.raw_dir})")
    if outcomes["saved"]:
        print("new files are extracted by `budget-etl run` (or by the raw-folder sensor under `make ui`)")
    if not result.succeeded:
        print(f"budget-etl: fetch failed: {result.error}", file=sys.stderr)
        return 1
    return 0


def command_export(paths: Paths, fmt: str, out: str) -> int:
    from pathlib import Path

    from orchestration.export import ExportError, export_warehouse

    try:
        exported = export_warehouse(paths.warehouse, Path(out).resolve(), fmt)
    except ExportError as error:
        raise UsageError(str(error)) from error
    for table in exported:
        print(f"{table.schema}.{table.table}: {table.rows} rows -> {table.path}")
    return 0


def command_report(paths: Paths, out: str) -> int:
    from pathlib import Path

    from orchestration.report.build import build_report

    # the published copy when there is one: a run's dbt may be writing the warehouse itself
    readable = paths.analysts_warehouse if paths.analysts_warehouse.exists() else paths.warehouse
    if not readable.exists():
        raise UsageError(f"no warehouse at {paths.warehouse}: run `budget-etl run` first")
    try:
        report = build_report(readable, Path(out).resolve(), paths.raw_dir)
    except duckdb.Error as error:
        raise UsageError(f"cannot read the warehouse {readable}: {str(error).splitlines()[0]}") from error
    print(f"report: {report.index} ({len(report.pages)} pages, from {readable})")
    return 0


def entrypoint() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entrypoint()
