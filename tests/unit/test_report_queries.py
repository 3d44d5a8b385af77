"""The report's queries give one order for one warehouse: pages do not change between two builds of it."""

import duckdb

from orchestration.report import queries


def tied_warehouse(inserted_order: list[tuple[str, str]]) -> queries.Warehouse:
    """Three departments in the comparison mart, two of them tied on rank 1 (equal amounts)."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_function_cross_department (fiscal_year int, fund_scope varchar,"
        " function_code varchar, function_level int, function_name varchar, department_id varchar,"
        " department_name varchar, amount double, rank_in_function int)"
    )
    ranks = {"dep_b": 1, "dep_a": 1, "dep_c": 3}
    for department_id, name in inserted_order:
        con.execute(
            "insert into marts.mart_function_cross_department values"
            " (2019, 'general_public_budget', '201', 1, '一般公共服务支出', ?, ?, 100, ?)",
            [department_id, name, ranks[department_id]],
        )
    con.execute(
        "create table marts.fct_expenditure_by_function (department_id varchar, fiscal_year int,"
        " fund_scope varchar, function_code varchar, source_file varchar, source_page int)"
    )
    return queries.Warehouse(con)


def test_departments_tied_on_a_rank_come_in_name_order_whatever_order_the_rows_were_stored_in():
    rows = [("dep_b", "乙局"), ("dep_c", "丙局"), ("dep_a", "甲局")]
    for stored in (rows, rows[::-1]):
        listed = [row["department_id"] for row in queries.cross_department(tied_warehouse(stored))]
        assert listed == ["dep_b", "dep_a", "dep_c"]  # rank 1: 乙局 before 甲局 (code point order), then rank 3


def budget_vs_actual_warehouse(inserted_order: list[tuple]) -> queries.Warehouse:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        f"create table marts.{queries.BUDGET_VS_ACTUAL_MART} (department_id varchar, fiscal_year int,"
        " disclosure_level varchar, line_kind varchar, line_code varchar, line_name varchar, actual double)"
    )
    for row in inserted_order:
        con.execute(f"insert into marts.{queries.BUDGET_VS_ACTUAL_MART} values (?, ?, ?, ?, ?, ?, ?)", list(row))
    return queries.Warehouse(con)


def test_budget_vs_actual_lines_of_a_year_come_in_key_order_whatever_order_the_rows_were_stored_in():
    rows = [
        ("dep_a", 2024, "department", "three_public", "total", "“三公”经费合计", 0.39),
        ("dep_b", 2024, "department", "overall", "total_expenditure", "支出总计", 603.14),
        ("dep_a", 2024, "department", "function", "2120101", "行政运行", 1092.8),
        ("dep_a", 2023, "department", "overall", "total_expenditure", "支出总计", 9000.0),
        ("dep_a", 2024, "department", "overall", "total_expenditure", "支出总计", 9859.38),
        ("dep_a", 2024, "department", "function", "212", "城乡社区支出", 2739.56),
    ]
    for stored in (rows, rows[::-1]):
        by_department = queries.budget_vs_actual(budget_vs_actual_warehouse(stored))
        assert [(r["fiscal_year"], r["line_kind"], r["line_code"]) for r in by_department["dep_a"]] == [
            (2023, "overall", "total_expenditure"),
            (2024, "function", "212"),
            (2024, "function", "2120101"),
            (2024, "overall", "total_expenditure"),
            (2024, "three_public", "total"),
        ]
        assert [r["actual"] for r in by_department["dep_b"]] == [603.14]
        assert all("department_id" not in r for r in by_department["dep_a"])  # the page prints every other column


def test_no_budget_vs_actual_mart_is_none_not_an_empty_mart():
    assert queries.budget_vs_actual(queries.Warehouse(duckdb.connect())) is None
