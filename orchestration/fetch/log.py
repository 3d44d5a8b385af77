"""The fetch log: one poll's records as landing Parquet, read by dbt's `ops.fetches`."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from orchestration.fetch.record import FetchRecord
from orchestration.warehouse.landing import write_run_rows

LOG_TABLE = "fetches"


def write_fetch_log(landing_dir: Path, run_id: str, records: list[FetchRecord]) -> Path:
    return write_run_rows(landing_dir, LOG_TABLE, run_id, [asdict(record) | {"run_id": run_id} for record in records])


def read_fetch_log(path: Path) -> list[dict]:
    import duckdb

    with duckdb.connect() as con:
        return con.execute("select * from read_parquet(?) order by fetched_at", [str(path)]).df().to_dict("records")
