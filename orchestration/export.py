"""`budget-etl export`: every table of the analyst schemas as Parquet or CSV files.

The warehouse is opened read-only, so exporting never competes with dbt (the only writer). Parquet is
written by DuckDB's own `COPY ... TO` (no pyarrow needed); CSV gets a UTF-8 byte-order mark so that
Excel opens the Chinese text correctly.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")
SCHEMAS = ("marts", "ops")
UTF8_BOM = "\ufeff".encode()


class ExportError(Exception):
    """A one-line reason the export could not run (missing warehouse, locked file, …)."""


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    table: str
    rows: int
    path: Path


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def list_tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = SCHEMAS) -> list[tuple[str, str]]:
    """(schema, table) of every table and view in `schemas`, in a stable order."""
    rows = con.execute(
        """
        select table_schema, table_name
        from information_schema.tables
        where table_catalog = current_database() and list_contains(?, table_schema)
        order by table_schema, table_name
        """,
        [list(schemas)],
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def export_warehouse(
    warehouse: Path, out_dir: Path, fmt: str = "parquet", schemas: tuple[str, ...] = SCHEMAS
) -> list[ExportedTable]:
    """Write `<out_dir>/<schema>/<table>.<fmt>` for every table of `schemas`; return what was written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose {' or '.join(FORMATS)})")
    if not warehouse.is_file():
        raise ExportError(f"warehouse not found: {warehouse}")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise ExportError(f"cannot open the warehouse {warehouse}: {str(error).splitlines()[0]}") from error
    exported = []
    with con:
        tables = list_tables(con, schemas)
        if not tables:
            raise ExportError(f"no tables in schema {' or '.join(schemas)} of {warehouse}: run `budget-etl run` first")
        for schema, table in tables:
            target = out_dir / schema / f"{table}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
            rows = con.execute(f"select count(*) from {relation}").fetchall()[0][0]
            if fmt == "parquet":
                con.execute(f"copy (select * from {relation}) to ? (format parquet, compression zstd)", [str(target)])
            else:
                write_csv_with_bom(con, relation, target)
            exported.append(ExportedTable(schema=schema, table=table, rows=rows, path=target))
    return exported


def write_csv_with_bom(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> None:
    """DuckDB writes the CSV (header, quoting, decimals as printed); the BOM goes in front of it."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con.execute(f"copy (select * from {relation}) to ? (format csv, header true)", [str(partial)])
        with target.open("wb") as out, partial.open("rb") as body:
            out.write(UTF8_BOM)
            shutil.copyfileobj(body, out)
    finally:
        partial.unlink(missing_ok=True)
