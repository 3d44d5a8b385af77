"""The department of a document whose tables print no 部门 line comes from its cover, in either edition."""

from __future__ import annotations

import pytest

from orchestration.extraction.document import detect_department
from orchestration.extraction.pages import classify_page
from orchestration.extraction.registry import get_registry


@pytest.mark.parametrize(
    "cover",
    [
        "浙江省示例档案馆\n2025年度部门预算\n",
        "浙江省示例档案馆\n2025年度单位预算\n",
        "浙江省示例档案馆2025年单位预算\n",
        "2025年浙江省示例档案馆单位预算\n",
    ],
)
def test_the_department_on_the_cover_of_either_edition(cover):
    registry = get_registry()
    tables = "1.收支总表\n单位：元\n项目 预算数\n收入总计 1,000.00\n"
    scans = [classify_page(1, cover, registry), classify_page(2, tables, registry)]

    assert detect_department(scans, registry) == "浙江省示例档案馆"
