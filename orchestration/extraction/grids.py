"""Find tables on a pdfplumber page and give each its title (or mark it a continuation of the table before).

Cells keep their positions: a row-spanning merged cell comes back as None in the rows it covers, a blank
cell as "", so the table builders can tell a merged group cell from an empty one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

from orchestration.extraction.numbers import parse_amount, squeeze_cjk_spaces
from orchestration.extraction.registry import Registry

_EPS = 1.5
_PUNCTUATION_ONLY = re.compile(r"^[\s\"'‘’“”、，,.。:：;；()（）]*$")


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    values = tuple(color)
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 1:
        return values[0] >= 0.95
    if len(values) == 3:
        return min(values) >= 0.95
    if len(values) == 4:
        return max(values) <= 0.05
    return False


def _visible(obj) -> bool:
    """Drop invisible rectangles (white fills, white hairlines) that would split the grid."""
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return True
    if obj.get("object_type") == "rect":
        filled = obj.get("fill") and not _is_white(obj.get("non_stroking_color"))
        stroked = obj.get("stroke") and not _is_white(obj.get("stroking_color"))
        return bool(filled or stroked)
    return not _is_white(obj.get("stroking_color"))


@dataclass
class Cell:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Grid:
    """One table found on one page."""

    page: int
    index: int  # order on the page (top to bottom)
    bbox: tuple[float, float, float, float]
    col_x0: list[float]  # left edge of each grid column
    rows: list[list[Cell | None]]
    title: str | None = None  # printed title when the table has one
    unit: str | None = None  # "单位：万元" printed above the table (or in its first rows); None when not printed
    table_type: str | None = None  # registry key of the title; None when unknown or continuation
    continuation: bool = False

    def prints_amounts(self) -> bool:
        return any(parse_amount(cell.text) is not None for row in self.rows for cell in row if cell is not None)

    def columns_covered(self, cell: Cell, start: int) -> list[int]:
        cols = [start]
        for j in range(start + 1, len(self.col_x0)):
            if self.col_x0[j] < cell.x1 - _EPS:
                cols.append(j)
            else:
                break
        return cols


def read_page(plumber_page, page_no: int, registry: Registry) -> list[Grid]:
    """Tables on one pdfplumber page with their titles. Closes nothing: the caller owns the page."""
    page = plumber_page.within_bbox(plumber_page.bbox)
    if _may_print_chars_twice(page.chars):
        page = page.dedupe_chars()
    page = page.filter(_visible)
    found = page.find_tables()
    if not found:
        return []
    text_lines = page.extract_text_lines(return_chars=False)
    found = sorted(found, key=lambda t: t.bbox[1])
    grids: list[Grid] = []
    prev_bottom = -1.0
    for index, table in enumerate(found):
        x0s = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})
        texts = cell_texts(table, page.chars)
        rows: list[list[Cell | None]] = []
        for row, row_text in zip(table.rows, texts, strict=False):
            cells: list[Cell | None] = []
            for bbox, text in zip(row.cells, row_text, strict=False):
                if bbox is None:
                    cells.append(None)
                else:
                    cells.append(Cell(text or "", bbox[0], bbox[2], bbox[1], bbox[3]))
            rows.append(cells)
        col_x0 = _column_edges(rows, x0s)
        grid = Grid(page=page_no, index=index, bbox=table.bbox, col_x0=col_x0, rows=rows)
        # title: the closest title-looking line between the previous table and this one
        above = [
            ln
            for ln in text_lines
            if ln["bottom"] <= table.bbox[1] + 2
            and ln["top"] >= prev_bottom - 2
            and not _PUNCTUATION_ONLY.match(ln["text"])  # quotes printed on a baseline of their own
        ]
        for k in range(len(above) - 1, -1, -1):
            title = title_of(above[k]["text"], registry)
            if k > 0 and (title is None or title[1] is None):
                # a title wrapped onto a second line ("…会议费、培训费支出预" / "算表")
                joined = title_of(above[k - 1]["text"] + above[k]["text"], registry)
                if joined is not None and joined[1] is not None:
                    title = joined
            if title:
                grid.title, grid.table_type = title
                break
        if grid.title is None:
            # some layouts draw the title inside the first (merged) cell of the grid
            for row in rows[:3]:
                for cell in row:
                    if cell is None:
                        continue
                    for part in cell.text.split("\n"):
                        title = title_of(part, registry)
                        if title and grid.title is None:
                            grid.title, grid.table_type = title
        grid.unit = _unit_of(above, rows, registry)
        grid.continuation = grid.title is None
        grids.append(grid)
        prev_bottom = table.bbox[3]
    return grids


def cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """What pdfplumber's `Table.extract()` returns, with each row's chars found by bisection.

    `Table.extract` tests every char of the page against every row of the table (rows x chars). The same
    test, a char's centre inside the box, is kept here, on only the chars whose vertical centre lies in
    the row's band, taken in page order: the texts are pdfplumber's own (tests/unit/test_cell_texts.py).
    """
    by_height = sorted(((char["top"] + char["bottom"]) / 2, i) for i, char in enumerate(chars))
    heights = [height for height, _ in by_height]
    rows = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        band = sorted(i for _, i in by_height[bisect_left(heights, top) : bisect_left(heights, bottom)])
        row_chars = [chars[i] for i in band if _centre_in(chars[i], row.bbox)]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            inside = [char for char in row_chars if _centre_in(char, cell)]
            if not inside:
                texts.append("")
                continue
            one_line = _one_line_text(inside)
            texts.append(one_line if one_line is not None else extract_text(inside))
        rows.append(texts)
    return rows


def _one_line_text(chars: list[dict]) -> str | None:
    """`extract_text(chars)` for the common cell, one line of upright chars; None for any other cell.

    Most cells print one line ("1,234.50", "行政运行"). For those, pdfplumber's word and line clustering
    reduces to this: chars in x order, a word break at a blank char or at a gap wider than the x
    tolerance, words joined by one space. Building its text map for each cell costs more than the
    rest of reading the cell, so the one-line case is taken here and every other case is left to
    pdfplumber (tests/unit/test_cell_texts.py compares the two on every table of the sample documents).
    """
    upright = chars[0]["upright"]
    tops = [char["top"] for char in chars]
    # half the tolerance: far from the clustering's boundary, where float rounding could decide
    if max(tops) - min(tops) > DEFAULT_Y_TOLERANCE / 2 or any(char["upright"] != upright for char in chars):
        return None  # more than one line, or rotated text mixed in: pdfplumber's clustering decides
    words: list[str] = []
    word: list[str] = []
    previous_x1 = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if not text:
            return None  # an empty char is a word of its own in pdfplumber
        if text.isspace():
            if word:
                words.append("".join(word))
            word, previous_x1 = [], None
            continue
        if word and char["x0"] > previous_x1 + DEFAULT_X_TOLERANCE:
            words.append("".join(word))
            word = []
        word.append(LIGATURES.get(text, text))
        previous_x1 = char["x1"]
    if word:
        words.append("".join(word))
    return " ".join(words)


def _centre_in(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    """pdfplumber's test in `Table.extract`: the char's centre in the box, its right and bottom edges excluded."""
    v_mid = (char["top"] + char["bottom"]) / 2
    h_mid = (char["x0"] + char["x1"]) / 2
    x0, top, x1, bottom = bbox
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def _unit_of(above: list[dict], rows: list[list[Cell | None]], registry: Registry) -> str | None:
    """The unit printed nearest above the table, else in its first rows (a header cell "单位：元")."""
    texts = [ln["text"] for ln in reversed(above)]
    texts += [cell.text for row in rows[:2] for cell in row if cell is not None]
    for text in texts:
        m = registry.unit_pattern.search(text)
        if m:
            return m.group(1)
    for row in rows[:3]:  # no unit line: a unit printed in a header cell ("金额（万元）")
        for cell in row:
            m = registry.header_unit_pattern.search(cell.text) if cell is not None else None
            if m:
                return m.group(1)
    return None


def _may_print_chars_twice(chars: list[dict]) -> bool:
    """Some PDFs print a character twice at (almost) the same place (a fake bold).

    pdfplumber's `dedupe_chars` removes such copies (same text within 1 pt) but costs as much as
    reading the page's tables; most pages have no copy, which a grid of 1-pt cells shows cheaply:
    a copy within 1 pt lies in the same cell or a neighbouring one. Being neighbours is symmetric, so
    looking right and down (four of the eight neighbours) from every char finds every pair.
    """
    cells = [(char["text"], int(char["x0"] // 1), int(char["top"] // 1)) for char in chars]
    seen = set(cells)
    if len(seen) < len(cells):
        return True  # two chars of the same text in one cell
    for text, x, y in cells:
        for dx, dy in _HALF_NEIGHBOURHOOD:
            if (text, x + dx, y + dy) in seen:
                return True
    return False


_HALF_NEIGHBOURHOOD = ((1, -1), (1, 0), (1, 1), (0, 1))


def title_of(text: str, registry: Registry) -> tuple[str, str | None] | None:
    line = squeeze_cjk_spaces(text)
    if not line or len(line) > 60:
        return None
    table_type = registry.match_title(line)
    if table_type is not None:
        return registry.title_key(line) and _printed_title(line, registry), table_type
    if registry.looks_like_title(line):
        return _printed_title(line, registry), None
    return None


def _printed_title(line: str, registry: Registry) -> str:
    raw = re.sub(r"\s+", "", line)
    for pattern in registry.title_prefixes:
        stripped = pattern.sub("", raw, count=1)
        if stripped != raw:
            return stripped
    return raw


def _column_edges(rows: list[list[Cell | None]], x0s: list[float]) -> list[float]:
    width = max((len(r) for r in rows), default=0)
    edges: list[float | None] = [None] * width
    for row in rows:
        for j, cell in enumerate(row):
            if cell is not None and (edges[j] is None or cell.x0 < edges[j]):
                edges[j] = cell.x0
    # a column that never starts a cell: interpolate from its neighbours
    for j in range(width):
        if edges[j] is None:
            left = next((edges[k] for k in range(j - 1, -1, -1) if edges[k] is not None), 0.0)
            edges[j] = left + 0.01 * (j + 1)
    return [float(e) for e in edges]
