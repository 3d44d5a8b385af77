"""The landing zone: one Parquet file per document and table, the only thing dbt reads from Python.

Python never opens the warehouse `.duckdb` file (DuckDB allows one writing process per file); it
writes Parquet with an in-memory DuckDB, and dbt is the single writer of the warehouse.

Each document's tables are written as new files named after the extraction, the `documents` row
last. Every row carries the document's `extraction_id`; staging keeps only rows whose id matches
the current `documents` row, so a crash half-way through a document leaves the previous extraction
in force (the `documents` file is the commit point).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import duckdb
import pandas as pd

LINE_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "source_page": "INTEGER",
    "table_index": "INTEGER",
    "table_type": "VARCHAR",
    "table_title": "VARCHAR",
    "line_no": "INTEGER",
    "section": "VARCHAR",
    "item": "VARCHAR",
    "code": "VARCHAR",
    "name": "VARCHAR",
    "measure": "VARCHAR",
    "amount": "DOUBLE",
    "raw_value": "VARCHAR",
    "unit": "VARCHAR",
    "attributes": "VARCHAR",  # JSON object of the line's printed text columns
}

NARRATIVE_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "source_page": "INTEGER",
    "figure": "VARCHAR",
    "amount": "DOUBLE",
    "prior_year_amount": "DOUBLE",
    "change_amount": "DOUBLE",
    "unit": "VARCHAR",
    "sentence": "VARCHAR",
}

DOCUMENT_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "source_files": "VARCHAR",
    "sha256": "VARCHAR",
    "file_size": "BIGINT",
    "file_modified_at": "TIMESTAMP",
    "status": "VARCHAR",
    "reason": "VARCHAR",
    "template": "VARCHAR",
    "department_name": "VARCHAR",
    "fiscal_year": "INTEGER",
    "unit": "VARCHAR",
    "region": "VARCHAR",
    "admin_level": "VARCHAR",
    "disclosure_level": "VARCHAR",
    "document_kind": "VARCHAR",
    "role": "VARCHAR",
    "pages": "INTEGER",
    "tables_found": "INTEGER",
    "listed_tables": "VARCHAR",
    "extracted_at": "TIMESTAMP",
    "extract_seconds": "DOUBLE",
    "validate_seconds": "DOUBLE",
    "extractor_version": "VARCHAR",
}

DOCUMENT_TABLE_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "table_type": "VARCHAR",
    "table_title": "VARCHAR",
    "first_page": "INTEGER",
    "last_page": "INTEGER",
    "lines": "INTEGER",
    "amounts": "INTEGER",  # values printed in the table's lines (0: a table printed empty, "本部门无…")
    "pages_not_read": "VARCHAR",  # "12, 13": pages printing the table's amounts from which nothing was read
}

CHECK_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "check_name": "VARCHAR",
    "severity": "VARCHAR",
    "passed": "BOOLEAN",
    "detail": "VARCHAR",
}

# One row per failed step of a Dagster run (or one per run that failed outside any step); written
# by the run-failure sensor (defs/automation.py), one file per run: `run_failures/<run_id>.parquet`.
RUN_FAILURE_COLUMNS: dict[str, str] = {
    "run_id": "VARCHAR",
    "job_name": "VARCHAR",
    "partition_key": "VARCHAR",  # the run's partition, or `first...last` for a range run
    "step_key": "VARCHAR",
    "asset_keys": "VARCHAR",  # the run's selected assets, `a/b, c/d`
    "error_type": "VARCHAR",
    "error": "VARCHAR",  # first line of the error message
    "failed_at": "TIMESTAMP",  # UTC
}

# One row per URL a fetch poll dealt with (orchestration/fetch/record.py), one file per poll:
# `fetches/<run_id>.parquet`, written by the fetch asset (defs/fetch.py), read by dbt's `ops.fetches`.
FETCH_COLUMNS: dict[str, str] = {
    "run_id": "VARCHAR",
    "source": "VARCHAR",
    "url": "VARCHAR",
    "parent_url": "VARCHAR",
    "final_url": "VARCHAR",
    "fetched_at": "TIMESTAMP",  # UTC
    "http_status": "INTEGER",
    "etag": "VARCHAR",
    "last_modified": "VARCHAR",
    "sha256": "VARCHAR",
    "bytes": "BIGINT",
    "outcome": "VARCHAR",
    "reason": "VARCHAR",
    "saved_as": "VARCHAR",  # relative to the raw folder
}

RECONCILIATION_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "extraction_id": "VARCHAR",
    "source_file": "VARCHAR",
    "check": "VARCHAR",
    "table_type": "VARCHAR",
    "page": "INTEGER",
    "code": "VARCHAR",
    "name": "VARCHAR",
    "measure": "VARCHAR",
    "expected": "DOUBLE",
    "found": "DOUBLE",
    "tolerance": "DOUBLE",
}

INVENTORY_COLUMNS: dict[str, str] = {
    "partition_key": "VARCHAR",
    "sha256": "VARCHAR",
    "source_files": "VARCHAR",
}

# Every line table of a document lands in one file of this folder, told apart by `table_type` (LINE_COLUMNS):
# one file per document, not one per table type, keeps the landing zone at a few files per document for
# DuckDB to list and open at every build.
LINE_TABLES_FOLDER = "table_lines"
# Landing tables that are not line tables.
NON_LINE_TABLES: dict[str, dict[str, str]] = {
    "document_tables": DOCUMENT_TABLE_COLUMNS,
    "check_results": CHECK_COLUMNS,
    "reconciliation_failures": RECONCILIATION_COLUMNS,
    "narrative_figures": NARRATIVE_COLUMNS,
    "raw_inventory": INVENTORY_COLUMNS,
    "documents": DOCUMENT_COLUMNS,  # written last: the commit point of a document
    "run_failures": RUN_FAILURE_COLUMNS,  # not written by extraction
    "fetches": FETCH_COLUMNS,  # not written by extraction
}
STALE_AFTER_SECONDS = 600  # far longer than one document's extraction
EXTRACTION_SEPARATOR = "~"  # <partition_key>~<extraction_id>.parquet; partition keys never contain it


_WORKER_ENGINE: tuple[int, duckdb.DuckDBPyConnection] | None = None


def keep_engine_in_this_worker() -> None:
    """Give this extraction worker one in-memory DuckDB for all its Parquet writes.

    Opening an in-memory database costs about 25 ms, a quarter of landing one document. Workers start
    no processes, so keeping one is safe there; elsewhere each write opens and closes its own.
    """
    global _WORKER_ENGINE
    # one thread: the workers already keep both cores busy
    _WORKER_ENGINE = (os.getpid(), duckdb.connect(config={"threads": 1}))


def _engine() -> duckdb.DuckDBPyConnection:
    """A connection of its own for one batch of writes: a cursor on the worker's engine, else a new database."""
    if _WORKER_ENGINE is not None and _WORKER_ENGINE[0] == os.getpid():
        return _WORKER_ENGINE[1].cursor()
    return duckdb.connect()


