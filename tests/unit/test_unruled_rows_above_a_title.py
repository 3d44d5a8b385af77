"""A table that prints no grid (horizontal rules only) and whose rows start at the top of a page, above the next
table's title, is named as not read: before, only a page printing no title of its own was looked at, and the
rows above a title went unmentioned."""

from __future__ import annotations

import random

from reportlab.platypus import Spacer

from orchestration.extraction.extract import extract_document
from orchestration.samples.variant_layout import PageStyle, TitleBlock, build_pdf, table_flowables
from orchestration.samples.variant_model import draw_budget
from orchestration.samples.variant_tables import expenditure_table, fiscal_overall_table, function_table


def test_rows_above_the_next_title_of_a_table_without_a_grid_are_named(tmp_path):
    budget = draw_budget(random.Random(5), "浙江省示例档案馆", 2025)
    style = PageStyle(borders="hrules", pagination="flow")
    pages: dict[str, list[int]] = {}

    def printed(table, title, first=False):
        block = TitleBlock(None, title, f"部门：{budget.department}", "单位：元")
        return table_flowables(table, block, style, "元", first=first, pages=pages)

    story = printed(expenditure_table(budget), "2025年支出总表", first=True)
    story.append(Spacer(1, 560))  # the next title ends page 1, its rows start page 2
    story += printed(fiscal_overall_table(budget), "2025年财政拨款收支总表")
    story += printed(function_table(budget, "function_general_public"), "2025年一般公共预算支出表")
    path = tmp_path / "hrules.pdf"
    build_pdf(path, story, style, title="tables")

    extraction = extract_document(path, path.name)

    assert pages["fiscal_appropriation_overall"] == [1, 2]  # title on page 1, rows on page 2
    assert extraction.tables == []
    assert (
        "fiscal_appropriation_overall: page 2: its rows continue at the top of the page, but no table was read "
        "(no ruled grid found)"
    ) in extraction.warnings
    assert extraction.pages_not_read["fiscal_appropriation_overall"] == [2]
