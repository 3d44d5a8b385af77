"""Departments of several budget units (预算单位), Shenzhen template, through `budget-etl run` to the marts.

Two generated disclosures: one prints a 合计 row above its units, one prints its units only. Either way the
marts hold the department's figures (the sum of its units' rows), every check passes, and nothing is
warned about.
"""

from __future__ import annotations

import duckdb
import pytest
from conftest import run_cli

from orchestration.samples.shenzhen import BudgetUnit, ShenzhenSample, write_shenzhen_sample

WITH_TOTAL = ShenzhenSample()  # 深圳市龙华区示例文化局 and its 文化馆, a 合计 row above them
UNITS_ONLY = ShenzhenSample(
    department="深圳市龙华区示例体育局",
    units=[
        BudgetUnit("深圳市龙华区示例体育局", {"2070101": (1200, 0), "2080505": (40, 0)}, three_public=(2, 6, 1)),
        BudgetUnit("深圳市龙华区示例体育中心", {"2070109": (300, 800)}, three_public=(0, 3, 0)),
    ],
    print_department_total=False,
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("budget_units")
    write_shenzhen_sample(root / "raw" / "文化局.pdf", WITH_TOTAL)
    write_shenzhen_sample(root / "raw" / "体育局.pdf", UNITS_ONLY)
    warehouse = root / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(root / "raw"), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert "incomplete:" not in result.stdout and "flagged" not in result.stdout, result.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        yield con


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_every_check_passes(warehouse):
    assert rows(warehouse, "select status, count(*) from ops.documents group by all") == [("loaded", 2)]
    assert rows(warehouse, "select count(*) from ops.reconciliation_failures") == [(0,)]
    assert rows(warehouse, "select distinct quality_status from marts.fct_expenditure_by_function") == [("verified",)]


def test_function_codes_are_the_sum_over_units(warehouse):
    found = rows(
        warehouse,
        """select department_name, function_code, amount_total, amount_basic, amount_project, budget_units
           from marts.fct_expenditure_by_function where function_code in ('207', '2070109', '2080505')
           order by all""",
    )
    assert [(name, code, float(t), float(b), float(p), n) for name, code, t, b, p, n in found] == [
        ("深圳市龙华区示例体育局", "207", 2300.0, 1500.0, 800.0, 2),
        ("深圳市龙华区示例体育局", "2070109", 1100.0, 300.0, 800.0, 1),
        ("深圳市龙华区示例体育局", "2080505", 40.0, 40.0, 0.0, 1),
        # 8,590 (the bureau) + 950 (its 文化馆); 群众文化 6,290 + 950; pensions 84 + 21
        ("深圳市龙华区示例文化局", "207", 9540.0, 2900.0, 6640.0, 2),
        ("深圳市龙华区示例文化局", "2070109", 7240.0, 600.0, 6640.0, 2),
        ("深圳市龙华区示例文化局", "2080505", 105.0, 105.0, 0.0, 2),
    ]


def test_headline_and_three_public_figures_are_the_departments(warehouse):
    summary = rows(
        warehouse,
        """select department_name, total_expenditure, basic_expenditure, project_expenditure
           from marts.fct_budget_summary order by all""",
    )
    assert [(n, float(t), float(b), float(p)) for n, t, b, p in summary] == [
        ("深圳市龙华区示例体育局", 2340.0, 1540.0, 800.0),  # no 合计 printed: the units' rows added up
        ("深圳市龙华区示例文化局", 10155.0, 3005.0, 7150.0),  # its printed 合计
    ]
    profile = rows(
        warehouse,
        "select department_name, general_public_budget_expenditure from marts.mart_department_profile order by all",
    )
    assert [(n, float(t)) for n, t in profile] == [
        ("深圳市龙华区示例体育局", 2340.0),
        ("深圳市龙华区示例文化局", 10155.0),
    ]
    three_public = rows(
        warehouse,
        "select department_name, total, prior_year_total from marts.fct_three_public_expenses order by all",
    )
    assert [(n, float(t), None if p is None else float(p)) for n, t, p in three_public] == [
        ("深圳市龙华区示例体育局", 12.0, 0.0),  # 9 + 3
        ("深圳市龙华区示例文化局", 20.0, 22.0),  # 15 + 5 this year, 18 + 4 the year before
    ]


def test_performance_targets_are_read_from_a_table_of_another_geometry(warehouse):
    # 表11 as the sample generator sets it (one task per unit), not as the corpus's typesetter did
    found = rows(
        warehouse,
        """select line_kind, line_name, amount_total from marts.fct_performance_targets
           where department_name = '深圳市龙华区示例文化局' and line_kind in ('task', 'total') order by line_no""",
    )
    assert [(kind, name, float(amount)) for kind, name, amount in found] == [
        ("task", "深圳市龙华区示例文化局履职", 9184.0),
        ("task", "深圳市龙华区示例文化馆履职", 971.0),
        ("total", "金额合计", 10155.0),
    ]
    assert rows(
        warehouse,
        """select count(*) from marts.fct_performance_targets
           where department_name = '深圳市龙华区示例文化局' and line_kind = 'indicator'""",
    ) == [(4,)]


def test_document_tables_tell_absent_from_printed_but_not_extracted(warehouse):
    # the sample lists the template's eleven tables; it prints 表4 (recognized, not extracted) and not 表2, 表5
    found = dict(
        rows(
            warehouse,
            """select table_type, status from ops.document_tables
               where department_name = '深圳市龙华区示例文化局' and status <> 'found'""",
        )
    )
    assert found == {
        "revenue_summary": "listed_but_absent",
        "project_expenditure_summary": "listed_but_absent",
        "basic_expenditure_summary": "printed_not_extracted",
    }
