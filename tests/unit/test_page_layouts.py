"""Layouts that must read the same as one table per page: pages stored sideways, tables set one after another."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.platypus import PageBreak, Spacer

from orchestration.extraction.extract import extract_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import (
    TABLE_BUILDERS,
    contents_story,
    explanation_story,
    glossary_story,
    overview_story,
    tables_story,
)
from orchestration.samples.layout import build_pdf, cover, flowing_grid_flowables, paragraph


def stored_sideways(source: Path, target: Path) -> None:
    """Each page of `source` drawn turned a quarter anticlockwise on a landscape page marked /Rotate 90,
    so that a viewer shows exactly the page of `source`."""
    src, dest = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    for index in range(len(src)):
        width, height = src[index].get_size()
        drawn = src.page_as_xobject(index, dest).as_pageobject()
        drawn.transform(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))  # (x, y) -> (height - y, x)
        page = dest.new_page(height, width)
        page.insert_obj(drawn)
        page.gen_content()
        page.set_rotation(90)
    dest.save(str(target))


def lines_by_table(path: Path) -> dict[str, list]:
    extraction = extract_document(path, path.name)
    assert extraction.warnings == []
    return {t.table_type: [(ln.code, ln.name, ln.values) for ln in t.lines] for t in extraction.tables}


@pytest.fixture(scope="module")
def upright_and_sideways(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rotated")
    build_pdf(folder / "upright.pdf", tables_story(build_sample_budgets()[0]), title="tables")
    stored_sideways(folder / "upright.pdf", folder / "sideways.pdf")
    return folder / "upright.pdf", folder / "sideways.pdf"


def test_the_sideways_file_really_is_rotated(upright_and_sideways):
    _, sideways = upright_and_sideways
    page = pdfium.PdfDocument(str(sideways))[0]
    assert page.get_rotation() == 90
    width, height = page.get_mediabox()[2:]
    assert width > height  # stored landscape, shown portrait


def test_rotated_pages_read_line_for_line_the_same(upright_and_sideways):
    upright, sideways = upright_and_sideways
    expected = lines_by_table(upright)
    assert len(expected) == 9
    assert lines_by_table(sideways) == expected


def flowing_tables(budget, repeat_header: bool, space_before: float) -> list:
    """Every table set one after another, breaking wherever a page ends."""
    return [
        flowable
        for builder in TABLE_BUILDERS
        for flowable in flowing_grid_flowables(builder(budget), budget.department, "万元", repeat_header, space_before)
    ]


def read_back(path: Path):
    extraction = extract_document(path, path.name)
    titles = sorted((t.table_type, t.title) for t in extraction.tables)
    return extraction.pages, lines_by_table(path), titles


@pytest.fixture(scope="module")
def on_pages_of_their_own(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own_pages")
    out = []
    for index, budget in enumerate(build_sample_budgets()[:4]):
        build_pdf(folder / f"{index}.pdf", tables_story(budget), title="tables")
        out.append((budget, read_back(folder / f"{index}.pdf")))
    return out


@pytest.mark.parametrize(
    ("repeat_header", "space_before"), [(True, 12), (False, 12), (True, 40), (False, 40), (False, 80)]
)
def test_tables_set_one_after_another_read_the_same_as_tables_on_pages_of_their_own(
    tmp_path, on_pages_of_their_own, repeat_header, space_before
):
    """Wherever the pages break (a title at the foot of a page and its grid on the next, a header cut in
    two, a table's last rows alone on the next page with or without its header repeated), every table
    reads line for line and title for title as when each has pages of its own, with no warning. Four
    departments: each breaks its tables at other places."""
    for budget, (own_pages, own_lines, own_titles) in on_pages_of_their_own:
        flowing = flowing_tables(budget, repeat_header, space_before)
        build_pdf(tmp_path / "flowing.pdf", flowing, title="tables")

        pages, lines, titles = read_back(tmp_path / "flowing.pdf")

        assert pages < own_pages
        assert lines == own_lines
        assert titles == own_titles


def full_document(budget, tables: list) -> list:
    """Cover, contents, overview, 第二部分 heading, the tables, then the 情况说明 and glossary straight after."""
    stem = f"{budget.department}{budget.fiscal_year}年度部门预算公开"
    heading = paragraph(f"第二部分 {budget.fiscal_year}年度部门预算表", "part")
    front = cover(stem) + contents_story(budget) + overview_story(budget)
    return [*front, heading, *tables, Spacer(1, 12), *explanation_story(budget), *glossary_story()]


@pytest.mark.parametrize(("repeat_header", "space_before"), [(True, 40), (False, 60)])
def test_the_narrative_starting_under_a_tables_last_rows_leaves_them_read(tmp_path, repeat_header, space_before):
    """政府采购 ends at the top of the page where 第三部分 begins, its rows starting with ordinals like a
    heading ("三、服务C 295.11"): the rows are read, the narrative's figures too."""
    for budget in build_sample_budgets()[:4]:
        own_pages = full_document(budget, [PageBreak(), *tables_story(budget), PageBreak()])
        flowing = flowing_tables(budget, repeat_header, space_before)
        build_pdf(tmp_path / "own.pdf", own_pages, title="full")
        build_pdf(tmp_path / "flowing.pdf", full_document(budget, flowing), title="full")
        own, flowed = (extract_document(tmp_path / name, name) for name in ("own.pdf", "flowing.pdf"))

        assert lines_by_table(tmp_path / "flowing.pdf") == lines_by_table(tmp_path / "own.pdf")
        assert {(f.figure, f.amount) for f in flowed.narrative_figures} == {
            (f.figure, f.amount) for f in own.narrative_figures
        }
        assert (flowed.role, flowed.department_name, flowed.fiscal_year) == (
            "full",
            budget.department,
            budget.fiscal_year,
        )
