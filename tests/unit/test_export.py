"""`budget-etl export` on a tiny warehouse made here: Parquet via DuckDB, CSV with a UTF-8 BOM, read-only."""

from __future__ import annotations

import csv
from decimal import Decimal

import duckdb
import pytest
from conftest import run_cli

from orchestration.export import UTF8_BOM, ExportError, export_warehouse


@pytest.fixture()
def tiny_warehouse(tmp_path):
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema ops")
        con.execute("create schema staging")
        con.execute(
            "create table marts.dim_department (department_id varchar, department_name varchar, amount decimal(18, 2))"
        )
        con.execute(
            "insert into marts.dim_department values "
            "('dep_1', '江苏省委办公厅', 13025.38), ('dep_2', '深圳市龙华区政务服务数据管理局, \"数据\"', 22070)"
        )
        con.execute("create table ops.documents (partition_key varchar, status varchar)")
        con.execute("insert into ops.documents values ('a-1', 'loaded')")
        con.execute("create table staging.not_exported (x int)")
    return path


def test_parquet_export_writes_every_marts_and_ops_table(tiny_warehouse, tmp_path):
    out = tmp_path / "out"
    exported = export_warehouse(tiny_warehouse, out, "parquet")

    assert [(t.schema, t.table, t.rows) for t in exported] == [("marts", "dim_department", 2), ("ops", "documents", 1)]
    rows = duckdb.sql(f"select * from read_parquet('{out / 'marts' / 'dim_department.parquet'}') order by 1").fetchall()
    assert rows[0] == ("dep_1", "江苏省委办公厅", Decimal("13025.38"))
    assert rows[1][1] == '深圳市龙华区政务服务数据管理局, "数据"'
    assert not (out / "staging").exists()


def test_csv_export_starts_with_a_bom_and_round_trips_chinese_text(tiny_warehouse, tmp_path):
    out = tmp_path / "out"
    export_warehouse(tiny_warehouse, out, "csv")

    raw = (out / "marts" / "dim_department.csv").read_bytes()
    assert raw.startswith(UTF8_BOM)
    assert raw.count(UTF8_BOM) == 1
    with (out / "marts" / "dim_department.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["department_id", "department_name", "amount"]
    assert rows[1] == ["dep_1", "江苏省委办公厅", "13025.38"]
    assert rows[2][1] == '深圳市龙华区政务服务数据管理局, "数据"'
    assert sorted(p.name for p in out.rglob("*")) == ["dim_department.csv", "documents.csv", "marts", "ops"]


def test_export_opens_the_warehouse_read_only(tiny_warehouse, tmp_path):
    # another process holding a read-only connection does not block the export (a writer would)
    with duckdb.connect(str(tiny_warehouse), read_only=True):
        exported = export_warehouse(tiny_warehouse, tmp_path / "out", "parquet")
    assert len(exported) == 2


def test_missing_warehouse_and_unknown_format_are_one_line_errors(tiny_warehouse, tmp_path):
    with pytest.raises(ExportError, match="warehouse not found"):
        export_warehouse(tmp_path / "missing.duckdb", tmp_path / "out", "csv")
    with pytest.raises(ExportError, match="unknown format"):
        export_warehouse(tiny_warehouse, tmp_path / "out", "xlsx")


def test_cli_export_subcommand(tiny_warehouse, tmp_path):
    result = run_cli("export", "--format", "csv", "--out", str(tmp_path / "out"), "--warehouse", str(tiny_warehouse))
    assert result.returncode == 0, result.stderr
    assert "marts.dim_department: 2 rows" in result.stdout
    assert (tmp_path / "out" / "ops" / "documents.csv").is_file()

    missing = run_cli("export", "--out", str(tmp_path / "o2"), "--warehouse", str(tmp_path / "nope.duckdb"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"budget-etl: warehouse not found: {tmp_path / 'nope.duckdb'}"
