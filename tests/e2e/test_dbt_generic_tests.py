"""The project's own dbt tests: generic tests fail on bad data and say where; unit tests run here, in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")


@pytest.fixture()
def scratch_warehouse(corpus_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the corpus warehouse that a test may break, with the corpus run's landing Parquet as its own."""
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(corpus_warehouse, warehouse)
    (tmp_path / "budget").mkdir()
    (tmp_path / "budget" / "landing").symlink_to(corpus_warehouse.parent / corpus_warehouse.stem / "landing")
    return warehouse


def run_dbt_test(warehouse: Path, select: str) -> subprocess.CompletedProcess:
    """`dbt test --store-failures` on `warehouse`, with the landing folder and a target folder beside it."""
    return subprocess.run(
        [
            str(DBT),
            "test",
            "--select",
            select,
            "--store-failures",
            "--target-path",
            str(warehouse.parent / "target"),
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
            "BUDGET_LANDING_DIR": str(warehouse.parent / warehouse.stem / "landing"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        cwd=DBT_PROJECT_DIR,
        timeout=600,
    )


def stored_failures(warehouse: Path, test_name: str) -> list[tuple]:
    """The rows `dbt test --store-failures` kept for one test, in the schema dbt chose for them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((schema,),) = con.execute(
            "select table_schema from information_schema.tables where table_name = ?", [test_name]
        ).fetchall()
        return con.execute(f"select * from {schema}.{test_name} order by all").fetchall()


def test_each_rule_is_its_own_test_and_fails_on_its_broken_rows_only(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as con:
        table = "marts.fct_budget_summary"
        blanked = con.execute(f"update {table} set department_name = null where fiscal_year = 2019").fetchone()[0]
        (first_2018,) = con.execute(f"select min(department_id) from {table} where fiscal_year = 2018").fetchone()
        con.execute(f"insert into {table} from {table} where department_id = ? and fiscal_year = 2018", [first_2018])
        relabelled = con.execute(
            f"update {table} set quality_status = 'checked' where fiscal_year = 2017"
            f" and department_id = (select min(department_id) from {table} where fiscal_year = 2017)"
        ).fetchone()[0]
    assert (blanked, relabelled) == (3, 1)  # the three Jiangsu departments' 2019 budgets; one 2017 row

    result = run_dbt_test(scratch_warehouse, "fct_budget_summary,test_type:generic")

    assert result.returncode == 1, result.stdout[-2000:]
    failed = {
        "not_null_fct_budget_summary_department_name",
        "unique_key_fct_budget_summary",
        "accepted_values_fct_budget_summary_quality_status",
    }
    for name in failed:
        assert f"Failure in test {name}" in result.stdout
    # its other rules, and the relationships tests of the marts that reference it, still pass
    assert "PASS=5 " in result.stdout and "ERROR=3 " in result.stdout
    assert len(stored_failures(scratch_warehouse, "not_null_fct_budget_summary_department_name")) == 3
    assert stored_failures(scratch_warehouse, "unique_key_fct_budget_summary") == [
        (first_2018, 2018, "department", "budget", 2)
    ]
    assert stored_failures(scratch_warehouse, "accepted_values_fct_budget_summary_quality_status") == [("checked", 1)]


def test_every_generic_test_passes_on_the_corpus(scratch_warehouse):
    result = run_dbt_test(scratch_warehouse, "test_type:generic")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "PASS=152 " in result.stdout and " ERROR=0" in result.stdout  # one test per rule, ops.fetches too


def test_a_value_missing_from_the_referenced_model_fails_its_relationships_test(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as con:
        (department_id, years) = con.execute(
            "select department_id, count(*) from marts.mart_department_year_over_year"
            " group by department_id order by department_id limit 1"
        ).fetchone()
        con.execute("delete from marts.dim_department where department_id = ?", [department_id])

    result = run_dbt_test(scratch_warehouse, "mart_department_year_over_year,test_name:relationships")

    assert result.returncode == 1, result.stdout[-2000:]
    assert "Failure in test relationships_mart_department_year_over_year_department_id" in result.stdout
    assert years >= 1
    assert (
        stored_failures(scratch_warehouse, "relationships_mart_department_year_over_year_department_id")
        == [(department_id,)] * years
    )


def test_unit_tests_run_in_ci_because_production_builds_exclude_them(scratch_warehouse):
    from orchestration.defs.dbt import dbt_build_args

    assert dbt_build_args()[1:3] == ["--exclude-resource-type", "unit_test"]
    # dbt reads the column types of a unit test's inputs from the warehouse
    result = run_dbt_test(scratch_warehouse, "test_type:unit")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Finished running 7 unit tests" in result.stdout
    assert "PASS=7 " in result.stdout


def reprint_in_yuan(con, table_type: str, extra_yuan_per_class: int, extra_yuan_on_total: int) -> None:
    """One department-year's function table as if printed in whole 元: class lines a few 元 over their
    万元 figure, so that the two-decimal 万元 amounts of staging no longer add up exactly."""
    key = con.execute(
        f"select department_id, fiscal_year from intermediate.int_table_lines where table_type = '{table_type}'"
        " order by all limit 1"
    ).fetchone()
    where = f"table_type = '{table_type}' and department_id = ? and fiscal_year = ?"
    classes = con.execute(
        f"select count(distinct code) from intermediate.int_table_lines where {where} and length(code) = 3", key
    ).fetchone()[0]
    con.execute(
        "update intermediate.int_table_lines set unit = '元', raw_value = format('{:d}', amount_printed::bigint),"
        " amount_printed = round(amount_printed * 10000)"
        f" + case when length(code) = 3 then {extra_yuan_per_class} else 0 end"
        f" + case when item = 'total' then {classes * extra_yuan_per_class + extra_yuan_on_total} else 0 end"
        f" where {where} and measure = 'total'",
        key,
    )
    con.execute(
        "update intermediate.int_table_lines set amount = round(amount_printed / 10000, 2)"
        f" where {where} and measure = 'total'",
        key,
    )


@pytest.mark.parametrize(("off_by", "failures"), [(0, 0), (1_000, 1)])
def test_a_table_printed_in_yuan_is_checked_on_its_printed_figures(scratch_warehouse, off_by, failures):
    """Rounding to 0.01 万元 (100 元) must not fail a 元 table that adds up; 1,000 元 off must."""
    with duckdb.connect(str(scratch_warehouse)) as con:
        reprint_in_yuan(con, "function_general_public", extra_yuan_per_class=49, extra_yuan_on_total=off_by)

    result = run_dbt_test(scratch_warehouse, "assert_function_classes_add_up_to_total")

    assert result.returncode == (1 if failures else 0), result.stdout[-2000:]
    assert f"Got {failures} result" in result.stdout if failures else "PASS=1" in result.stdout
