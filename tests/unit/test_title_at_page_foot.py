"""A table whose title and unit line end one page while its grid starts the next is read in the unit printed
under its title, not the document's: a “三公” table in 万元 at the foot of a page of a document in 元."""

from __future__ import annotations

from reportlab.platypus import PageBreak

from orchestration.extraction.extract import extract_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import expenditure_table, overall_table, three_public_table
from orchestration.samples.layout import build_pdf, flowing_grid_flowables, grid_flowables


def test_the_unit_under_a_title_at_the_foot_of_a_page_is_its_tables_unit(tmp_path):
    budget = build_sample_budgets()[0]
    story = grid_flowables(overall_table(budget), budget.department, "元") + [PageBreak()]
    story += grid_flowables(expenditure_table(budget), budget.department, "元")
    # the space left under the 支出总表 holds the “三公” title block but not its grid
    story += flowing_grid_flowables(three_public_table(budget), budget.department, "万元", space_before=528)
    path = tmp_path / "foot.pdf"
    build_pdf(path, story, title="tables")

    extraction = extract_document(path, path.name)

    units = {t.table_type: (t.unit, t.pages) for t in extraction.tables}
    assert extraction.unit == "元"
    assert units["expenditure_summary"] == ("元", [2])
    assert units["three_public"] == ("万元", [3])  # its grid on the page after its title
    [line] = next(t for t in extraction.tables if t.table_type == "three_public").lines
    assert line.values["total"] == float(budget.three_public.total)
