"""Turn the grids of one table (grids.py) into canonical lines: header rows -> column roles -> one TableLine
per printed line (per side for two-sided tables). Stitching pieces across pages happens in `TableBuilder`.

Everything is driven by cell text and cell positions, never by a fixed column index: a grid can carry
many mostly-empty columns, merged cells (None in pdfplumber's output) and wrapped labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from orchestration.extraction.grids import _EPS, Cell, Grid, read_page, title_of
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
from orchestration.extraction.registry import BUDGET_FIGURE, ColumnRole, Registry, TableSpec

_PREAMBLE = re.compile(r"(部门|单位)([（(]单位[)）])?(名称)?\s*[:：]")
_OF_WHICH = re.compile(r"^其中\s*[:：]\s*")
_YEAR_LABEL = re.compile(r"^(20\d\d)\s*年?(度|预算数?)?$")
_SKIP_LINE = re.compile(r"^(注[:：]|注\d|此表为空|本表|无相关|本部门无|我单位无|备注)")


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
        if any(title_of(part, registry) for part in text.split("\n")):
            return True
    return False


def _is_header(row: list[Cell | None], registry: Registry, spec: TableSpec | None = None) -> bool:
    texts = _cell_texts(row)
    if any(parse_amount(t) is not None for t in texts):
        return False
    if not texts:
        return True
    known = sum(1 for t in texts if registry.is_header_text(squeeze_cjk_spaces(t), spec))
    return known >= max(1, (len(texts) + 1) // 2)


def split_header(
    grid: Grid, registry: Registry, spec: TableSpec | None = None, continuing: bool = False
) -> tuple[list[list[Cell | None]], int]:
    """Header rows (after dropping a title/department preamble) and the index of the first data row.

    `continuing`: the grid continues a table whose header was read, so a first row of its summary labels
    is data, not a header (a page that starts "上年结转资金 | | 结转下年资金 |" without repeating the header)."""
    i = 0
    header: list[list[Cell | None]] = []
    while i < len(grid.rows):
        row = grid.rows[i]
        if not header and _is_preamble(row, registry):
            i += 1
            continue
        texts = _cell_texts(row)
        # a row of summary labels with blank amounts ("上年结转资金 | 结转下年资金") is a line, even where one of
        # its labels is also a column header elsewhere (结转下年资金 heads a column of 支出总表)
        only_items = bool(texts) and all(
            (registry.item_for(t, spec) if spec is not None else registry.function_items.get(label_key(t)))
            for t in texts
        )
        if _is_header(row, registry, spec) and not ((header or continuing) and only_items):
            if texts:
                header.append(row)
            i += 1
            continue
        break
    if header and i < len(grid.rows):
        _absorb_header_overflow(header, grid.rows[i], registry, spec)
    return header, i


def _absorb_header_overflow(header, row, registry: Registry, spec: TableSpec | None) -> None:
    """A header word whose last character overflows into the first data row ("采购组织形" / "式")."""
    for cell in row:
        if cell is None:
            continue
        text = squeeze_cjk_spaces(cell.text)
        if not text or len(text) > 2 or parse_amount(text) is not None:
            continue
        above = [c for r in header for c in r if c is not None and c.text.strip() and c.x0 <= cell.x0 + _EPS < c.x1]
        if not above:
            continue
        head = above[-1]
        joined = squeeze_cjk_spaces(head.text) + text
        if registry.is_header_text(joined, spec) and not registry.is_header_text(head.text, spec):
            head.text, cell.text = joined, ""


def column_roles(
    grid: Grid, header: list[list[Cell | None]], spec: TableSpec, registry: Registry, fiscal_year: int | None = None
):
    roles = []
    leaves: list[Cell | None] = []
    for j, x0 in enumerate(grid.col_x0):
        path: list[str] = []
        leaf = None
        for row in header:
            for k, cell in enumerate(row):
                if cell is None or not cell.text.strip() or k > j:
                    continue
                if cell.x1 > x0 + _EPS and cell.x0 <= x0 + _EPS:
                    path.append(squeeze_cjk_spaces(cell.text))
                    leaf = cell
        role = registry.column_role(path, spec, fiscal_year)
        spanned = sum(1 for x in grid.col_x0 if leaf is not None and leaf.x0 - _EPS <= x < leaf.x1 - _EPS)
        if role.unknown_header is not None and spanned > 1:
            # a header over several columns with none of its own below it read: a group out of scope
            # ("2022年政府采购项目" over 小计 | 其中…), not an unknown amount column
            role = ColumnRole("ignore", section=role.section)
        roles.append(role)
        leaves.append(leaf)
    if any(r.figure_kind == "actual" for r in roles):
        # 预算数 beside 决算数: the budget figure printed in final accounts is a measure of its own
        roles = [
            replace(r, measure=f"{BUDGET_FIGURE}{r.measure}") if r.figure_kind == "budget" and r.measure else r
            for r in roles
        ]
    if spec.options.get("name_groups"):
        # one name header over two grid columns: the left column holds the group of the lines beside it
        # (or over the left one, the right one printing no header of its own)
        for j in range(len(roles) - 1):
            same = roles[j + 1].role == "name" and leaves[j] is leaves[j + 1]
            unheaded = roles[j + 1].role == "ignore" and leaves[j + 1] is None
            if roles[j].role == "name" and (same or unheaded):
                roles[j], roles[j + 1] = ColumnRole("attribute", attribute="group"), ColumnRole("name")
    return roles


# ---------------------------------------------------------------- table builder


_CODE_PART = re.compile(r"\d{2,3}")


def code_blocks(roles: list[ColumnRole]) -> list[range]:
    """Column ranges of the code blocks a table prints side by side (经济分类科目编码 | 科目名称 | 决算数, then again
    to its right, as 基本支出决算表 do): each block's rows are lines of their own, read block after block.
    One range over every column when the table prints one block."""
    coded = ("code", "code_part")
    starts = [j for j, r in enumerate(roles) if r.role in coded and (j == 0 or roles[j - 1].role not in coded)]
    whole = [range(len(roles))]
    if len(starts) < 2:
        return whole
    bounds = [0, *starts[1:], len(roles)]
    blocks = [range(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    if not all(any(roles[j].role == "measure" for j in block) for block in blocks):
        return whole
    return blocks


def _header_signature(header: list[list[Cell | None]]) -> tuple[str, ...]:
    return tuple(label_key(text) for row in header for text in _cell_texts(row))


@dataclass
class _Part:
    kind: str  # "name" | "code" | "value" | "attribute"
    text: str
    col: int
    role: ColumnRole
    nearest: bool = False  # a number printed outside every amount column, given to the closest one


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
    fiscal_year: int | None = None  # names the single unlabelled row of a `year_items` table
    unit: str | None = None  # the first unit printed with one of the table's grids
    _merged: dict[str, str] = field(default_factory=dict)  # attribute -> text of the last cell printed
    _carry: dict[str, str] = field(default_factory=dict)  # hierarchy attribute -> value in force
    _budget_unit: str | None = None  # the 预算单位 whose rows follow (a unit row printed above them)
    _unknown_headers: set[str] = field(default_factory=set)  # already warned about
    _header: tuple[str, ...] = ()  # the table's header texts, as its first grid prints them

    def add(self, grid: Grid) -> bool:
        """Add the grid's rows; False (nothing added) for an untitled grid that heads itself with another
        table's header: a table whose title is missing or unrecognized, never this one continued."""
        header, start = split_header(grid, self.registry, self.spec, continuing=self.layout is not None)
        signature = _header_signature(header)
        if (
            grid.continuation
            and self._header
            and (signature != self._header if signature else self._heads_another(grid))
        ):
            return False
        if header and (self.layout is None or self.layout.col_x0 != grid.col_x0):
            # a header repeated over the same columns on the next page says nothing new: the layout read
            # from the table's first header stays
            roles = column_roles(grid, header, self.spec, self.registry, self.fiscal_year)
            if any(r.role == "measure" for r in roles):
                self.layout = Layout(grid.col_x0, roles)
                self._header = self._header or signature
        if self.layout is None:
            if grid.prints_amounts():
                self.warnings.append(f"{self.spec.key}: page {grid.page}: no recognizable header row; table skipped")
            # else the start of a header cut by the page's end, its amounts on the next page: nothing lost here
            return True
        roles = self.layout.roles if self.layout.col_x0 == grid.col_x0 else self.layout.remap(grid)
        for r in roles:
            if r.role == "measure" and r.measure not in self.measures:
                self.measures.append(r.measure)
        if grid.page not in self.pages:
            self.pages.append(grid.page)
        self.unit = self.unit or grid.unit
        self._warn_unknown_columns(grid, grid.rows[start:], roles)
        first = True
        for block in code_blocks(roles):
            for row in grid.rows[start:]:
                if self._row_is_repeated_header(row):
                    continue
                cells = [cell if j in block else None for j, cell in enumerate(row)]
                self._add_row(grid, cells, roles, continuation_start=first and grid.continuation)
                first = False
        return True

    def _heads_another(self, grid: Grid) -> bool:
        """The grid's first row is a header row of another table we extract, not a line of this one (a row of
        this table's summary labels, "上年结转资金 | 结转下年资金", reads like 支出总表's header)."""
        first = next((row for row in grid.rows if _cell_texts(row)), None)
        if first is None or all(self.registry.item_for(text, self.spec) for text in _cell_texts(first)):
            return False
        return any(
            _is_header(first, self.registry, spec)
            for spec in self.registry.tables.values()
            if spec.extract and spec.key != self.spec.key
        )

    def _warn_unknown_columns(self, grid: Grid, rows, roles: list[ColumnRole]) -> None:
        """Amounts under a column header the registry does not know are not read: named, once per header."""
        for j, role in enumerate(roles):
            header = role.unknown_header
            if header is None or header in self._unknown_headers:
                continue
            cells = [row[j] for row in rows if j < len(row) and row[j] is not None]
            if any(parse_amount(cell.text) is not None for cell in cells):
                self._unknown_headers.add(header)
                self.warnings.append(
                    f"{self.spec.key}: page {grid.page}: the amounts under {squeeze_cjk_spaces(header)!r} are not "
                    "read (a column header the registry does not know)"
                )

    def _row_is_repeated_header(self, row) -> bool:
        texts = _cell_texts(row)
        if not texts or any(parse_amount(t) is not None for t in texts):
            return False
        if all(self._item(clean_label(t), None) is not None for t in texts):
            return False  # "合计" with blank amounts is a line, not a header
        return all(self.registry.is_header_text(squeeze_cjk_spaces(t), self.spec) for t in texts)

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
                if c < len(roles) and roles[c].role in ("name", "unit_name", "code", "code_part", "attribute")
            ]
            name_cols = [c for c in text_cols if roles[c].role == "name"]
            amount = parse_amount(text)
            code_cols = [c for c in cols if c < len(roles) and roles[c].role in ("code", "code_part")]
            # 类 | 款 | 项 columns print the parts of a code: "201" | "03" | "01"
            part = bool(code_cols) and roles[code_cols[0]].role == "code_part" and _CODE_PART.fullmatch(text.strip())
            if (
                code_cols
                and (parse_code(text) or part)
                and (not measure_cols or roles[cols[0]].role in ("code", "code_part"))
            ):
                parts.append(_Part("code", text, code_cols[0], roles[code_cols[0]]))
            elif measure_cols and amount is not None and not text_cols:
                parts.append(_Part("value", text, measure_cols[0], roles[measure_cols[0]]))
            elif text_cols and amount is None:
                # a cell over a group column and the name column beside it is a name ("收入总计")
                col = name_cols[0] if name_cols else text_cols[0]
                kind = "attribute" if roles[col].role == "attribute" else "name"
                parts.append(_Part(kind, text, col, roles[col]))
            elif amount is not None and measure_cols:
                parts.append(_Part("value", text, measure_cols[0], roles[measure_cols[0]]))
            elif amount is not None and not any(role.headed for role in covered):
                # a number in a column without a header: take the closest value column
                nearest = self._nearest_measure(grid, cell, roles)
                if nearest is not None:
                    parts.append(_Part("value", text, nearest, roles[nearest], nearest=True))
            elif measure_cols and not text_cols:
                # neither an amount nor blank where only amounts are printed (a garbled or misprinted figure):
                # named, never glued to the line's name
                measure = roles[measure_cols[0]].measure
                self.warnings.append(
                    f"{self.spec.key}: page {grid.page}: {squeeze_cjk_spaces(text)!r} in the {measure} column is "
                    "not an amount; not read"
                )
            elif covered and any(r.role != "ignore" for r in covered):
                first = next(c for c in cols if c < len(roles) and roles[c].role != "ignore")
                kind = "attribute" if roles[first].role == "attribute" else "name"
                parts.append(_Part(kind, text, first, roles[first]))
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

    def _merged_attributes(self, grid: Grid, row, roles: list[ColumnRole]) -> dict[str, str]:
        """Attributes of the row from cells merged over it from above (None in pdfplumber's rows)."""
        spanned: set[int] = set()
        for j, cell in enumerate(row):
            if cell is not None:
                spanned.update(grid.columns_covered(cell, j)[1:])
        out: dict[str, str] = {}
        for j, cell in enumerate(row):
            if j >= len(roles) or roles[j].role != "attribute":
                continue
            attribute = roles[j].attribute or ""
            if cell is None and j not in spanned:
                if attribute in self._merged:
                    out[attribute] = self._merged[attribute]
            elif cell is not None:
                self._merged.pop(attribute, None)
                text = clean_label(cell.text)
                if text and j not in spanned and roles[j] == roles[grid.columns_covered(cell, j)[-1]]:
                    self._merged[attribute] = text
        return out

    def _add_row(self, grid: Grid, row, roles: list[ColumnRole], continuation_start: bool) -> None:
        merged = self._merged_attributes(grid, row, roles)
        parts = self._classify(grid, row, roles)
        if not parts:
            return
        if merged:
            parts += [_Part("merged", text, -1, ColumnRole("attribute", attribute=a)) for a, text in merged.items()]
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
        attributes = {p.role.attribute: clean_label(p.text) for p in parts if p.kind in ("attribute", "merged")}
        attributes = {k: v for k, v in attributes.items() if k and v}
        unit_parts = [p for p in names if p.role.role == "unit_name"]
        row_unit = None
        if unit_parts and len(unit_parts) < len(names) and self.spec.kind in ("function", "summary"):
            # the 预算单位 repeated on each of its rows: the unit of the line, never part of its name
            row_unit = clean_label("".join(squeeze_cjk_spaces(p.text) for p in unit_parts))
            names = [p for p in names if p.role.role != "unit_name"]
        section = None
        if self.spec.kind == "two_sided":
            anchor = names[0] if names else parts[0]
            section = anchor.role.section
        name_text = "".join(squeeze_cjk_spaces(p.text) for p in names)
        name = clean_label(name_text)
        if _OF_WHICH.match(name):
            name = _OF_WHICH.sub("", name)
            attributes["of_which"] = "true"
        item_override = None
        if self.spec.hierarchy:
            name, item_override, attributes = self._place_in_hierarchy(name, attributes)
        group = attributes.get("group")
        if group and label_key(name) in self.spec.subtotal_labels:
            item_override = self.registry.item_for(group, self.spec) or item_override  # 一般公共预算资金 | 小计
        if not values and not codes and name and _SKIP_LINE.match(name):
            return
        if (
            self.registry.is_header_text(name, self.spec)
            and not values
            and not codes
            and item_override is None
            and self._item(name, None) is None
        ):
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
            and item_override is None
            and self._item(name, None) is None
            and label_key(name) not in self.spec.subtotal_labels
        ):
            target = self._last_line(section)
            if target is not None:
                target.name = clean_label(target.name + name)
                target.item = self._item(target.name, target.code)
                return
        measures_here = self._measures_for(section)
        vals: dict[str, float | None] = {m: None for m in measures_here}
        raws: dict[str, str] = {}
        for p in sorted(values, key=lambda p: p.nearest):  # a number in its own column first
            measure = p.role.measure or "total"
            if raws.get(measure):
                if p.nearest:
                    # e.g. a code printed in a column the header did not make a code column: never an amount
                    self.warnings.append(
                        f"{self.spec.key}: page {grid.page}: {p.text.strip()!r} printed outside the amount "
                        f"columns beside {measure} {raws[measure]!r}; not read"
                    )
                continue
            raws[measure] = p.text.strip()
            vals[measure] = parse_amount(p.text)
        if not name and not code and not values:
            return
        for attribute in self.spec.options.get("carry_attributes") or []:
            if attribute not in attributes and self.lines and attribute in self.lines[-1].attributes:
                attributes[attribute] = self.lines[-1].attributes[attribute]
        if self.registry.function_items.get(label_key(attributes.get("budget_unit", ""))) == "total":
            del attributes["budget_unit"]  # the rows of the unit "合计" are the department's own
        item = item_override or self._item(name, code, section)
        line = TableLine(
            source_page=grid.page,
            line_no=len(self.lines),
            name=name,
            values=vals,
            raw_values=raws,
            code=code,
            section=section,
            item=item,
            table_index=grid.index,
            attributes=attributes,
        )
        line._unit_row = bool(names) and all(p.role.role == "unit_name" for p in names)  # type: ignore[attr-defined]
        self._budget_unit = row_unit or self._budget_unit
        self._note_budget_unit(line)
        self.lines.append(line)

    def _note_budget_unit(self, line: TableLine) -> None:
        """A department of several budget units (预算单位) prints each unit's row, then that unit's coded rows:
        every row of a unit carries its name (attribute budget_unit), so its codes are summed and checked within
        the unit, never against another unit's. A 合计 row is the department's and ends the unit before it."""
        if self.spec.kind not in ("function", "summary"):
            return
        if line.item == "total":
            self._budget_unit = None
        elif line._unit_row and not line.code:  # type: ignore[attr-defined]
            self._budget_unit = line.name
        if self._budget_unit and (line.code or line._unit_row):  # type: ignore[attr-defined]
            line.attributes.setdefault("budget_unit", self._budget_unit)

    def _place_in_hierarchy(self, name: str, attributes: dict[str, str]):
        """Name, item and attributes of a line of a hierarchical list (registry `hierarchy`).

        The line's level is the first hierarchy column it prints -- or the last (leaf) column whenever it
        prints that one (a merged 专项名称 cell repeated on the rows of its items); the levels above it come
        from the lines before (their cells are blank or merged on this row), the levels below are reset.
        """
        levels = self.spec.hierarchy
        present = [a for a in levels if attributes.get(a)]
        if not present:
            return name, None, attributes
        level = levels[-1] if levels[-1] in present else present[0]
        label = attributes[level]
        item = self._item(label, None)
        if item is not None:  # 合计
            self._carry = {}
            rest = {k: v for k, v in attributes.items() if k not in levels}
            return label, item, rest
        depth = levels.index(level)
        merged = {a: self._carry[a] for a in levels[:depth] if a in self._carry}
        merged.update(attributes)
        self._carry = {a: merged[a] for a in levels if a in merged}
        merged["level"] = level
        return name or label, None, merged

    def _measures_for(self, section: str | None) -> list[str]:
        if self.layout is None:
            return []
        out = []
        for role in self.layout.roles:
            if role.role == "measure" and role.measure not in out and (section is None or role.section == section):
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

    def _item(self, name: str, code: str | None, section: str | None = None) -> str | None:
        if code:
            return None
        return self.registry.item_for(name, self.spec, section)

    def build(self) -> ExtractedTable:
        lines = self.lines
        if self.spec.kind in ("function", "summary"):
            has_total = any(line.item == "total" for line in lines)
            unit_rows = [ln for ln in lines if getattr(ln, "_unit_row", False) and not ln.code]
            # one unit row without a 合计 is the department itself; several are units with no department total printed
            if not has_total and len(unit_rows) == 1:
                unit_rows[0].item = "total"
            elif unit_rows:
                for ln in unit_rows:
                    ln.item = ln.item if ln.item == "total" else "budget_unit"
            if self.spec.kind == "summary" and len(lines) == 1 and lines[0].item is None:
                lines[0].item = "total"
                if not lines[0].name:
                    lines[0].name = "合计"
        self._fold_measures()
        self._year_items()
        for i, line in enumerate(lines):
            line.line_no = i
            if hasattr(line, "_unit_row"):
                delattr(line, "_unit_row")
        return ExtractedTable(
            table_type=self.spec.key, title=self.title, pages=list(self.pages), lines=lines, unit=self.unit
        )

    def _fold_measures(self) -> None:
        """registry `fold_measures`: e.g. a 三公 table without 会议费/培训费 prints its 三公 total as 合计."""
        fold = dict(self.spec.options.get("fold_measures") or {})
        unless = set(fold.pop("unless", []) or [])
        if unless & set(self.measures):
            return
        for source, target in fold.items():
            if source not in self.measures or target in self.measures:
                continue
            self.measures[self.measures.index(source)] = target
            for line in self.lines:
                if source in line.values:
                    line.values = {target if m == source else m: v for m, v in line.values.items()}
                if source in line.raw_values:
                    line.raw_values[target] = line.raw_values.pop(source)

    def _year_items(self) -> None:
        """registry `year_items`: rows per year -> current_year / prior_year; one unlabelled row -> current_year."""
        spec = self.spec.options.get("year_items")
        if not spec:
            return
        for line in self.lines:
            if line.item is not None:
                continue
            m = _YEAR_LABEL.match(label_key(line.name)) if line.name else None
            if m:
                year = int(m.group(1))
                line.attributes["year"] = str(year)
                if self.fiscal_year is not None and year == self.fiscal_year:
                    line.item = spec["current"]
                elif self.fiscal_year is not None and year == self.fiscal_year - 1:
                    line.item = spec["prior"]
            elif not line.name:
                line.item = spec["current"]
                if self.fiscal_year is not None:
                    line.name = f"{self.fiscal_year}年"
                    line.attributes["year"] = str(self.fiscal_year)
                else:
                    line.name = "本年预算"


def header_leaked(line: TableLine, registry: Registry) -> bool:
    """True when a line's label is header text (used by tests and validation)."""
    return registry.is_header_text(line.name) and not line.code and not any(v is not None for v in line.values.values())


__all__ = ["Grid", "TableBuilder", "header_leaked", "label_key", "read_page"]
