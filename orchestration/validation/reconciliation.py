"""Do the published numbers add up? Children to parents, parts to totals, table to table.

Published tables are rounded ("数据单位转换时可能存在尾数误差"), so a sum of n printed items may differ
from its printed total by up to 0.5 × (n + 1) units of the last printed digit: 0.01 for 2-decimal
tables, 1 for integer 万元 tables. Anything beyond that is a real inconsistency (or a wrong
extraction) and is flagged, never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestration.extraction.model import YUAN_PER_UNIT, DocumentExtraction, ExtractedTable, TableLine
from orchestration.extraction.registry import BUDGET_FIGURE, get_registry

# what a line's total splits into (a 决算 支出决算表 adds 上缴上级支出, 经营支出, 对附属单位补助支出)
PART_MEASURES = (
    "basic",
    "project",
    "reserve",
    "remit_to_superior",
    "business_operating_expenditure",
    "subsidy_to_affiliates",
)
_DECIMALS = re.compile(r"\.(\d+)")


@dataclass
class Discrepancy:
    check: str  # e.g. "children_sum_to_parent"
    table_type: str
    page: int | None
    code: str | None
    name: str
    measure: str
    expected: float  # what the parts add up to
    found: float | None  # what the document prints
    tolerance: float

    def describe(self, source_file: str) -> str:
        where = " ".join(p for p in (self.table_type, f"p.{self.page}" if self.page else "", self.code or "") if p)
        if self.measure == "fiscal_year":
            years = f"read as {self.found:.0f}, also printed {self.expected:.0f}"
            return f"{source_file}: {where} {self.name}: {self.check}: {years}"
        return (
            f"{source_file}: {where} {self.name} [{self.measure}]: {self.check}: "
            f"expected {self.expected:,.2f}, found {'blank' if self.found is None else f'{self.found:,.2f}'}"
            f" (tolerance {self.tolerance:g})"
        )


def last_digit_unit(table: ExtractedTable) -> float:
    """0.01 when the table prints decimals anywhere, else 1 (integer 万元 tables)."""
    decimals = max(
        (
            len(m.group(1))
            for line in table.lines
            for raw in line.raw_values.values()
            if (m := _DECIMALS.search(raw or ""))
        ),
        default=0,
    )
    return 10.0**-decimals


def tolerance(items: int, unit: float) -> float:
    return 0.5 * (items + 1) * unit


def reconcile(extraction: DocumentExtraction) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    for table in extraction.tables:
        unit = last_digit_unit(table)
        if any(line.code for line in table.lines):
            found += children_sum_to_parents(table, unit)
        found += parts_sum_to_total(table, unit)
        found += measures_sum_as_the_registry_says(table, unit)
        found += top_level_sums_to_total(table, unit)
    found += overall_balances(extraction)
    found += function_total_matches_overall(extraction)
    found += narrative_agrees_with_tables(extraction)
    found += fiscal_year_is_certain(extraction)
    return found


def fiscal_year_is_certain(extraction: DocumentExtraction) -> list[Discrepancy]:
    """The cover and the table titles print different fiscal years: which year the figures belong to is in
    doubt, so every table is flagged (a label is right or flagged, like a figure)."""
    conflict = extraction.year_conflict
    if not conflict or extraction.fiscal_year is None:
        return []
    other = next(year for year in conflict.values() if year != extraction.fiscal_year)
    return [
        Discrepancy(
            "fiscal_year_sources_disagree",
            table.table_type,
            table.pages[0] if table.pages else None,
            None,
            table.title or table.table_type,
            "fiscal_year",
            float(other),
            float(extraction.fiscal_year),
            0.0,
        )
        for table in extraction.tables
    ]


def _value(line: TableLine, measure: str) -> float:
    return line.values.get(measure) or 0.0


def _compare(check, table, line, measure, parts: list[float], unit: float) -> Discrepancy | None:
    expected = sum(parts)
    printed = line.values.get(measure)
    allowed = tolerance(len(parts), unit)
    if abs((printed or 0.0) - expected) <= allowed + 1e-9:
        return None
    return Discrepancy(
        check, table.table_type, line.source_page, line.code, line.name, measure, expected, printed, allowed
    )


def children_sum_to_parents(table: ExtractedTable, unit: float) -> list[Discrepancy]:
    """项 → 款 → 类 by code prefix within each 预算单位, 类 → their unit's row, and every 类 → the 合计 line."""
    coded = [line for line in table.lines if line.code]
    measures = sorted({m for line in table.lines for m in line.values})
    problems = []
    by_unit: dict[str | None, list[TableLine]] = {}
    for line in coded:
        by_unit.setdefault(line.attributes.get("budget_unit"), []).append(line)
    for lines in by_unit.values():
        for parent in lines:
            children = [c for c in lines if len(c.code) == len(parent.code) + 2 and c.code.startswith(parent.code)]
            if children:
                problems += _compare_all("children_sum_to_parent", table, parent, measures, children, unit)
    # the 合计 adds up the department's own 类 where the table prints them outside any unit, else every unit's
    classes = [line for line in by_unit.get(None, []) if len(line.code) == 3]
    classes = classes or [line for line in coded if len(line.code) == 3]
    total = next((line for line in table.lines if line.item == "total" and not line.code), None)
    if total is not None and classes:
        problems += _compare_all("classes_sum_to_total", table, total, measures, classes, unit)
    for unit_row in (line for line in table.lines if line.item == "budget_unit" and not line.code):
        own = [c for c in by_unit.get(unit_row.attributes.get("budget_unit"), []) if len(c.code) == 3]
        if own:
            problems += _compare_all("classes_sum_to_unit", table, unit_row, measures, own, unit)
    return problems


