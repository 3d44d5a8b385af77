"""Find tables on a pdfplumber page, give each its title (or mark it a continuation), and turn the grid
into canonical lines: header rows -> column roles -> one TableLine per printed line (per side for
two-sided tables). Stitching pieces across pages happens in `TableBuilder`.

Everything is driven by cell text and cell positions, never by a fixed column index: a grid can carry
many mostly-empty columns, merged cells (None in pdfplumber's output) and wrapped labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from orchestration.extraction.model import ExtractedTable, TableLine
from orchestration.extraction.numbers import (
    clean_label,
    is_blank,
    join_code_parts,
    label_key,
    parse_amount,
    parse_code,
    squeeze_cjk_spaces,
)
from orchestration.extraction.registry import ColumnRole, Registry, TableSpec

_EPS = 1.5
_PREAMBLE = re.compile(r"(部门|单位)(名称)?\s*[:：]")
_SKIP_LINE = re.compile(r"^(注[:：]|注\d|此表为空|本表|无相关|本部门无|我单位无|备注)")


# ---------------------------------------------------------------- page level


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
    table_type: str | None = None  # registry key of the title; None when unknown or continuation
    continuation: bool = False

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
    page = plumber_page.within_bbox(plumber_page.bbox).dedupe_chars().filter(_visible)
    found = page.find_tables()
    if not found:
        return []
    text_lines = page.extract_text_lines(return_chars=False)
    found = sorted(found, key=lambda t: t.bbox[1])
    grids: list[Grid] = []
    prev_bottom = -1.0
    for index, table in enumerate(found):
        x0s = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})
        texts = table.extract()
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
            ln for ln in text_lines if ln["bottom"] <= table.bbox[1] + 2 and ln["top"] >= prev_bottom - 2
        ]
        for ln in reversed(above):
            title = _title_of(ln["text"], registry)
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
                        title = _title_of(part, registry)
                        if title and grid.title is None:
                            grid.title, grid.table_type = title
        grid.continuation = grid.title is None
        grids.append(grid)
        prev_bottom = table.bbox[3]
    return grids


def _title_of(text: str, registry: Registry) -> tuple[str, str | None] | None:
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


# ---------------------------------------------------------------- header and rows


@dataclass
class Layout:
    """Column roles of a grid, by x-position so a continuation page can reuse them."""

    col_x0: list[float]
    roles: list[ColumnRole]

    def role_at(self, x: float) -> ColumnRole:
        best = 0
        for j, x0 in enumerate(self.col_x0):
            if x0 <= x + _EPS:
                best = j
        return self.roles[best]

    def remap(self, grid: Grid) -> list[ColumnRole]:
        return [self.role_at(x0 + 2 * _EPS) for x0 in grid.col_x0]


def _cell_texts(row: list[Cell | None]) -> list[str]:
    return [c.text for c in row if c is not None and c.text and c.text.strip()]


def _is_preamble(row: list[Cell | None], registry: Registry) -> bool:
    for text in _cell_texts(row):
        flat = squeeze_cjk_spaces(text)
        if _PREAMBLE.search(flat):
            return True
        if any(_title_of(part, registry) for part in text.split("\n")):
            return True
    return False


def _is_header(row: list[Cell | None], registry: Registry) -> bool:
    texts = _cell_texts(row)
    if any(parse_amount(t) is not None for t in texts):
        return False
    if not texts:
        return True
    return sum(1 for t in texts if registry.is_header_text(t)) >= max(1, (len(texts) + 1) // 2)


def split_header(grid: Grid, registry: Registry) -> tuple[list[list[Cell | None]], int]:
    """Header rows (after dropping a title/department preamble) and the index of the first data row."""
    i = 0
    header: list[list[Cell | None]] = []
    while i < len(grid.rows):
        row = grid.rows[i]
        if not header and _is_preamble(row, registry):
            i += 1
            continue
        texts = _cell_texts(row)
        only_items = bool(texts) and all(label_key(t) in registry.function_items for t in texts)
        if _is_header(row, registry) and not (header and only_items):
            if texts:
                header.append(row)
            i += 1
            continue
        break
    return header, i


def column_roles(grid: Grid, header: list[list[Cell | None]], spec: TableSpec, registry: Registry):
    roles = []
    for j, x0 in enumerate(grid.col_x0):
        path: list[str] = []
        for row in header:
            for k, cell in enumerate(row):
                if cell is None or not cell.text.strip() or k > j:
                    continue
                if cell.x1 > x0 + _EPS and cell.x0 <= x0 + _EPS:
                    path.append(squeeze_cjk_spaces(cell.text))
        roles.append(registry.column_role(path, spec))
    return roles


# ---------------------------------------------------------------- table builder


@dataclass
class _Part:
    kind: str  # "name" | "code" | "value"
    text: str
    col: int
    role: ColumnRole


@dataclass
class TableBuilder:
    """Collects the grids of one table (over one or more pages) into an ExtractedTable."""

    spec: TableSpec
    title: str
    registry: Registry
    lines: list[TableLine] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    layout: Layout | None = None
    measures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, grid: Grid) -> None:
        header, start = split_header(grid, self.registry)
        if header:
            roles = column_roles(grid, header, self.spec, self.registry)
            if any(r.role == "measure" for r in roles):
                self.layout = Layout(grid.col_x0, roles)
        if self.layout is None:
            self.warnings.append(
                f"{self.spec.key}: page {grid.page}: no recognizable header row; table skipped"
            )
            return
        roles = self.layout.roles if self.layout.col_x0 == grid.col_x0 else self.layout.remap(grid)
        for r in roles:
            if r.role == "measure" and r.measure not in self.measures:
                self.measures.append(r.measure)
        if grid.page not in self.pages:
            self.pages.append(grid.page)
        first = True
        for row in grid.rows[start:]:
            if self._row_is_repeated_header(row):
                continue
            self._add_row(grid, row, roles, continuation_start=first and grid.continuation)
            first = False

    def _row_is_repeated_header(self, row) -> bool:
        texts = _cell_texts(row)
        if not texts or any(parse_amount(t) is not None for t in texts):
            return False
        if all(self._item(clean_label(t), None) is not None for t in texts):
            return False  # "合计" with blank amounts is a line, not a header
        return all(self.registry.is_header_text(t) for t in texts)

    def _classify(self, grid: Grid, row, roles: list[ColumnRole]) -> list[_Part]:
        parts: list[_Part] = []
        for j, cell in enumerate(row):
            if cell is None or is_blank(cell.text):
                continue
            cols = grid.columns_covered(cell, j)
            covered = [roles[c] for c in cols if c < len(roles)]
            text = cell.text
            measure_cols = [c for c in cols if c < len(roles) and roles[c].role == "measure"]
            text_cols = [
                c
                for c in cols
                if c < len(roles) and roles[c].role in ("name", "unit_name", "code", "code_part")
            ]
            amount = parse_amount(text)
            code_cols = [c for c in cols if c < len(roles) and roles[c].role in ("code", "code_part")]
            if (
                code_cols
                and parse_code(text)
                and (not measure_cols or roles[cols[0]].role in ("code", "code_part"))
            ):
                parts.append(_Part("code", text, code_cols[0], roles[code_cols[0]]))
            elif measure_cols and amount is not None and not text_cols:
                parts.append(_Part("value", text, measure_cols[0], roles[measure_cols[0]]))
            elif text_cols and amount is None:
                parts.append(_Part("name", text, text_cols[0], roles[text_cols[0]]))
            elif amount is not None and measure_cols:
                parts.append(_Part("value", text, measure_cols[0], roles[measure_cols[0]]))
            elif amount is not None:
                # a number outside any value column: take the closest value column
                nearest = self._nearest_measure(grid, cell, roles)
                if nearest is not None:
                    parts.append(_Part("value", text, nearest, roles[nearest]))
            elif covered and any(r.role != "ignore" for r in covered):
                first = next(c for c in cols if c < len(roles) and roles[c].role != "ignore")
                parts.append(_Part("name", text, first, roles[first]))
        return parts

    @staticmethod
    def _nearest_measure(grid: Grid, cell: Cell, roles: list[ColumnRole]) -> int | None:
        centre = (cell.x0 + cell.x1) / 2
        best, best_d = None, None
        for j, role in enumerate(roles):
            if role.role != "measure":
                continue
            right = grid.col_x0[j + 1] if j + 1 < len(grid.col_x0) else grid.bbox[2]
            d = abs((grid.col_x0[j] + right) / 2 - centre)
            if best_d is None or d < best_d:
                best, best_d = j, d
        return best

    def _add_row(self, grid: Grid, row, roles: list[ColumnRole], continuation_start: bool) -> None:
        parts = self._classify(grid, row, roles)
        if not parts:
            return
        if self.spec.kind == "two_sided":
            groups: list[list[_Part]] = []
            for part in sorted(parts, key=lambda p: p.col):
                if part.kind == "name" or not groups:
                    groups.append([part])
                else:
                    groups[-1].append(part)
        else:
            groups = [parts]
        for group in groups:
            self._add_line(grid, group, continuation_start)

    def _add_line(self, grid: Grid, parts: list[_Part], continuation_start: bool) -> None:
        names = [p for p in parts if p.kind == "name"]
        codes = [p for p in parts if p.kind == "code"]
        values = [p for p in parts if p.kind == "value"]
        section = None
        if self.spec.kind == "two_sided":
            anchor = names[0] if names else parts[0]
            section = anchor.role.section
        name_text = "".join(squeeze_cjk_spaces(p.text) for p in names)
        name = clean_label(name_text)
        if not values and not codes and name and _SKIP_LINE.match(name):
            return
        if self.registry.is_header_text(name) and not values and not codes and self._item(name, None) is None:
            return
        code = None
        if codes:
            code = join_code_parts([p.text for p in sorted(codes, key=lambda p: p.col)])
            if code is None:
                code = parse_code(codes[0].text)
        # a label wrapped onto a grid row (or a page) of its own: glue it to the line above
        if (
            not values
            and not codes
            and name
            and self._is_fragment(name_text)
            and self._item(name, None) is None
        ):
            target = self._last_line(section)
            if target is not None:
                target.name = clean_label(target.name + name)
                target.item = self._item(target.name, target.code)
                return
        measures_here = self._measures_for(section)
        vals: dict[str, float | None] = {m: None for m in measures_here}
        raws: dict[str, str] = {}
        for p in values:
            measure = p.role.measure or "total"
            if raws.get(measure):
                continue
            raws[measure] = p.text.strip()
            vals[measure] = parse_amount(p.text)
        if not name and not code and not values:
            return
        line = TableLine(
            source_page=grid.page,
            line_no=len(self.lines),
            name=name,
            values=vals,
            raw_values=raws,
            code=code,
            section=section,
            item=self._item(name, code),
            table_index=grid.index,
        )
        line._unit_row = bool(names) and all(p.role.role == "unit_name" for p in names)  # type: ignore[attr-defined]
        self.lines.append(line)

    def _measures_for(self, section: str | None) -> list[str]:
        if self.layout is None:
            return []
        out = []
        for role in self.layout.roles:
            if (
                role.role == "measure"
                and role.measure not in out
                and (section is None or role.section == section)
            ):
                out.append(role.measure)
        return out

    @staticmethod
    def _is_fragment(text: str) -> bool:
        flat = squeeze_cjk_spaces(text)
        if len(flat) > 3 or clean_label(flat) != flat:
            return False
        return bool(re.fullmatch(r"[\u4e00-\u9fff（）()]+", flat))

    def _last_line(self, section: str | None) -> TableLine | None:
        for line in reversed(self.lines):
            if line.section == section:
                return line
        return None

    def _item(self, name: str, code: str | None) -> str | None:
        if code:
            return None
        return self.registry.item_for(name, self.spec)

    def build(self) -> ExtractedTable:
        lines = self.lines
        if self.spec.kind in ("function", "summary"):
            has_total = any(line.item == "total" for line in lines)
            unit_rows = [ln for ln in lines if getattr(ln, "_unit_row", False) and not ln.code]
            if not has_total and unit_rows:
                unit_rows[0].item = "total"
                for ln in unit_rows[1:]:
                    ln.item = "budget_unit"
            if self.spec.kind == "summary" and len(lines) == 1 and lines[0].item is None:
                lines[0].item = "total"
                if not lines[0].name:
                    lines[0].name = "合计"
        for i, line in enumerate(lines):
            line.line_no = i
            if hasattr(line, "_unit_row"):
                delattr(line, "_unit_row")
        return ExtractedTable(table_type=self.spec.key, title=self.title, pages=list(self.pages), lines=lines)


def header_leaked(line: TableLine, registry: Registry) -> bool:
    """True when a line's label is header text (used by tests and validation)."""
    return (
        registry.is_header_text(line.name)
        and not line.code
        and not any(v is not None for v in line.values.values())
    )


__all__ = ["Grid", "TableBuilder", "header_leaked", "label_key", "read_page"]
