"""What the report shows, read from the marts and ops tables by column name.

The marts grow: columns are selected by name, extra columns are ignored, and the optional ones
(`quality_status`, `document_kind`, `disclosure_level`) are used only where the table has them.
Where `document_kind` exists the report shows budget rows (a 决算's figures are not a budget's); where
`disclosure_level` exists it shows, per department-year, the department's consolidated rows
(部门预算) and falls back to unit rows (单位预算) only where no department rows exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

BUDGET_VS_ACTUAL_MART = "mart_budget_vs_actual"  # issue 26: final accounts (部门决算); absent until it lands
MAIN_FUND_SCOPE = "general_public_budget"  # 一般公共预算: the scope every template prints by function
# ops.document_tables: a table was read when its status says found (`found`, `found_not_listed`, …); every
# other status is a table printed but not (fully) read, or listed in the contents and absent
TABLE_READ = "status like 'found%'"

THREE_PUBLIC_ITEMS = [  # column, label; vehicle_total already holds purchase + operation
    ("total", "“三公”合计"),
    ("outbound_travel", "因公出国（境）费"),
    ("official_reception", "公务接待费"),
    ("vehicle_total", "公务用车购置及运行费"),
    ("vehicle_purchase", "其中：公务用车购置费"),
    ("vehicle_operation", "其中：公务用车运行费"),
    ("meeting", "会议费"),
    ("training", "培训费"),
]
SUMMARY_MEASURES = [
    ("total_expenditure", "支出总计"),
    ("basic_expenditure", "基本支出"),
    ("project_expenditure", "项目支出"),
    ("reserve_expenditure", "单位预留机动经费"),
]


@dataclass(frozen=True)
class Source:
    """Where a figure is printed: the PDF (relative to the raw folder) and its 1-based page."""

    file: str | None
    page: int | None


class Warehouse:
    """A read-only connection with the few helpers every query needs."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._columns: dict[str, set[str]] = {}

    def columns(self, table: str) -> set[str]:
        """Column names of `schema.table`; empty when the table does not exist."""
        if table not in self._columns:
            schema, name = table.split(".")
            found = self.con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchall()
            self._columns[table] = {column for (column,) in found}
        return self._columns[table]

    def exists(self, table: str) -> bool:
        return bool(self.columns(table))

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def pick(self, table: str, wanted: list[str], alias: str = "") -> str:
        """`a, b, null as c`: the wanted columns, null for those the table lacks (an optional column)."""
        present = self.columns(table)
        prefix = f"{alias}." if alias else ""
        return ", ".join(f'{prefix}"{c}"' if c in present else f'null as "{c}"' for c in wanted)

    def budget_rows(self, table: str) -> str:
        """A subquery of the table's budget rows, one disclosure level per department-year (see module doc)."""
        present = self.columns(table)
        where = "where document_kind = 'budget'" if "document_kind" in present else ""
        qualify = ""
        if "disclosure_level" in present:
            qualify = (
                "qualify rank() over (partition by department_id, fiscal_year"
                " order by (disclosure_level = 'department') desc) = 1"
            )
        return f"(select * from {table} {where} {qualify})"


# -- departments and years ---------------------------------------------------------------------


def departments(wh: Warehouse) -> list[dict]:
    cols = wh.pick("marts.dim_department", ["department_id", "department_name", "region", "admin_level"])
    return wh.rows(f"select {cols} from marts.dim_department order by region, department_name")


def budget_summary(wh: Warehouse) -> list[dict]:
    """fct_budget_summary per department-year, with the page of its overall table (收支总表) as the source."""
    table = "marts.fct_budget_summary"
    wanted = [
        "department_id",
        "department_name",
        "fiscal_year",
        *[m for m, _ in SUMMARY_MEASURES],
        "source_files",
        "quality_status",
        "disclosure_level",
    ]
    cols = wh.pick(table, wanted, alias="s")
    overall = overall_table_pages(wh)
    rows = wh.rows(f"select {cols} from {wh.budget_rows(table)} as s order by s.department_name, s.fiscal_year")
    for row in rows:
        row["source"] = overall.get((row["department_id"], row["fiscal_year"]), Source(None, None))
    return rows


