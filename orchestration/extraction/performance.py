"""The 整体支出绩效目标表 (performance targets): a form rather than a grid of figures.

It prints, one block under the other, each with a header row of its own:
  年度主要任务: 任务名称 | 主要内容 | 预算金额 (总额, 其中：财政拨款, 其中：其他资金), then 金额合计
  年度总体目标: one text cell
  年度绩效指标: 一级指标 | 二级指标 | 三级指标 | 目标值 (merged cells for the upper levels)
Columns are found by their header text (registry `columns` and `indicator_columns`) and positions, so the
indicator block continued on the next page (without a header) keeps its columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.extraction.grids import _EPS, Cell, Grid
from orchestration.extraction.model import ExtractedTable, TableLine
from orchestration.extraction.numbers import clean_label, label_key, parse_amount, squeeze_cjk_spaces
from orchestration.extraction.registry import ColumnRole, ColumnRule, Registry, TableSpec, match_rules

# item of each kind of line
TASK, TOTAL, OVERALL_GOAL, INDICATOR = "task", "total", "overall_goal", "indicator"


@dataclass
class _Columns:
    """Column roles of the block in progress, by the x-position of their header cells."""

    edges: list[tuple[float, ColumnRole]] = field(default_factory=list)

    def role_at(self, x: float) -> ColumnRole | None:
        best = None
        for x0, role in self.edges:
            if x0 <= x + _EPS:
                best = role
        return best


def _text(cell: Cell | None) -> str:
    return squeeze_cjk_spaces(cell.text) if cell is not None and cell.text else ""


@dataclass
class PerformanceBuilder:
    """Same interface as tables.TableBuilder: add(grid) for each page piece, then build()."""

    spec: TableSpec
    title: str
    registry: Registry
    lines: list[TableLine] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fiscal_year: int | None = None
    unit: str | None = None  # the first unit printed with one of the table's grids
    _mode: str | None = None  # "tasks" | "indicators"
    _columns: _Columns = field(default_factory=_Columns)
    _pending: list[tuple[float, str]] = field(default_factory=list)  # group headers above the leaf row
    _upper: dict[str, str] = field(default_factory=dict)  # indicator levels carried over merged cells

    def add(self, grid: Grid) -> None:
        if grid.page not in self.pages:
            self.pages.append(grid.page)
        self.unit = self.unit or grid.unit
        left = min(grid.col_x0) if grid.col_x0 else 0.0
        for row in grid.rows:
            self._add_row(grid, row, left)

    def _header_row(self, row: list[Cell | None], rules: tuple[ColumnRule, ...]) -> _Columns | None:
        """Columns of a header row when at least two of its cells are headers of `rules`."""
        found: list[tuple[float, ColumnRole]] = []
        for cell in row:
            role = match_rules([_text(cell)], rules) if _text(cell) else None
            if role is not None:
                found.append((cell.x0, role))
        if len(found) < 2:
            return None
        return _Columns(sorted(found, key=lambda e: e[0]))

    def _add_row(self, grid: Grid, row: list[Cell | None], left: float) -> None:
        cells = [c for c in row if c is not None and _text(c)]
        if not cells:
            return
        indicators = self._header_row(row, self.spec.indicator_rules)
        if indicators is not None:
            self._mode, self._columns, self._upper = "indicators", indicators, {}
            return
        tasks = self._header_row(row, self.spec.column_rules)
        if tasks is not None and not any(parse_amount(_text(c)) is not None for c in cells):
            if self._mode == "tasks" and self._columns.edges and all(r.role == "measure" for _, r in tasks.edges):
                # the leaf row under 预算金额: keep the name/content columns found above
                kept = [(x, r) for x, r in self._columns.edges if r.role != "measure"]
                self._columns = _Columns(sorted(kept + tasks.edges, key=lambda e: e[0]))
            else:
                self._mode, self._columns = "tasks", tasks
            return
        # a block label in the first column (年度主要任务 / 年度总体目标 / 年度绩效指标) and, for the
        # overall goal, its text in one wide cell
        body = [c for c in cells if c.x0 > left + _EPS]
        label = next((c for c in cells if c.x0 <= left + _EPS), None)
        if label is not None and len(body) == 1 and self._item(_text(label)) == OVERALL_GOAL:
            self._line(grid, body[0], _text(label), OVERALL_GOAL, {}, {"content": _text(body[0])})
            return
        if self._mode == "tasks":
            self._task(grid, body)
        elif self._mode == "indicators":
            self._indicator(grid, row, body)

    def _task(self, grid: Grid, cells: list[Cell]) -> None:
        name, values, raws, attributes = "", {}, {}, {}
        for cell in cells:
            role = self._columns.role_at(cell.x0)
            text = _text(cell)
            if role is None:
                continue
            if role.role == "measure" and parse_amount(text) is not None:
                values[role.measure], raws[role.measure] = parse_amount(text), text
            elif role.role == "name":
                name = clean_label(text)
            elif role.role == "attribute" and role.attribute:
                attributes[role.attribute] = text
        if not name and not values:
            return
        measures = [r.measure for _, r in self._columns.edges if r.role == "measure"]
        full = {m: values.get(m) for m in measures}
        item = self._item(name) or TASK
        self._line(grid, cells[0], name, item, full, attributes, raws)

    def _indicator(self, grid: Grid, row: list[Cell | None], cells: list[Cell]) -> None:
        attributes: dict[str, str] = {}
        for cell in cells:
            role = self._columns.role_at(cell.x0)
            if role is not None and role.role == "attribute" and role.attribute:
                attributes[role.attribute] = _text(cell)
        # upper levels printed in merged cells (None in the rows below them) carry over
        names = [r.attribute for _, r in self._columns.edges if r.attribute]
        for level in names[:-2]:  # all levels but the last one and the target value
            if level in attributes:
                self._upper[level] = attributes[level]
                for deeper in names[names.index(level) + 1 : -2]:
                    self._upper.pop(deeper, None)
            elif level in self._upper:
                attributes[level] = self._upper[level]
        leaf = names[-2] if len(names) >= 2 else None
        name = attributes.get(leaf, "") if leaf else ""
        if not name:
            return
        self._line(grid, cells[0], name, INDICATOR, {}, attributes)

    def _item(self, label: str) -> str | None:
        return self.spec.items.get(label_key(label))

    def _line(self, grid, cell, name, item, values, attributes, raws=None) -> None:
        self.lines.append(
            TableLine(
                source_page=grid.page,
                line_no=len(self.lines),
                name=name,
                values=values,
                raw_values=raws or {},
                item=item,
                table_index=grid.index,
                attributes=attributes,
            )
        )

    def build(self) -> ExtractedTable:
        if not self.lines:
            self.warnings.append(f"{self.spec.key}: no task or indicator rows recognized")
        for i, line in enumerate(self.lines):
            line.line_no = i
        return ExtractedTable(
            table_type=self.spec.key, title=self.title, pages=list(self.pages), lines=self.lines, unit=self.unit
        )
