"""`make run`'s own sample disclosures go through the same pipeline and come back exactly as generated."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from conftest import run_cli

from orchestration.samples import build_sample_budgets, write_samples


@pytest.fixture(scope="module")
def samples_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("samples")
    write_samples(root / "raw" / "samples")
    warehouse = root / "warehouse" / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(root / "raw"), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "loaded: 6, quarantined: 0, failed: 0" in result.stdout
    return warehouse


@pytest.fixture(scope="module")
def samples_db(samples_warehouse):
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        yield con


def test_analysts_get_a_published_copy_of_the_built_warehouse(samples_warehouse, samples_db):
    published = samples_warehouse.with_name("budget_analysts.duckdb")
    query = "select * from marts.fct_budget_summary order by all"
    with duckdb.connect(str(published), read_only=True) as copy:
        assert copy.execute(query).fetchall() == samples_db.execute(query).fetchall()


def test_every_sample_department_year_matches_its_model(samples_db):
    for budget in build_sample_budgets():
        row = samples_db.execute(
            "select total_revenue, basic_expenditure, project_expenditure, quality_status "
            "from marts.fct_budget_summary where department_name = ? and fiscal_year = ?",
            [budget.department, budget.fiscal_year],
        ).fetchone()
        assert row == (budget.total, budget.basic_total, budget.project_total, "verified"), budget.department


def test_general_budget_function_rows_match_including_the_two_page_table(samples_db):
    for budget in build_sample_budgets():
        # the tables print a zero as a blank cell, and a blank is landed as NULL, not as 0
        expected = {
            r.code: tuple(v or None for v in (r.total, r.basic, r.project)) for r in budget.function_rows("general")
        }
        found = samples_db.execute(
            "select function_code, amount_total, amount_basic, amount_project "
            "from marts.fct_expenditure_by_function "
            "where department_name = ? and fiscal_year = ? and fund_scope = 'general_public_budget'",
            [budget.department, budget.fiscal_year],
        ).fetchall()
        assert {code: tuple(values) for code, *values in found} == expected
        pages = samples_db.execute(
            "select count(distinct source_page) from marts.fct_expenditure_by_function "
            "where department_name = ? and fiscal_year = ? and fund_scope = 'general_public_budget'",
            [budget.department, budget.fiscal_year],
        ).fetchone()[0]
        assert pages == 2
        assert all(isinstance(v, Decimal) for values in expected.values() for v in values if v is not None)


def test_three_public_expenses_match_the_model(samples_db):
    for budget in build_sample_budgets():
        three = budget.three_public
        row = samples_db.execute(
            "select total, outbound_travel, official_reception, vehicle_total, vehicle_operation "
            "from marts.fct_three_public_expenses where department_name = ? and fiscal_year = ?",
            [budget.department, budget.fiscal_year],
        ).fetchone()
        expected = (three.total, three.abroad, three.reception, three.vehicle, three.vehicle_running)
        assert row == tuple(v or None for v in expected), budget.department