def overall_table_pages(wh: Warehouse) -> dict[tuple[str, int], Source]:
    """The overall table's file and first page per department-year: where the summary totals are printed."""
    if not wh.exists("ops.document_tables"):
        return {}
    found = wh.rows(
        "select department_id, fiscal_year, source_file, first_page from ops.document_tables"
        " where table_type = 'overall' and source_file is not null order by first_page"
    )
    pages: dict[tuple[str, int], Source] = {}
    for row in found:
        pages.setdefault((row["department_id"], row["fiscal_year"]), Source(row["source_file"], row["first_page"]))
    return pages


def function_classes(wh: Warehouse) -> dict[str, list[dict]]:
    """类-level (function_level 1) lines of the 一般公共预算 function table, per department, by year and code."""
    table = "marts.fct_expenditure_by_function"
    wanted = (
        "department_id fiscal_year function_code function_name amount_total amount_basic amount_project "
        "source_file source_page quality_status"
    ).split()
    return by_department(
        wh.rows(
            f"select {wh.pick(table, wanted)} from {wh.budget_rows(table)}"
            " where fund_scope = ? and function_level = 1 order by department_id, fiscal_year, function_code",
            [MAIN_FUND_SCOPE],
        )
    )


def three_public(wh: Warehouse) -> dict[str, list[dict]]:
    """fct_three_public_expenses per department, by year."""
    table = "marts.fct_three_public_expenses"
    wanted = [
        "department_id",
        "fiscal_year",
        *[c for c, _ in THREE_PUBLIC_ITEMS],
        "source_file",
        "source_page",
        "quality_status",
    ]
    return by_department(
        wh.rows(f"select {wh.pick(table, wanted)} from {wh.budget_rows(table)} order by department_id, fiscal_year")
    )


def budget_vs_actual(wh: Warehouse) -> dict[str, list[dict]] | None:
    """Rows of `marts.mart_budget_vs_actual` per department, or None while the mart does not exist."""
    table = f"marts.{BUDGET_VS_ACTUAL_MART}"
    if not wh.exists(table):
        return None
    # the mart's key after the department: one order for one warehouse, whatever order its rows are stored in
    key = [c for c in ("fiscal_year", "disclosure_level", "line_kind", "line_code") if c in wh.columns(table)]
    rows = wh.rows(f"select * from {table} order by {', '.join(['department_id', *key])}")
    grouped = by_department(rows)
    for row in rows:
        del row["department_id"]  # the page prints every other column
    return grouped


