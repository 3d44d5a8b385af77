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


def tables_with(budget, builder, variant, path):
    story = []
    for each in TABLE_BUILDERS:
        grid = variant(each(budget)) if each is builder else each(budget)
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department)
    build_pdf(path, story, title="tables")
    return extract_document(path, path.name)


def lines(extraction, table_type):
    table = next(t for t in extraction.tables if t.table_type == table_type)
    return [(line.code, line.name, line.values) for line in table.lines]


def test_codes_in_class_section_item_columns_read_as_whole_codes(tmp_path):
    for budget in build_sample_budgets()[:2]:
        build_pdf(tmp_path / "reference.pdf", tables_story(budget), title="tables")
        reference = extract_document(tmp_path / "reference.pdf", "reference.pdf")

        parts = tables_with(budget, general_function_table, with_code_parts, tmp_path / "parts.pdf")

        assert lines(parts, "function_general_public") == lines(reference, "function_general_public")
        assert {code for code, _, _ in lines(parts, "function_general_public")} >= {"201", "20103", "2010301"}
        assert parts.warnings == [] and reconcile(parts) == []


def test_amounts_in_a_column_that_is_not_ours_are_never_moved_into_ours(tmp_path):
    budget = build_sample_budgets()[0]

    extraction = tables_with(budget, expenditure_table, with_procurement_columns, tmp_path / "tables.pdf")

    [(_, _, values)] = lines(extraction, "expenditure_summary")
    assert values["carry_forward"] is None  # blank as printed, not the 77.00 beside it
    assert values["total"] == float(budget.total)
    assert extraction.warnings == []
