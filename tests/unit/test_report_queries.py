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
