"""reportlab building blocks in the look of a Jiangsu 部门预算公开 PDF.

Text is set in the built-in CID font STSong-Light (no font file needed; pdfplumber reads it back).
Tables are ruled grids (GRID style) so lattice table detection finds every cell. A table longer
than a page is paginated here, not by reportlab, so each page repeats the title block and the
header rows and the break falls at the same row on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
PAGE = A4
MARGIN_X, MARGIN_Y = 45, 50
WIDTH = PAGE[0] - 2 * MARGIN_X  # 505.3 pt of usable width
ROW_H = 24  # grid row height (the published tables are airy)
TITLE_BLOCK = (16, 34, 20)  # 公开NN表 / title / 部门…单位 rows
_FRAME_PADDING = 12  # SimpleDocTemplate's frame pads 6 pt on each side

_NUMERALS = "一二三四五六七八九十"


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def cn_ordinal(n: int) -> str:
    """1 -> 一, 11 -> 十一, 21 -> 二十一 (enough for the 21 function classes)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return _NUMERALS[n // 10 - 1] + "十" + (_NUMERALS[n % 10 - 1] if n % 10 else "")


def amount(value: Decimal | None) -> str:
    """Table cell text: thousands separators, 2 places; zero and missing print blank."""
    return "" if value is None or value == 0 else f"{value:,.2f}"


def figure(value: Decimal) -> str:
    """Narrative text: always printed, even when zero."""
    return f"{value:,.2f}"


STYLES = {
    "cover": ParagraphStyle("cover", fontName=FONT, fontSize=22, leading=34, alignment=TA_CENTER),
    "cover_note": ParagraphStyle("cover_note", fontName=FONT, fontSize=10, leading=16, alignment=TA_CENTER),
    "part": ParagraphStyle(
        "part", fontName=FONT, fontSize=16, leading=28, alignment=TA_CENTER, spaceBefore=6, spaceAfter=10
    ),
    "heading": ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24, spaceBefore=4),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=11, leading=21, firstLineIndent=22, wordWrap="CJK"),
    "toc": ParagraphStyle("toc", fontName=FONT, fontSize=12, leading=24),
}


def paragraph(text: str, style: str = "body") -> Paragraph:
    register_font()  # a Paragraph resolves its font when it is made
    return Paragraph(text, STYLES[style])


@dataclass
class Grid:
    """One published table: title, ruled header rows and body rows (cell text)."""

    number: int  # printed as 公开NN表
    title: str
    header: list[list[str]]
    body: list[list[str]]
    widths: list[float]
    header_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    body_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # body coords
    align: str = ""  # one letter per column for the body: L, C or R (default: first columns L, rest R)
    font_size: float = 9
    centered: list[tuple[int, int]] = field(default_factory=list)  # body cells (col, row) to center


def rows_per_page(grid: Grid) -> int:
    available = PAGE[1] - 2 * MARGIN_Y - _FRAME_PADDING - 2
    return int((available - sum(TITLE_BLOCK) - len(grid.header) * ROW_H) // ROW_H)


def grid_flowables(grid: Grid, department: str, unit: str = "万元", ruled: bool = True) -> list:
    """Title block + grid per page; a long body is cut into pages that each repeat title and header.

    `ruled=False` prints the cells without their lines, as some publications do."""
    per_page = rows_per_page(grid)
    starts = range(0, max(len(grid.body), 1), per_page)
    if grid.body_spans and len(starts) > 1:
        raise ValueError(f"{grid.title}: spans in the body of a table that runs over pages")
    flowables: list = []
    for start in starts:
        if start:
            flowables.append(PageBreak())
        flowables.append(_title_block(grid, department, unit))
        flowables.append(_grid_table(grid, start, grid.body[start : start + per_page], ruled))
    return flowables


def flowing_grid_flowables(
    grid: Grid, department: str, unit: str = "万元", repeat_header: bool = True, space_before: float = 12
) -> list:
    """Title block + one grid that reportlab breaks wherever the page ends, repeating the header rows or not:
    tables set one after another (a Word document's), so a title can end one page and its grid start the
    next, or a header be cut between two pages."""
    table = _grid_table(grid, 0, grid.body)
    table.repeatRows = len(grid.header) if repeat_header else 0
    return [Spacer(1, space_before), _title_block(grid, department, unit), table]


def _title_block(grid: Grid, department: str, unit: str) -> Table:
    rows = [[f"公开{grid.number:02d}表", ""], [grid.title, ""], [f"部门：{department}", f"单位：{unit}"]]
    table = Table(rows, colWidths=[WIDTH * 0.7, WIDTH * 0.3], rowHeights=list(TITLE_BLOCK))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 1), (-1, 1), FONT, 16),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (1, 1)),
                ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                ("ALIGN", (1, 2), (1, 2), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _grid_table(grid: Grid, start: int, body: list[list[str]], ruled: bool = True) -> Table:
    """The header rows and body rows start.. (start is the body index of the first row shown)."""
    head = len(grid.header)
    data = [list(r) for r in grid.header] + [list(r) for r in body]
    table = Table(data, colWidths=grid.widths, rowHeights=[ROW_H] * len(data))
    align = grid.align or "L" * (len(grid.widths) - 1) + "R"
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, grid.font_size),
        *([("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, head - 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for col, letter in enumerate(align):
        style.append(("ALIGN", (col, head), (col, -1), {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[letter]))
    style += [("SPAN", a, b) for a, b in grid.header_spans]
    style += [("SPAN", (a[0], a[1] + head), (b[0], b[1] + head)) for a, b in grid.body_spans]
    style += [
        ("ALIGN", (c, r - start + head), (c, r - start + head), "CENTER")
        for c, r in grid.centered
        if start <= r < start + len(body)
    ]
    table.setStyle(TableStyle(style))
    return table


def _number_pages(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(PAGE[0] / 2, MARGIN_Y / 2, str(doc.page))
    canvas.restoreState()


def build_pdf(
    path: Path,
    story: list,
    title: str,
    pagesize: tuple[float, float] = PAGE,
    margins: tuple[float, float] = (MARGIN_X, MARGIN_Y),
    numbered: bool = True,
) -> None:
    """Write story to path; invariant=1 keeps timestamps and document ids out, so bytes repeat. `numbered`
    prints a page number at each page's foot."""
    register_font()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=margins[0],
        rightMargin=margins[0],
        topMargin=margins[1],
        bottomMargin=margins[1],
        title=title,
        author="budget-warehouse sample generator",
        creator="budget-warehouse",
        subject="示例数据（虚构）",
        invariant=1,
    )
    if numbered:
        doc.build(list(story), onFirstPage=_number_pages, onLaterPages=_number_pages)
    else:
        doc.build(list(story))


def cover(title: str) -> list:
    return [
        Spacer(1, 220),
        paragraph(title, "cover"),
        Spacer(1, 40),
        paragraph("（示例数据：部门名称与全部金额均为虚构，仅供测试使用）", "cover_note"),
        PageBreak(),
    ]
