"""Column layouts other publications use: codes in 类 | 款 | 项 columns, columns that are not ours to read."""

from __future__ import annotations

import dataclasses

from reportlab.platypus import PageBreak

from orchestration.extraction.extract import extract_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import TABLE_BUILDERS, expenditure_table, general_function_table, tables_story
from orchestration.samples.layout import build_pdf, grid_flowables
from orchestration.validation.reconciliation import reconcile


def with_code_parts(grid):
    """The Ministry of Finance's layout: 功能分类科目编码 over 类 | 款 | 项, "201" | "03" | "01" on the rows."""
    measures = grid.header[0][2:]
    header = [["功能分类科目编码", "", "", "科目名称", *measures], ["类", "款", "项", "", *[""] * len(measures)]]
    spans = [((0, 0), (2, 0))] + [((c, 0), (c, 1)) for c in range(3, 4 + len(measures))]
    body = [[row[0][:3], row[0][3:5], row[0][5:7], *row[1:]] for row in grid.body]
    widths = [22, 22, 22, grid.widths[0] + grid.widths[1] - 66, *grid.widths[2:]]
    align = "LLLL" + "R" * len(measures)
    return dataclasses.replace(grid, header=header, header_spans=spans, body=body, widths=widths, align=align)


def with_procurement_columns(grid):
    """Shenzhen's 支出总表 prints its 政府采购 amounts in a group of columns of their own, beside a blank
    结转下年资金: those amounts are not this table's figures."""
    header = [[*grid.header[0], "2019年政府采购项目"], [""] * len(grid.header[0]) + ["小计"]]
    spans = [((c, 0), (c, 1)) for c in range(len(grid.header[0]))]
    body = [[*row, "77.00"] for row in grid.body]
    return dataclasses.replace(grid, header=header, header_spans=spans, body=body, widths=[84] * 6, align="R" * 6)


def tables_with(budget, variant, path, only=None, unit="万元"):
    """The sample tables, `variant` applied to every table, or to `only`'s."""
    story = []
    for each in TABLE_BUILDERS:
        grid = variant(each(budget)) if only in (None, each) else each(budget)
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department, unit)
    build_pdf(path, story, title="tables")
    return extract_document(path, path.name)


def as_printed(budget, path):
    """The sample tables as the generator prints them: what every variant must read the same as."""
    build_pdf(path, tables_story(budget), title="tables")
    return extract_document(path, path.name)


def lines(extraction, table_type):
    table = next(t for t in extraction.tables if t.table_type == table_type)
    return [(line.code, line.name, line.values) for line in table.lines]


def test_codes_in_class_section_item_columns_read_as_whole_codes(tmp_path):
    for budget in build_sample_budgets()[:2]:
        reference = as_printed(budget, tmp_path / "reference.pdf")

        parts = tables_with(budget, with_code_parts, tmp_path / "parts.pdf", only=general_function_table)

        assert lines(parts, "function_general_public") == lines(reference, "function_general_public")
        assert {code for code, _, _ in lines(parts, "function_general_public")} >= {"201", "20103", "2010301"}
        assert parts.warnings == [] and reconcile(parts) == []


def test_amounts_in_a_column_that_is_not_ours_are_never_moved_into_ours(tmp_path):
    budget = build_sample_budgets()[0]

    extraction = tables_with(budget, with_procurement_columns, tmp_path / "tables.pdf", only=expenditure_table)

    [(_, _, values)] = lines(extraction, "expenditure_summary")
    assert values["carry_forward"] is None  # blank as printed, not the 77.00 beside it
    assert values["total"] == float(budget.total)
    assert extraction.warnings == []


def with_unit_in_headers(grid):
    """ "金额（万元）", "合计（万元）": the unit in the amount headers, no "单位：" line above the table."""
    header = [[f"{cell}（万元）" if cell in ("金额", "合计", "总计") else cell for cell in row] for row in grid.header]
    return dataclasses.replace(grid, header=header)


def with_row_numbers(grid):
    """A 序号 column first, its width taken from the name column."""
    shift = [((a[0] + 1, a[1]), (b[0] + 1, b[1])) for a, b in grid.body_spans]
    widths = [24, grid.widths[0], grid.widths[1] - 24, *grid.widths[2:]]
    return dataclasses.replace(
        grid,
        header=[["序号", *grid.header[0]]],
        body=[[str(n), *row] for n, row in enumerate(grid.body, start=1)],
        body_spans=shift,
        widths=widths,
        align="C" + (grid.align or "LL" + "R" * (len(grid.widths) - 2)),
        centered=[(c + 1, r) for c, r in grid.centered],
    )


def test_units_printed_in_the_headers_only_are_the_tables_units(tmp_path):
    budget = build_sample_budgets()[0]
    reference = as_printed(budget, tmp_path / "reference.pdf")

    headers = tables_with(budget, with_unit_in_headers, tmp_path / "headers.pdf", unit="")

    assert headers.warnings == []
    assert headers.unit == "万元"
    assert {t.table_type: t.unit for t in headers.tables} == {t.table_type: "万元" for t in reference.tables}
    for table in reference.tables:
        assert lines(headers, table.table_type) == lines(reference, table.table_type)


def test_a_row_number_column_is_not_an_amount_column(tmp_path):
    budget = build_sample_budgets()[2]  # no 单位预留机动经费 column: room for 序号 beside the names
    reference = as_printed(budget, tmp_path / "reference.pdf")

    numbered = tables_with(budget, with_row_numbers, tmp_path / "numbered.pdf", only=general_function_table)

    assert lines(numbered, "function_general_public") == lines(reference, "function_general_public")
    assert numbered.warnings == []


def test_amounts_under_a_header_the_registry_does_not_know_are_named(tmp_path):
    budget = build_sample_budgets()[0]

    def renamed(grid):
        return dataclasses.replace(grid, header=[[h.replace("项目支出", "项目经费") for h in grid.header[0]]])

    extraction = tables_with(budget, renamed, tmp_path / "tables.pdf", only=general_function_table)

    table = next(t for t in extraction.tables if t.table_type == "function_general_public")
    assert extraction.warnings == [
        f"function_general_public: page {table.pages[0]}: the amounts under '项目经费' are not read "
        "(a column header the registry does not know)"
    ]
    assert all("project" not in line.values for line in table.lines)
    assert lines(extraction, "function_general_public")[0][2]["total"] == float(budget.general_total)


def test_titles_printed_with_the_department_and_year_in_front_are_recognized(tmp_path):
    budget = build_sample_budgets()[1]
    reference = as_printed(budget, tmp_path / "reference.pdf")

    def titled_by_department_and_year(grid):
        title = grid.title.removeprefix(f"{budget.fiscal_year}年")
        return dataclasses.replace(grid, title=f"{budget.department}{budget.fiscal_year}年{title}")

    titled = tables_with(budget, titled_by_department_and_year, tmp_path / "titled.pdf")

    assert titled.warnings == []
    assert sorted(t.table_type for t in titled.tables) == sorted(t.table_type for t in reference.tables)
    for table in reference.tables:
        assert lines(titled, table.table_type) == lines(reference, table.table_type)