def _compare_all(check, table, line, measures, parts: list[TableLine], unit: float) -> list[Discrepancy]:
    found = (_compare(check, table, line, m, [_value(p, m) for p in parts], unit) for m in measures)
    return [problem for problem in found if problem]


def measures_sum_as_the_registry_says(table: ExtractedTable, unit: float) -> list[Discrepancy]:
    """Registry `measure_sums` (“三公”: 合计 = 出国 + 接待 + 车, 车 = 购置 + 运行), on every line, for the figures and
    for the 预算数 printed beside them in final accounts (budget_<measure>)."""
    rules = get_registry().tables[table.table_type].options.get("measure_sums") or {}
    problems = []
    for line in table.lines:
        for prefix in ("", BUDGET_FIGURE):
            for total, parts in rules.items():
                measures = [prefix + total, *(prefix + part for part in parts)]
                if not all(m in line.values for m in measures) or all(line.values[m] is None for m in measures):
                    continue
                problem = _compare(
                    "parts_sum_to_total", table, line, measures[0], [_value(line, m) for m in measures[1:]], unit
                )
                problems += [problem] if problem else []
    return problems


def parts_sum_to_total(table: ExtractedTable, unit: float) -> list[Discrepancy]:
    """basic + project (+ reserve) = total, on every row of a table that has those columns."""
    problems = []
    for line in table.lines:
        parts = [m for m in PART_MEASURES if m in line.values]
        if "total" not in line.values or len(parts) < 2:
            continue
        if all(line.values.get(m) is None for m in (*parts, "total")):
            continue
        problem = _compare("parts_sum_to_total", table, line, "total", [_value(line, m) for m in parts], unit)
        problems += [problem] if problem else []
    return problems


def top_level_sums_to_total(table: ExtractedTable, unit: float) -> list[Discrepancy]:
    """A hierarchical list (政府采购): its 合计 line = the lines of its top level (品目大类). Only the top:
    the levels below repeat a project under several economic items, so they do not nest as a tree."""
    spec = get_registry().tables.get(table.table_type)
    if spec is None or not spec.hierarchy:
        return []
    top = [line for line in table.lines if line.attributes.get("level") == spec.hierarchy[0]]
    total = next((line for line in table.lines if line.item == "total" and not line.attributes.get("level")), None)
    if total is None or not top:
        return []
    problems = []
    for measure in sorted({m for line in [total, *top] for m in line.values}):
        if total.values.get(measure) is None and all(line.values.get(measure) is None for line in top):
            continue
        problem = _compare(
            "top_level_sums_to_total", table, total, measure, [_value(line, measure) for line in top], unit
        )
        problems += [problem] if problem else []
    return problems


def _items(table: ExtractedTable | None) -> dict[str, TableLine]:
    return {line.item: line for line in table.lines if line.item} if table else {}


def _table(extraction: DocumentExtraction, table_type: str) -> ExtractedTable | None:
    return next((t for t in extraction.tables if t.table_type == table_type), None)


