"""Title lines found in a page's text: a title wrapped over two lines is joined, a table's last row is never
glued to the title printed under it."""

from __future__ import annotations

from orchestration.extraction.pages import classify_page
from orchestration.extraction.registry import get_registry

REVENUE_THEN_EXPENDITURE = """2.收入预算总表
部门：某某局 单位：元
项目名称 金额
收入总计 34,168,357.30
其他资金
事业收入
3.支出总表
"""


def titles(text: str) -> list[tuple[str | None, str]]:
    return [(hit.table_type, hit.text) for hit in classify_page(1, text, get_registry()).titles]


def test_a_last_row_is_not_glued_to_the_next_tables_title():
    # "事业收入" + "3.支出总表" would read as a 收入…总表, and the 支出总表 under it as the 收入总表 continued
    assert titles(REVENUE_THEN_EXPENDITURE) == [
        ("revenue_summary", "2.收入预算总表"),
        ("expenditure_summary", "3.支出总表"),
    ]


def test_a_title_wrapped_onto_a_second_line_is_still_joined():
    text = "八、一般公共预算“三公”经费、会议费、培训费支出预\n算表\n单位：万元\n合计 1.00\n"
    assert titles(text) == [("three_public", "八、一般公共预算“三公”经费、会议费、培训费支出预算表")]
