"""Cell texts found by bisection are pdfplumber's own `Table.extract()`, merged and empty cells included."""

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from orchestration.extraction.grids import cell_texts, read_page
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