def by_department(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows grouped by their `department_id`, each group in the query's order.

    A page per department reads its rows from here: one query per table for the whole report, not one
    per department and table.
    """
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["department_id"], []).append(row)
    return grouped


# -- comparison --------------------------------------------------------------------------------


def cross_department(wh: Warehouse) -> list[dict]:
    """mart_function_cross_department, 一般公共预算, 类 and 款 lines."""
    table = "marts.mart_function_cross_department"
    wanted = (
        "fiscal_year function_code function_level function_name department_id department_name amount "
        "share_of_department_total share_of_function_total rank_in_function departments_in_function "
        "quality_status"
    ).split()
    rows = wh.rows(
        f"select {wh.pick(table, wanted)} from {wh.budget_rows(table)} where fund_scope = ? and function_level <= 2"
        # departments sharing a rank (equal amounts) in a fixed order: the same warehouse gives the same page
        " order by fiscal_year, function_code, rank_in_function, department_name, department_id",
        [MAIN_FUND_SCOPE],
    )
    sources = function_sources(wh)
    for row in rows:
        row["source"] = sources.get(
            (row["department_id"], row["fiscal_year"], row["function_code"]), Source(None, None)
        )
    return rows


def function_sources(wh: Warehouse) -> dict[tuple[str, int, str], Source]:
    """The comparison mart carries no page: the fact row of the same department, year, scope and code does."""
    table = "marts.fct_expenditure_by_function"
    found = wh.rows(
        f"select department_id, fiscal_year, function_code, source_file, source_page from {wh.budget_rows(table)}"
        " where fund_scope = ?",
        [MAIN_FUND_SCOPE],
    )
    return {
        (r["department_id"], r["fiscal_year"], r["function_code"]): Source(r["source_file"], r["source_page"])
        for r in found
    }


# -- data quality ------------------------------------------------------------------------------


def documents(wh: Warehouse) -> list[dict]:
    wanted = ["source_file", "status", "reason", "department_name", "fiscal_year", "disclosure_level", "role", "pages"]
    return wh.rows(
        f"select {wh.pick('ops.documents', wanted)} from ops.documents order by status, department_name, source_file"
    )


def documents_by_status(wh: Warehouse) -> list[dict]:
    return wh.rows("select status, count(*) as documents from ops.documents group by status order by status")


def failed_checks(wh: Warehouse) -> list[dict]:
    return wh.rows(
        'select c.source_file, d.department_name, d.fiscal_year, c."check", c.severity, c.detail'
        " from ops.check_results as c left join ops.documents as d using (source_file)"
        ' where not c.passed order by c.source_file, c."check"'
    )


def reconciliation_failures(wh: Warehouse) -> list[dict]:
    wanted = "source_file check_name table_type source_page code name measure expected found tolerance".split()
    return wh.rows(
        f"select {wh.pick('ops.reconciliation_failures', wanted)} from ops.reconciliation_failures"
        " order by source_file, source_page, code"
    )


def tables_not_read(wh: Warehouse) -> list[dict]:
    """Tables the body prints whose figures were not (or not all) read, and tables listed but absent."""
    wanted = (
        "department_id department_name fiscal_year table_type table_title source_file first_page "
        "last_page pages_not_read status"
    ).split()
    return wh.rows(
        f"select {wh.pick('ops.document_tables', wanted)} from ops.document_tables"
        f" where not ({TABLE_READ}) order by department_name, fiscal_year, table_type"
    )


def coverage(wh: Warehouse) -> dict[tuple[str, int, str | None], tuple[int, int]]:
    """(tables read, tables printed) per department-year and edition (disclosure_level, None where the table has
    none); a table listed in the contents but absent from the body is not printed."""
    level = "disclosure_level" if "disclosure_level" in wh.columns("ops.document_tables") else "null"
    found = wh.rows(
        f"select department_id, fiscal_year, {level} as disclosure_level,"
        f" count(*) filter (where {TABLE_READ}) as tables_read,"
        " count(*) filter (where status <> 'listed_but_absent') as tables_printed"
        " from ops.document_tables group by all"
    )
    return {
        (r["department_id"], r["fiscal_year"], r["disclosure_level"]): (r["tables_read"], r["tables_printed"])
        for r in found
    }


def flagged_documents(wh: Warehouse) -> list[dict]:
    """Documents not loaded, or loaded with a failed check: what an analyst should know before trusting a figure."""
    return wh.rows(
        "with failing as ("
        '  select source_file, string_agg("check", \', \' order by "check") as failed_checks'
        "  from ops.check_results where not passed group by source_file"
        ")"
        " select d.source_file, d.department_name, d.fiscal_year, d.status, d.reason, f.failed_checks"
        " from ops.documents as d left join failing as f using (source_file)"
        " where d.status in ('quarantined', 'failed') or (d.status = 'loaded' and f.failed_checks is not null)"
        " order by d.department_name, d.fiscal_year, d.source_file"
    )


def is_number(value) -> bool:
    return isinstance(value, Decimal | int | float) and not isinstance(value, bool)
