"""The 政府采购 table's 合计 is the sum of its 品目大类: a category lost on the way is flagged."""

from __future__ import annotations

import pytest

from orchestration.extraction.extract import extract_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import tables_story
from orchestration.samples.layout import build_pdf
from orchestration.validation.reconciliation import reconcile


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    path = tmp_path_factory.mktemp("reconcile") / "tables.pdf"
    build_pdf(path, tables_story(build_sample_budgets()[0]), title="tables")
    return extract_document(path, "tables.pdf")


def procurement(extraction):
    return next(t for t in extraction.tables if t.table_type == "government_procurement")


def test_the_sample_adds_up(extraction):
    assert reconcile(extraction) == []


def test_a_lost_category_is_flagged_against_the_total(extraction):
    table = procurement(extraction)
    categories = [line for line in table.lines if line.attributes.get("level") == "category"]
    assert len(categories) == 2
    kept, lost = categories
    lines = list(table.lines)
    # the last category and every line under it, as when the page they are on is never read
    table.lines = table.lines[: table.lines.index(lost)]
    try:
        [problem] = [p for p in reconcile(extraction) if p.check == "top_level_sums_to_total"]
    finally:
        table.lines = lines
    total = next(line for line in lines if line.item == "total")
    assert (problem.name, problem.measure) == ("合计", "total")
    assert problem.found == total.values["total"]
    assert problem.expected == pytest.approx(kept.values["total"])
    assert problem.found - problem.expected == pytest.approx(lost.values["total"])