def overall_balances(extraction: DocumentExtraction) -> list[Discrepancy]:
    """收入合计 = 支出合计, and 本年收入 + 上年结转 = 收入合计."""
    table = _table(extraction, "overall")
    items = _items(table)
    unit = last_digit_unit(table) if table else 1.0
    problems = []
    if "total_revenue" in items and "total_expenditure" in items:
        line = items["total_expenditure"]
        problem = _compare(
            "revenue_equals_expenditure", table, line, "amount", [_value(items["total_revenue"], "amount")], unit
        )
        problems += [problem] if problem else []
    if "total_revenue" in items and "current_year_revenue" in items:
        parts = [_value(items["current_year_revenue"], "amount")]
        if "prior_year_carryover" in items:
            parts.append(_value(items["prior_year_carryover"], "amount"))
        problem = _compare("revenue_parts_sum_to_total", table, items["total_revenue"], "amount", parts, unit)
        problems += [problem] if problem else []
    return problems


# function table type -> the overall-table revenue item of the same fund scope
SCOPE_OF_FUNCTION_TABLE = {
    "function_general_public": "general_public_budget",
    "function_fiscal_appropriation": "fiscal_appropriation",
}


def in_unit(amount: float, printed_in: str | None, wanted: str | None) -> float:
    """An amount converted between the units two tables print (unchanged when either is unknown)."""
    if printed_in not in YUAN_PER_UNIT or wanted not in YUAN_PER_UNIT:
        return amount
    return amount * YUAN_PER_UNIT[printed_in] / YUAN_PER_UNIT[wanted]


def function_total_matches_overall(extraction: DocumentExtraction) -> list[Discrepancy]:
    """A function table's 合计 (or, with no 合计 printed, the sum of its 预算单位 rows) = the overall table's
    revenue of the same fund scope."""
    overall = _table(extraction, "overall")
    overall_items = _items(overall)
    problems = []
    for table_type, item in SCOPE_OF_FUNCTION_TABLE.items():
        table = _table(extraction, table_type)
        source = overall_items.get(item)
        if table is None or source is None or source.values.get("amount") is None:
            continue
        total = _items(table).get("total")
        parts = [total] if total else [ln for ln in table.lines if ln.item == "budget_unit" and not ln.code]
        if not parts:
            continue
        found = sum(_value(line, "total") for line in parts)
        expected = in_unit(_value(source, "amount"), overall.unit, table.unit)
        allowed = tolerance(len(parts), last_digit_unit(table))
        if abs(found - expected) > allowed + 1e-9:
            name = parts[0].name if total else "预算单位合计"
            problems.append(
                Discrepancy(
                    f"function_total_equals_overall_{item}",
                    table.table_type,
                    parts[0].source_page,
                    None,
                    name,
                    "total",
                    expected,
                    found,
                    allowed,
                )
            )
    return problems


def narrative_agrees_with_tables(extraction: DocumentExtraction) -> list[Discrepancy]:
    """A figure the narrative states (收入预算总计, “三公”经费预算数 …) equals the table line it restates (registry
    `narrative_figures.compare_with`), within one unit of the narrative's last printed digit: a narrative in
    万元 rounds or cuts a table in 元. A disagreement flags the table (the table may hold last year's block,
    or the narrative may be wrong: either way the figure is doubtful), with both figures."""
    rules = (get_registry().raw.get("narrative_figures") or {}).get("compare_with") or {}
    stated = {}
    for figure in extraction.narrative_figures:
        stated.setdefault(figure.figure, figure)  # the first statement, as the marts keep it
    problems = []
    for name, rule in rules.items():
        figure = stated.get(name)
        table = _table(extraction, rule["table"])
        if figure is None or figure.amount is None or table is None:
            continue
        lines = [
            ln
            for ln in table.lines
            if ln.item == rule["item"]
            and not ln.attributes.get("budget_unit")
            and ln.values.get(rule["measure"]) is not None
        ]
        if len(lines) != 1:
            continue  # not printed, or one line per budget unit: nothing single to compare with
        [line] = lines
        printed = line.values[rule["measure"]]
        narrative = in_unit(figure.amount, figure.unit, table.unit)
        last_digit = 1.0 if float(figure.amount).is_integer() else 0.01
        allowed = in_unit(last_digit, figure.unit, table.unit)
        if abs(printed - narrative) > allowed + 1e-9:
            problems.append(
                Discrepancy(
                    f"narrative_states_{name}",
                    table.table_type,
                    line.source_page,
                    line.code,
                    line.name,
                    rule["measure"],
                    narrative,
                    printed,
                    allowed,
                )
            )
    return problems
