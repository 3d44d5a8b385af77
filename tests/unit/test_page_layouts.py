"""Layouts that must read the same as one table per page: pages stored sideways, tables set one after another."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from orchestration.extraction.extract import extract_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import tables_story
from orchestration.samples.layout import build_pdf


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


def test_tables_set_one_after_another_read_the_same_as_tables_on_pages_of_their_own(tmp_path):
    """A title at the foot of one page with its grid on the next starts that table there: its rows are
    never added to the table above it. Four departments: each breaks its tables at other places."""
    for budget in build_sample_budgets()[:4]:
        build_pdf(tmp_path / "own_pages.pdf", tables_story(budget), title="tables")
        build_pdf(tmp_path / "flowing.pdf", tables_story(budget, flowing=True), title="tables")
        flowing = extract_document(tmp_path / "flowing.pdf", "flowing.pdf")
        assert flowing.pages < extract_document(tmp_path / "own_pages.pdf", "own_pages.pdf").pages

        assert lines_by_table(tmp_path / "flowing.pdf") == lines_by_table(tmp_path / "own_pages.pdf")
        own = extract_document(tmp_path / "own_pages.pdf", "own_pages.pdf")
        assert sorted((t.table_type, t.title) for t in flowing.tables) == sorted(
            (t.table_type, t.title) for t in own.tables
        )
