"""Printing a `TableModel` the ways publications do: header rows made from the columns' header paths, figures in
元 / 千元 / 万元, borders as lines, as a rectangle per cell, or horizontal rules only, tables longer than a page
continued with or without their title and header, portrait or landscape pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from orchestration.samples.layout import FONT, paragraph, register_font
from orchestration.samples.layout import build_pdf as sample_pdf
from orchestration.samples.variant_model import printed
from orchestration.samples.variant_tables import Fig, TableModel

MARGIN_X, MARGIN_Y = 40, 45
_FRAME_PADDING = 12


@dataclass(frozen=True)
class PageStyle:
    orientation: str = "portrait"  # portrait | landscape
    borders: str = "lines"  # lines | rects | hrules
    pagination: str = "repeat"  # repeat (title and header on every page) | bare (rows only) | flow
    row_height: float = 22
    font_size: float = 8.5
    commas: bool = True  # thousands separators

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.orientation == "landscape" else A4

    @property
    def width(self) -> float:
        return self.size[0] - 2 * MARGIN_X

    @property
    def height(self) -> float:
        return self.size[1] - 2 * MARGIN_Y - _FRAME_PADDING - 2


@dataclass(frozen=True)
class TitleBlock:
    number: str | None  # a line of its own above the title ("公开01表", "表1"); None: not printed
    title: str  # as printed, prefixes included
    department_label: str | None  # "部门：X"; None: the table names no department
    unit_label: str  # "单位：万元"


TITLE_HEIGHTS = (14, 30, 18)


def amount_text(fig: Fig, unit: str, commas: bool) -> str:
    value = printed(fig.yuan, unit)
    if value == 0:
        return ""
    return f"{value:,.2f}" if commas else f"{value:.2f}"


def header_rows(table: TableModel):
    """Header rows and spans from the columns' paths: equal neighbours merge across, a short path merges down."""
    depth = max(len(c.path) for c in table.cols)
    rows = [["" for _ in table.cols] for _ in range(depth)]
    spans = []
    for r in range(depth):
        j = 0
        while j < len(table.cols):
            path = table.cols[j].path
            if r >= len(path):
                j += 1
                continue
            k = j
            while (
                k + 1 < len(table.cols)
                and len(table.cols[k + 1].path) > r
                and table.cols[k + 1].path[: r + 1] == path[: r + 1]
                and (len(table.cols[k + 1].path) == r + 1) == (len(path) == r + 1)
            ):
                k += 1
            rows[r][j] = path[r]
            bottom = depth - 1 if r == len(path) - 1 else r
            if k > j or bottom > r:
                spans.append(((j, r), (k, bottom)))
            j = k + 1
    return rows, spans


class BoxedTable(Table):
    """A table whose cells are drawn as rectangles (one `re` operator per cell or merged cell), as some
    publishing tools draw them, instead of ruling lines."""

    def draw(self):
        super().draw()
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.black)
        done = set()
        spans = getattr(self, "_spanRanges", None) or {
            (c, r): (c, r, c, r) for c in range(self._ncols) for r in range(self._nrows)
        }
        for _, bounds in sorted(spans.items()):
            if bounds is None or bounds in done:
                continue
            done.add(bounds)
            c0, r0, c1, r1 = bounds
            x0, x1 = self._colpositions[c0], self._colpositions[c1 + 1]
            top, bottom = self._rowpositions[r0], self._rowpositions[r1 + 1]
            canvas.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        canvas.restoreState()


def _fit(text: str, width: float, font_size: float, header: bool):
    """Cell text as printed: a string when it fits its cell, else a paragraph wrapped inside the cell (never text
    running into the next cell, which no publication prints)."""
    if not text or stringWidth(text, FONT, font_size) <= width - 4:
        return text
    size = font_size if header else max(6.0, font_size - 1.5)
    style = ParagraphStyle(
        "cell", fontName=FONT, fontSize=size, leading=size + 1.5, wordWrap="CJK", alignment=TA_CENTER if header else 0
    )
    return Paragraph(text, style)


