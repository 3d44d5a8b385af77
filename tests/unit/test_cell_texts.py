"""Cell texts found by bisection, one-line cells read directly, are pdfplumber's own `Table.extract()`, merged and
empty cells included."""

import pdfplumber
from pdfplumber.utils import extract_text
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from orchestration.extraction.grids import _one_line_text, cell_texts, read_page
from orchestration.extraction.registry import get_registry
from orchestration.samples import write_samples
from orchestration.samples.data import build_sample_budgets


def spanning_table_pdf(path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出"],
        ["201", "一般公共服务支出", "1,234.50", "1,000.00"],
        ["", "政府办公厅（室）及相关机构事务", "234.50", ""],  # an empty code cell, an empty amount cell
        ["20103", "行政运行", "12.00", "12.00"],
        ["合计", "", "1,481.00", "1,012.00"],  # "合计" spans the first two columns
    ]
    table = Table(rows, colWidths=[60, 200, 80, 80], rowHeights=[22, 18, 18, 18, 18])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "STSong-Light", 9),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("SPAN", (0, 4), (1, 4)),
                ("SPAN", (3, 2), (3, 3)),  # a cell spanning two rows: None in the row it covers
            ]
        )
    )
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    return path


def tables_of(path):
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                yield table, page.chars


def test_merged_and_empty_cells_come_out_as_pdfplumber_gives_them(tmp_path):
    ((table, chars),) = list(tables_of(spanning_table_pdf(tmp_path / "spans.pdf")))
    texts = cell_texts(table, chars)
    assert texts == table.extract()
    assert texts[1][:2] == ["201", "一般公共服务支出"]
    assert texts[2][0] == "" and texts[2][3] == ""  # blank cells are "", not None
    assert None in texts[3] and None in texts[4]  # the rows that merged cells cover


def test_every_table_of_the_sample_documents_reads_the_same(tmp_path):
    files = write_samples(tmp_path, build_sample_budgets()[:2])
    compared = 0
    for path in files:
        for table, chars in tables_of(path):
            assert cell_texts(table, chars) == table.extract(), f"{path.name}: {table.bbox}"
            compared += 1
    assert compared >= 10


def test_the_grid_reader_uses_them(tmp_path):
    path = spanning_table_pdf(tmp_path / "spans.pdf")
    with pdfplumber.open(str(path)) as pdf:
        (grid,) = read_page(pdf.pages[0], 1, get_registry())
    assert [cell.text if cell else None for cell in grid.rows[1]] == ["201", "一般公共服务支出", "1,234.50", "1,000.00"]


def chars_at(*placed, upright=True):
    """Chars of width 5 at (text, x0, top), as pdfplumber gives them."""
    return [
        {"text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 9, "upright": upright, "doctop": top}
        for text, x0, top in placed
    ]


def test_one_line_cells_read_as_pdfplumber_reads_them():
    cases = {
        "1,234.50": chars_at(*[(t, 100 + 5 * i, 50.0) for i, t in enumerate("1,234.50")]),
        # a gap over 3 pt splits words; one of 2.9 pt does not
        "行政 运行": chars_at(("行", 100, 50), ("政", 105, 50), ("运", 113.5, 50.4), ("行", 118.5, 50)),
        "行政运行": chars_at(("行", 100, 50), ("政", 105, 50), ("运", 112.9, 50), ("行", 117.9, 50)),
        "a b": chars_at(("a", 100, 50), (" ", 105, 50), ("b", 110, 50)),  # a blank char ends a word
        "fi": chars_at(("ﬁ", 100, 50)),  # ligatures expanded as pdfplumber does
        "合计": chars_at(("计", 105, 50), ("合", 100, 50)),  # printed out of order, read left to right
    }
    for expected, chars in cases.items():
        assert _one_line_text(chars) == extract_text(chars) == expected


def test_cells_of_more_than_one_line_or_mixed_directions_are_left_to_pdfplumber():
    two_lines = chars_at(("一", 100, 50), ("二", 100, 62))
    mixed = chars_at(("一", 100, 50)) + chars_at(("二", 105, 50), upright=False)
    empty_text = chars_at(("", 100, 50), ("二", 105, 50))
    for chars in (two_lines, mixed, empty_text):
        assert _one_line_text(chars) is None
    assert extract_text(two_lines) == "一\n二"