def columns_for(table: str) -> dict[str, str]:
    return NON_LINE_TABLES.get(table, LINE_COLUMNS)


def write_document(landing_dir: Path, partition_key: str, frames: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Write one document's tables, then commit by replacing its `documents` row, then drop stale files.

    Every table but `documents` is written under a name carrying the extraction id, so a crash before
    the commit leaves the previous extraction's files, and the `documents` row pointing at them, intact.
    A table without rows (no reconciliation failures, a quarantined document's lines) writes no file:
    staging reads a document's rows by its extraction id, and the schema files keep every glob typed.
    """
    extraction_id = str(frames["documents"]["extraction_id"].iloc[0])
    written: dict[str, Path] = {}
    with _engine() as con:
        for table in sorted(name for name, frame in frames.items() if name != "documents" and len(frame)):
            written[table] = landing_dir / table / f"{partition_key}{EXTRACTION_SEPARATOR}{extraction_id}.parquet"
            _write_atomically(frames[table], columns_for(table), written[table], con)
        written["documents"] = landing_dir / "documents" / f"{partition_key}.parquet"
        _write_atomically(frames["documents"], DOCUMENT_COLUMNS, written["documents"], con)  # the commit point
    drop_stale_files(landing_dir, partition_key, keep=set(written.values()))
    return written


def drop_stale_files(landing_dir: Path, partition_key: str, keep: set[Path]) -> None:
    """Remove earlier extractions' files, but only old ones: a concurrent run's newer files may be in flight."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for stale in landing_dir.glob(f"*/{partition_key}{EXTRACTION_SEPARATOR}*.parquet"):
        if stale not in keep and stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


def _write_atomically(frame: pd.DataFrame, columns: dict[str, str], target: Path, con=None) -> None:
    tmp = _temporary_name(target)
    _write_parquet(frame, columns, tmp, con)
    tmp.replace(target)


def _temporary_name(target: Path) -> Path:
    return target.with_name(f".{target.stem}.{os.getpid()}.tmp.parquet")


def schema_file(table: str) -> str:
    """`_schema-<digest of the table's columns>.parquet`: a column added to a landing table gets a new empty
    file, so dbt's sources see the column even where every file was written before it existed."""
    digest = hashlib.sha256(repr(list(columns_for(table).items())).encode()).hexdigest()[:12]
    return f"_schema-{digest}.parquet"


def ensure_schema_files(landing_dir: Path, tables: list[str]) -> None:
    """Give every landing table an empty, typed file so dbt's `read_parquet` glob never matches nothing."""
    missing = [table for table in tables if not (landing_dir / table / schema_file(table)).exists()]
    if not missing:
        return
    with _engine() as con:
        for table in missing:
            current = landing_dir / table / schema_file(table)
            _write_parquet(pd.DataFrame(), columns_for(table), current, con)
            for earlier in current.parent.glob("_schema*.parquet"):
                if earlier != current and EXTRACTION_SEPARATOR not in earlier.name:
                    earlier.unlink(missing_ok=True)


def _write_parquet(frame: pd.DataFrame, columns: dict[str, str], target: Path, con=None) -> None:
    """Typed Parquet through DuckDB (no pyarrow needed); pass `con` to write many files with one connection.

    The frame goes to DuckDB as one typed list per column, unnested side by side: registering a pandas
    frame costs DuckDB a few milliseconds whatever its size, more than writing a document's rows.
    """
    if con is None:
        with _engine() as own:
            return _write_parquet(frame, columns, target, own)
    target.parent.mkdir(parents=True, exist_ok=True)
    select = ", ".join(f'UNNEST(?::{sql_type}[]) AS "{name}"' for name, sql_type in columns.items())
    values = [_column_values(frame, name) for name in columns]
    con.execute(f"COPY (SELECT {select}) TO ? (FORMAT parquet)", [*values, str(target)])


def _column_values(frame: pd.DataFrame, name: str) -> list:
    """A column as Python values, every kind of missing value (NaN, NaT, NA) as None: SQL NULL, not a NaN."""
    if name not in frame.columns:
        return [None] * len(frame)
    return [None if _missing(value) else value for value in frame[name].tolist()]


def _missing(value) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value)


def write_raw_inventory(landing_dir: Path, documents: list) -> Path:
    """What the raw folder holds now; a landed document missing from it is `removed` in the marts."""
    frame = pd.DataFrame(
        [{"partition_key": d.partition_key, "sha256": d.sha256, "source_files": "; ".join(d.paths)} for d in documents]
    )
    target = landing_dir / "raw_inventory" / "current.parquet"
    _write_atomically(frame, INVENTORY_COLUMNS, target)
    return target


def landed_documents(landing_dir: Path, partition_keys: list[str]) -> dict[str, dict]:
    """The committed `documents` rows of these partitions (one read), by partition key; absent if never landed."""
    files = [landing_dir / "documents" / f"{key}.parquet" for key in partition_keys]
    files = [str(path) for path in files if path.exists()]
    if not files:
        return {}
    with _engine() as con:
        rows = con.execute("SELECT * FROM read_parquet(?, union_by_name=true)", [files]).df().to_dict("records")
    return {row["partition_key"]: row for row in rows}


def write_run_failure(landing_dir: Path, run_id: str, rows: list[dict]) -> Path:
    """Write one failed run's rows to `run_failures/<run_id>.parquet` (replacing it: idempotent)."""
    return write_run_rows(landing_dir, "run_failures", run_id, rows)


def write_run_rows(landing_dir: Path, table: str, run_id: str, rows: list[dict]) -> Path:
    """Write one run's rows of a table not written by extraction to `<table>/<run_id>.parquet` (idempotent)."""
    target = landing_dir / table / f"{run_id}.parquet"
    _write_atomically(pd.DataFrame(rows), NON_LINE_TABLES[table], target)
    return target