def _header_height(head: list[list[str]], widths: list[float], spans, style: PageStyle) -> list[float]:
    """Each header row tall enough for its wrapped texts (a merged cell shares the rows it spans)."""
    spanned = {a: b for a, b in spans}
    heights = [style.row_height] * len(head)
    for r, row in enumerate(head):
        for j, text in enumerate(row):
            if not text:
                continue
            end = spanned.get((j, r), (j, r))
            width = sum(widths[j : end[0] + 1]) - 4
            lines = -(-stringWidth(text, FONT, style.font_size) // max(width, 1))
            need = lines * (style.font_size + 1.5) + 6
            rows = end[1] - r + 1
            if need > heights[r] * rows:
                heights[r] = max(heights[r], need / rows)
    return heights


def _table(table: TableModel, style: PageStyle, unit: str, head: list[list[str]], spans, body, body_spans):
    register_font()
    widths = _widths(table, style)
    spanned = {a: b for a, b in spans}
    head_cells = [
        [
            _fit(text, sum(widths[j : spanned.get((j, r), (j, r))[0] + 1]), style.font_size, True)
            for j, text in enumerate(row)
        ]
        for r, row in enumerate(head)
    ]
    body_cells = [
        [
            amount_text(c, unit, style.commas)
            if isinstance(c, Fig)
            else _fit(c or "", widths[j], style.font_size, False)
            for j, c in enumerate(row)
        ]
        for row in body
    ]
    cls = BoxedTable if style.borders == "rects" else Table
    heights = _header_height(head, widths, spans, style) + [style.row_height] * len(body)
    grid = cls(head_cells + body_cells, colWidths=widths, rowHeights=heights)
    n = len(head)
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, style.font_size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if n:
        commands.append(("ALIGN", (0, 0), (-1, n - 1), "CENTER"))
    if style.borders == "lines":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif style.borders == "hrules":
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black),
        ]
    for j, col in enumerate(table.cols):
        commands.append(("ALIGN", (j, n), (j, -1), {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[col.align]))
    commands += [("SPAN", a, b) for a, b in spans]
    commands += [("SPAN", (a[0], a[1] + n), (b[0], b[1] + n)) for a, b in body_spans]
    # an amount wider than its column is set smaller, as publications do, never run into the next cell
    for r, row in enumerate(body_cells, start=n):
        for j, text in enumerate(row):
            if isinstance(text, str) and isinstance(body[r - n][j], Fig):
                size = style.font_size
                while size > 5 and stringWidth(text, FONT, size) > widths[j] - 5:
                    size -= 0.5
                if size < style.font_size:
                    commands.append(("FONTSIZE", (j, r), (j, r), size))
    grid.setStyle(TableStyle(commands))
    return grid


def _widths(table: TableModel, style: PageStyle) -> list[float]:
    total = sum(c.weight for c in table.cols)
    usable = style.width - _FRAME_PADDING
    return [usable * c.weight / total for c in table.cols]


def _title_block(block: TitleBlock, style: PageStyle) -> Table:
    width = style.width - _FRAME_PADDING
    rows, heights, commands = [], [], [("FONT", (0, 0), (-1, -1), FONT, 9)]
    if block.number:
        rows.append([block.number, ""])
        heights.append(TITLE_HEIGHTS[0])
        commands.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    rows.append([block.title, ""])
    heights.append(TITLE_HEIGHTS[1])
    t = len(rows) - 1
    size = 15.0  # a long title (department and year in front) is set smaller to stay on the page
    while size > 9 and stringWidth(block.title, FONT, size) > width - 10:
        size -= 0.5
    commands += [("FONT", (0, t), (-1, t), FONT, size), ("SPAN", (0, t), (1, t)), ("ALIGN", (0, t), (-1, t), "CENTER")]
    rows.append([block.department_label or "", block.unit_label])
    heights.append(TITLE_HEIGHTS[2])
    last = len(rows) - 1
    commands += [
        ("ALIGN", (1, last), (1, last), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    table = Table(rows, colWidths=[width * 0.7, width * 0.3], rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def table_flowables(
    table: TableModel, block: TitleBlock, style: PageStyle, unit: str, first: bool, pages: dict[str, list[int]]
) -> list:
    """The title block and the table; a table longer than the page is continued on the next pages (its title
    block and header repeated, or its rows alone), or left to reportlab to break (`flow`). `pages` gets the
    pages the table is printed on, under its table type."""
    head, spans = header_rows(table)
    mark = table.table_type
    if style.pagination == "flow":
        grid = _table(table, style, unit, head, spans, table.rows, table.body_spans)
        grid.repeatRows = len(head) if style.row_height < 22 else 0
        return [
            Spacer(1, 14),
            PageMark(mark, pages),
            _title_block(block, style),
            grid,
            *_note(table),
            PageMark(mark, pages),
        ]
    title_height = sum(TITLE_HEIGHTS[1:]) + (TITLE_HEIGHTS[0] if block.number else 0)
    head_height = sum(_header_height(head, _widths(table, style), spans, style))
    first_page = int((style.height - title_height - head_height) // style.row_height)
    later = first_page if style.pagination == "repeat" else int(style.height // style.row_height)
    if table.body_spans and len(table.rows) > first_page:
        raise ValueError(f"{table.title}: spans in the body of a table that runs over pages")
    out: list = [] if first else [PageBreak()]
    out += [
        PageMark(mark, pages),
        _title_block(block, style),
        _table(table, style, unit, head, spans, table.rows[:first_page], table.body_spans),
    ]
    start = first_page
    while start < len(table.rows):
        chunk = table.rows[start : start + later]
        out += [PageBreak(), PageMark(mark, pages)]
        if style.pagination == "repeat":
            out += [_title_block(block, style), _table(table, style, unit, head, spans, chunk, [])]
        else:
            out.append(_table(table, style, unit, [], [], chunk, []))
        start += later
    return out + _note(table)


def _note(table: TableModel) -> list:
    """The line printed under a table ("注：本部门无…，故本表无数据。")."""
    return [Spacer(1, 6), paragraph(table.note, "body")] if table.note else []


def cover_flowables(lines: list[str]) -> list:
    return [
        Spacer(1, 200),
        *[paragraph(line, "cover") for line in lines],
        Spacer(1, 30),
        paragraph("（示例数据：部门名称与全部金额均为虚构，仅供测试使用）", "cover_note"),
        PageBreak(),
    ]


def build_pdf(path: Path, story: list, style: PageStyle, title: str) -> None:
    """The samples' PDF writer on the variant's page size and margins, without page numbers."""
    sample_pdf(path, story, title, pagesize=style.size, margins=(MARGIN_X, MARGIN_Y), numbered=False)


class PageMark(Flowable):
    """Draws nothing; notes the page it lands on, so the ground truth knows which pages print each table."""

    def __init__(self, label: str, pages: dict[str, list[int]]):
        super().__init__()
        self.label, self.pages = label, pages

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.pages.setdefault(self.label, []).append(self.canv.getPageNumber())
