"""The project's own generic dbt tests fail on bad data, and say where."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")


def run_dbt_test(warehouse: Path, landing: Path, select: str, target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(DBT),
            "test",
            "--select",
            select,
            "--store-failures",
            "--target-path",
            str(target),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "BUDGET_WAREHOUSE": str(warehouse),
            "BUDGET_LANDING_DIR": str(landing),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        cwd=DBT_PROJECT_DIR,
        timeout=600,
    )


def test_not_null_columns_names_the_null_column_and_counts_its_rows(corpus_warehouse, tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(corpus_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        blanked = con.execute(
            "update marts.fct_budget_summary set department_name = null where fiscal_year = 2019"
        ).fetchone()[0]
    assert blanked == 3  # the three Jiangsu departments' 2019 budgets

    result = run_dbt_test(
        warehouse,
        corpus_warehouse.parent / "landing",
        "fct_budget_summary,test_name:not_null_columns",
        tmp_path / "target",
    )

    assert result.returncode == 1, result.stdout[-2000:]
    assert "Failure in test not_null_columns_fct_budget_summary" in result.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((schema, table),) = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_name like 'not_null_columns_fct_budget_su%'"
        ).fetchall()
        rows = con.execute(f'select null_columns, rows_with_nulls from "{schema}"."{table}"').fetchall()
    assert rows == [("department_name", 3)]


def test_not_null_columns_passes_on_the_corpus(corpus_warehouse, tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(corpus_warehouse, warehouse)
    result = run_dbt_test(
        warehouse, corpus_warehouse.parent / "landing", "test_name:not_null_columns", tmp_path / "target"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "PASS=" in result.stdout and " ERROR=0" in result.stdout
