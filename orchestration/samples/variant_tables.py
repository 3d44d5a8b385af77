"""The standard tables of a variant as data: columns with header paths, rows of cells, and amounts that know what
they are (a `Fig`: 元, the line it belongs to, its measure). Rendering (variant_layout) prints a `Fig` in the
table's unit; the ground truth is every `Fig` of every table printed, so the two cannot disagree.

Line keys follow what the extraction identifies a line by: a code (and the 预算单位 whose rows it is in), else
the printed name (and the group a 收入总表 line is under), else a canonical item (the current-year line of a
“三公” table).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from orchestration.samples.data import ZERO, SampleBudget
from orchestration.samples.layout import cn_ordinal
from orchestration.samples.variant_model import BudgetUnit


@dataclass(frozen=True)
class LineKey:
    code: str | None = None
    name: str | None = None
    item: str | None = None
    group: str | None = None
    budget_unit: str | None = None


@dataclass(frozen=True)
class Fig:
    """A printed amount: exact 元, the line and the measure it is."""

    yuan: Decimal
    key: LineKey
    measure: str
    current: bool = True  # False: a prior-year figure printed beside this year's (never this year's)


@dataclass
class Col:
    path: tuple[str, ...]  # header texts from the top row to the leaf
    weight: float = 1.0  # share of the table's width
    align: str = "R"  # L | C | R for the body cells


Cell = str | Fig | None


@dataclass
class TableModel:
    table_type: str
    title: str  # the base wording, before any prefix
    cols: list[Col]
    rows: list[list[Cell]]
    body_spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    unit: str | None = None  # printed in a unit of its own (else the document's)
    min_rows_per_page: int = 1
    note: str | None = None  # printed under the table

    def figures(self) -> list[Fig]:
        return [cell for row in self.rows for cell in row if isinstance(cell, Fig)]


# -- the tables, in the simplest layout; variants change them below -------------------------------------------

CODE = "科目编码"
NAME = "科目名称"


def _coded_cols(code: str = CODE, name: str = NAME) -> list[Col]:
    return [Col((code,), 1.1, "L"), Col((name,), 3.4, "L")]


def overall_table(b: SampleBudget, style: str) -> TableModel:
    """收支总表: "jiangsu" (revenue | every function class | uses) or "ministry" (收入 | 支出, 项目 | 预算数)."""
    totals = b.class_totals()
    names = dict((c, n) for c, n in b.names.items() if len(c) == 3)
    revenue = [
        ("一、财政拨款", b.general_total),
        ("1.一般公共预算", b.general_total),
        ("2.政府性基金预算", ZERO),
        ("二、其他资金", b.other_funds),
    ]
    classes = sorted(totals)

    def fig(name, value, measure="amount"):
        return Fig(value, LineKey(name=name), measure)

    if style == "jiangsu":
        uses = [
            ("一、基本支出", b.basic_total),
            ("二、项目支出", b.project_total),
            ("三、单位预留机动经费", b.reserve_total),
        ]
        rows: list[list[Cell]] = []
        for i in range(max(len(classes), len(revenue), len(uses))):
            rev = revenue[i] if i < len(revenue) else None
            use = uses[i] if i < len(uses) else None
            cls = classes[i] if i < len(classes) else None
            rows.append(
                [
                    rev[0] if rev else "",
                    fig(rev[0], rev[1]) if rev else "",
                    f"{cn_ordinal(i + 1)}、{names[cls]}" if cls else "",
                    fig(names[cls], totals[cls]) if cls else "",
                    use[0] if use else "",
                    fig(use[0], use[1]) if use else "",
                ]
            )
        rows += [
            ["收入合计", fig("收入合计", b.total), "", "", "支出合计", fig("支出合计", b.total)],
        ]
        cols = [
            Col(("收入", "项目名称"), 1.3, "L"),
            Col(("收入", "金额"), 1.0),
            Col(("支出", "功能分类", "功能科目名称"), 2.0, "L"),
            Col(("支出", "功能分类", "金额"), 1.0),
            Col(("支出", "支出用途", "项目名称"), 1.3, "L"),
            Col(("支出", "支出用途", "金额"), 1.0),
        ]
        return TableModel("overall", "收支预算总表", cols, rows)
    rows = []
    left = [*revenue, ("", None)]
    right = [(f"{cn_ordinal(i + 1)}、{names[c]}", totals[c]) for i, c in enumerate(classes)]
    for i in range(max(len(left), len(right))):
        rev = left[i] if i < len(left) else ("", None)
        exp = right[i] if i < len(right) else ("", None)
        rows.append(
            [
                rev[0],
                fig(rev[0], rev[1]) if rev[1] is not None else "",
                exp[0],
                fig(exp[0], exp[1]) if exp[1] is not None else "",
            ]
        )
    rows += [
        ["本年收入合计", fig("本年收入合计", b.total), "本年支出合计", fig("本年支出合计", b.total)],
        ["收入总计", fig("收入总计", b.total), "支出总计", fig("支出总计", b.total)],
    ]
    cols = [
        Col(("收入", "项目"), 2.0, "L"),
        Col(("收入", "预算数")),
        Col(("支出", "项目"), 2.4, "L"),
        Col(("支出", "预算数")),
    ]
    return TableModel("overall", "收支预算总表", cols, rows)


def revenue_table(b: SampleBudget) -> TableModel:
    """收入总表: sources in groups, the group name merged down its rows."""
    groups = [
        ("一般公共预算资金", [("小计", b.general_total), ("公共财政拨款（补助）资金", b.general_total)]),
        ("其他资金", [("小计", b.other_funds), ("事业收入", b.other_funds)]),
    ]
    rows: list[list[Cell]] = [["收入总计", "", Fig(b.total, LineKey(name="收入总计"), "total")]]
    spans = [((0, 0), (1, 0))]
    for group, lines in groups:
        spans.append(((0, len(rows)), (0, len(rows) + len(lines) - 1)))
        rows += [
            [group if i == 0 else "", label, Fig(value, LineKey(name=label, group=group), "total")]
            for i, (label, value) in enumerate(lines)
        ]
    cols = [Col(("项目名称",), 1.5, "C"), Col(("项目名称",), 2.2, "L"), Col(("金额",), 1.3)]
    return TableModel("revenue_summary", "收入预算总表", cols, rows, body_spans=spans)


def expenditure_table(b: SampleBudget) -> TableModel:
    key = LineKey(item="total")
    cols = [Col(("合计",)), Col(("基本支出",)), Col(("项目支出",)), Col(("单位预留机动经费",))]
    values = [("total", b.total), ("basic", b.basic_total), ("project", b.project_total), ("reserve", b.reserve_total)]
    return TableModel("expenditure_summary", "支出预算总表", cols, [[Fig(v, key, m) for m, v in values]])


def fiscal_overall_table(b: SampleBudget) -> TableModel:
    fiscal_project = b.project_total - b.other_funds

    def fig(name, value):
        return Fig(value, LineKey(name=name), "amount")

    rows: list[list[Cell]] = [
        ["一、一般公共预算", fig("一般公共预算", b.general_total), "一、基本支出", fig("基本支出", b.basic_total)],
        ["二、政府性基金预算", fig("政府性基金预算", ZERO), "二、项目支出", fig("项目支出", fiscal_project)],
        ["", "", "三、单位预留机动经费", fig("单位预留机动经费", b.reserve_total)],
        ["收入合计", fig("收入合计", b.general_total), "支出合计", fig("支出合计", b.general_total)],
    ]
    cols = [
        Col(("收入", "项目名称"), 1.6, "L"),
        Col(("收入", "金额")),
        Col(("支出", "项目名称"), 1.6, "L"),
        Col(("支出", "金额")),
    ]
    return TableModel("fiscal_appropriation_overall", "财政拨款收支预算总表", cols, rows)


def _function_rows(budget: SampleBudget, measures: list[str], unit_name: str | None = None) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for r in budget.function_rows("general"):
        values = {"total": r.total, "basic": r.basic, "project": r.project, "reserve": r.reserve}
        key = LineKey(code=r.code, budget_unit=unit_name)
        rows.append([r.code, r.name, *[Fig(values[m], key, m) for m in measures]])
    return rows


def _general_totals(b: SampleBudget) -> dict[str, Decimal]:
    return {
        "total": b.general_total,
        "basic": b.basic_total,
        "project": b.project_total - b.other_funds,
        "reserve": b.reserve_total,
    }


MEASURE_HEADERS = {"total": "合计", "basic": "基本支出", "project": "项目支出", "reserve": "单位预留机动经费"}


def function_table(b: SampleBudget, table_type: str, units: list[BudgetUnit] | None = None) -> TableModel:
    """一般公共预算支出表 (合计 | 基本支出 | 项目支出 [| 单位预留机动经费]) or 财政拨款支出表 (one amount).

    `units`: a department of several 预算单位 prints a 预算单位 column, each unit's row above its coded rows."""
    if table_type == "function_general_public":
        measures = ["total", "basic", "project"] + (["reserve"] if b.reserve_total else [])
        title = "一般公共预算支出预算表"
    else:
        measures = ["total"]
        title = "财政拨款支出预算表"
    totals = _general_totals(b)
    total_key = LineKey(name="合计")
    rows: list[list[Cell]] = [["", "合计", *[Fig(totals[m], total_key, m) for m in measures]]]
    cols = _coded_cols() + [Col((MEASURE_HEADERS[m] if len(measures) > 1 else "金额",)) for m in measures]
    if units:
        rows = [["合计", *rows[0]]]
        for unit in units:
            unit_totals = _general_totals(unit.budget)
            key = LineKey(name=unit.name, budget_unit=unit.name)
            rows.append([unit.name, "", "", *[Fig(unit_totals[m], key, m) for m in measures]])
            rows += [["", *row] for row in _function_rows(unit.budget, measures, unit.name)]
        cols = [Col(("预算单位",), 2.0, "L"), *cols]
    else:
        rows += _function_rows(b, measures)
    return TableModel(table_type, title, cols, rows)


def economic_table(b: SampleBudget) -> TableModel:
    rows: list[list[Cell]] = [["", "合计", Fig(b.basic_total, LineKey(name="合计"), "total")]]
    for e in b.economic_rows():
        rows.append([e.code, e.name, Fig(e.amount, LineKey(code=e.code), "total")])
    cols = [*_coded_cols(), Col(("合计",))]
    return TableModel("basic_economic_general_public", "一般公共预算基本支出预算表（经济科目）", cols, rows)


THREE_PUBLIC_LEAVES = [
    (("合计",), "total"),
    (("因公出国（境）费",), "outbound_travel"),
    (("公务接待费",), "official_reception"),
    (("公务用车购置及运行费", "小计"), "vehicle_total"),
    (("公务用车购置及运行费", "公务用车购置费"), "vehicle_purchase"),
    (("公务用车购置及运行费", "公务用车运行费"), "vehicle_operation"),
]


def three_public_values(b: SampleBudget) -> dict[str, Decimal]:
    t = b.three_public
    return {
        "total": t.total,
        "outbound_travel": t.abroad,
        "official_reception": t.reception,
        "vehicle_total": t.vehicle,
        "vehicle_purchase": t.vehicle_purchase,
        "vehicle_operation": t.vehicle_running,
        "operating_costs": b.operating_cost,
    }


def three_public_table(b: SampleBudget, with_operating_costs: bool = False) -> TableModel:
    """“三公”经费支出表; `with_operating_costs`: the combined “三公”经费和机关运行经费预算表."""
    leaves = list(THREE_PUBLIC_LEAVES) + ([(("机关运行经费",), "operating_costs")] if with_operating_costs else [])
    values = three_public_values(b)
    key = LineKey(item="current_year")
    cols = [Col(path) for path, _ in leaves]
    title = "“三公”经费和机关运行经费预算表" if with_operating_costs else "“三公”经费支出预算表"
    return TableModel("three_public", title, cols, [[Fig(values[m], key, m) for _, m in leaves]])


def three_public_final_accounts_table(b: SampleBudget, rng: random.Random) -> TableModel:
    """财政拨款“三公”经费支出决算表: 预算数 (or 年初预算数, 全年预算数) | 决算数 under each item, sometimes all under
    a 财政拨款“三公”经费 header. The 决算数 are the department's figures (the plain measures); the 预算数, each part
    drawn above or below it, are `budget_<measure>`; both add up."""
    spent = b.three_public

    def budgeted(amount: Decimal) -> Decimal:
        if amount == 0 and rng.random() < 0.5:
            return ZERO
        base = amount if amount else Decimal(rng.randint(50_000, 200_000))
        return (base / Decimal(str(round(rng.uniform(0.7, 1.05), 3)))).quantize(Decimal("0.01"))

    plan = replace(
        spent,
        abroad=budgeted(spent.abroad),
        reception=budgeted(spent.reception),
        vehicle_purchase=budgeted(spent.vehicle_purchase),
        vehicle_running=budgeted(spent.vehicle_running),
    )
    actual, budget = three_public_values(b), three_public_values(replace(b, three_public=plan))
    key = LineKey(item="current_year")
    budget_header = rng.choice(["预算数", "年初预算数", "全年预算数"])
    top = ("财政拨款“三公”经费",) if rng.random() < 0.4 else ()
    cols, row = [], []
    for path, measure in THREE_PUBLIC_LEAVES:
        cols += [Col((*top, *path, budget_header)), Col((*top, *path, "决算数"))]
        row += [Fig(budget[measure], key, f"budget_{measure}"), Fig(actual[measure], key, measure)]
    return TableModel("three_public", "财政拨款“三公”经费支出决算表", cols, [row])


REVENUE_SOURCES = [
    ("本年收入合计", "total"),
    ("财政拨款收入", "fiscal_appropriation"),
    ("上级补助收入", "superior_subsidy"),
    ("事业收入", "business_revenue"),
    ("经营收入", "business_operating_revenue"),
    ("附属单位上缴收入", "affiliated_remittance"),
    ("其他收入", "other_revenue"),
]
SPENDING_USES = [
    ("本年支出合计", "total"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("上缴上级支出", "remit_to_superior"),
    ("经营支出", "business_operating_expenditure"),
    ("对附属单位补助支出", "subsidy_to_affiliates"),
]


def _by_function_table(table_type: str, title: str, leaves, total_row: dict, rows) -> TableModel:
    """A 决算 收入决算表 / 支出决算表: a 合计 line, then every 类/款/项 line, split by source or by use (a source
    or use the department has none of is a blank column)."""

    def cells(values: dict, key: LineKey) -> list[Cell]:
        return [Fig(values[m], key, m) if m in values else "" for _, m in leaves]

    out: list[list[Cell]] = [["", "合计", *cells(total_row, LineKey(name="合计"))]]
    out += [[code, name, *cells(values, LineKey(code=code))] for code, name, values in rows]
    cols = _coded_cols() + [Col((header,)) for header, _ in leaves]
    return TableModel(table_type, title, cols, out)


def revenue_by_function_table(b: SampleBudget) -> TableModel:
    """收入决算表: each function line's revenue by source (财政拨款收入, 事业收入 …)."""
    fiscal = {r.code: r.total for r in b.function_rows("general")}
    rows = []
    for r in b.function_rows("all"):
        sources = {
            "total": r.total,
            "fiscal_appropriation": fiscal[r.code],
            "business_revenue": r.total - fiscal[r.code],
        }
        rows.append((r.code, r.name, sources))
    totals = {"total": b.total, "fiscal_appropriation": b.general_total, "business_revenue": b.other_funds}
    return _by_function_table("revenue_summary", "收入决算表", REVENUE_SOURCES, totals, rows)


def expenditure_by_function_table(b: SampleBudget) -> TableModel:
    """支出决算表: each function line's spending by use (基本支出, 项目支出 …); a 决算 has no reserve."""
    rows = [
        (r.code, r.name, {"total": r.total, "basic": r.basic, "project": r.project}) for r in b.function_rows("all")
    ]
    totals = {"total": b.total, "basic": b.basic_total, "project": b.project_total}
    return _by_function_table("expenditure_summary", "支出决算表", SPENDING_USES, totals, rows)


def economic_blocks_table(b: SampleBudget, code: str, name: str, split: bool) -> TableModel:
    """一般公共预算财政拨款基本支出决算表 in two code blocks side by side: 人员经费 (301, 303) on the left, 公用经费
    (302) on the right, each 经济分类科目编码 | 科目名称 | 决算数, the two totals on the last row under their block."""
    lines = b.economic_rows()
    personnel = [e for e in lines if e.code[:3] in ("301", "303")]
    public = [e for e in lines if e.code[:3] == "302"]

    def block(e) -> list[Cell]:
        if e is None:
            return ["", "", *([""] if split else []), ""]
        codes = [e.code[:3], e.code[3:]] if split else [e.code]
        return [*codes, e.name, Fig(e.amount, LineKey(code=e.code), "total")]

    rows: list[list[Cell]] = []
    for k in range(max(len(personnel), len(public))):
        rows.append(
            [*block(personnel[k] if k < len(personnel) else None), *block(public[k] if k < len(public) else None)]
        )
    blank = [""] * (2 if split else 1)
    totals = []
    for label, value in (
        ("人员经费合计", sum((e.amount for e in personnel if len(e.code) == 3), ZERO)),
        ("公用经费合计", sum((e.amount for e in public if len(e.code) == 3), ZERO)),
    ):
        totals += [*blank, label, Fig(value, LineKey(name=label), "total")]
    rows.append(totals)
    code_cols = [Col((code, "类"), 0.45, "C"), Col((code, "款"), 0.45, "C")] if split else [Col((code,), 0.9, "L")]
    cols = [*code_cols, Col((name,), 2.2, "L"), Col(("决算数",))] * 2
    return TableModel("basic_economic_general_public", "一般公共预算财政拨款基本支出决算表", cols, rows)


def government_fund_final_accounts_table(department: str) -> TableModel:
    """政府性基金预算财政拨款收入支出决算表 of a department without such funds: printed with its header, a 合计 line
    and blank ruled rows, and a note that says so (a table printed empty is a fact: nothing to read)."""
    cols = [
        *_coded_cols(),
        Col(("年初结转和结余",)),
        Col(("本年收入",)),
        Col(("本年支出", "小计")),
        Col(("本年支出", "基本支出")),
        Col(("本年支出", "项目支出")),
        Col(("年末结转和结余",)),
    ]
    rows: list[list[Cell]] = [["", "合计", *[""] * 6], *[[""] * 8 for _ in range(5)]]
    note = f"注：{department}无政府性基金预算财政拨款收入支出，故本表无数据。"
    return TableModel("function_government_fund", "政府性基金预算财政拨款收入支出决算表", cols, rows, note=note)


def headed_final_accounts(table: TableModel) -> TableModel:
    """A budget table's 预算数 columns headed 决算数, as a 决算 prints them."""
    cols = [replace(c, path=(*c.path[:-1], "决算数")) if c.path[-1] == "预算数" else c for c in table.cols]
    return replace(table, cols=cols)


def procurement_table(b: SampleBudget) -> TableModel:
    def fig(name, value):
        return Fig(value, LineKey(name=name), "total")

    rows: list[list[Cell]] = [["合计", "", "", "", "", fig("合计", b.procurement_total)]]
    for label, category in (("一、货物", "货物"), ("二、服务", "服务")):
        lines = [p for p in b.procurement if p.category == category]
        rows.append([label, "", "", "", "", fig(category, b.procurement_by(category))])
        for project, econ in dict.fromkeys((p.project, p.econ) for p in lines):
            group = [p for p in lines if (p.project, p.econ) == (project, econ)]
            rows.append(["", project, econ, "", "", fig(project, sum((p.amount for p in group), ZERO))])
            rows += [["", "", "", p.item, p.method, fig(p.item, p.amount)] for p in group]
    cols = [
        Col(("采购品目大类",), 1.0, "L"),
        Col(("专项名称",), 1.3, "L"),
        Col(("经济科目",), 1.1, "L"),
        Col(("采购物品名称",), 1.7, "L"),
        Col(("采购组织形式",), 1.1, "C"),
        Col(("总计",), 0.9),
    ]
    return TableModel("government_procurement", "政府采购预算表", cols, rows)


# -- variants of a table ------------------------------------------------------------------------------------


def split_codes(table: TableModel, code_header: str, three_rows: bool = False) -> TableModel:
    """Codes printed in 类 | 款 | 项 columns under the code header ("201" | "03" | "01"); `three_rows`: 项目 over
    the code and name columns, the measures under a group of their own, the Ministry of Finance's header."""
    at = next(j for j, c in enumerate(table.cols) if c.path[-1] in (CODE, code_header) or "编码" in c.path[-1])
    parts = (
        ["类", "款", "项"] if any(len(r[at] or "") == 7 for r in table.rows if isinstance(r[at], str)) else ["类", "款"]
    )
    top = ("项目",) if three_rows else ()
    code_cols = [Col((*top, code_header, p), 0.45, "C") for p in parts]
    name_col = replace(table.cols[at + 1], path=(*top, table.cols[at + 1].path[-1]))
    cols = [*table.cols[:at], *code_cols, name_col, *table.cols[at + 2 :]]
    rows = []
    for row in table.rows:
        code = row[at] if isinstance(row[at], str) else ""
        pieces = [code[:3], code[3:5], code[5:7]][: len(parts)]
        rows.append([*row[:at], *pieces, *row[at + 1 :]])
    return replace(table, cols=cols, rows=rows)


def rename_code_headers(table: TableModel, code: str, name: str) -> TableModel:
    cols = []
    for c in table.cols:
        if c.path[-1] == CODE:
            c = replace(c, path=(*c.path[:-1], code))
        elif c.path[-1] == NAME:
            c = replace(c, path=(*c.path[:-1], name))
        cols.append(c)
    return replace(table, cols=cols)


def group_measures(table: TableModel, group: str) -> TableModel:
    """The amount columns under one group header ("一般公共预算支出" over 合计 | 基本支出 | 项目支出)."""
    cols = [replace(c, path=(group, *c.path)) if c.align == "R" and c.path[0] != "预算单位" else c for c in table.cols]
    return replace(table, cols=cols)


def with_prior_year_block(table: TableModel, b: SampleBudget, rng: random.Random, style: str) -> TableModel:
    """Last year's figures printed beside this year's: a "{year-1}年预算数" block before the "{year}年预算数"
    block ("blocks"), or one 上年预算数 column before this year's (a "column")."""
    year = b.fiscal_year
    measure_at = [j for j, c in enumerate(table.cols) if c.align == "R"]
    ratio = Decimal(str(round(rng.uniform(0.6, 0.95), 3)))

    def prior(cell: Cell) -> Cell:
        if not isinstance(cell, Fig):
            return cell
        return replace(cell, yuan=(cell.yuan * ratio).quantize(Decimal("0.01")), current=False)

    if style == "blocks":
        before = [replace(table.cols[j], path=(f"{year - 1}年预算数", *table.cols[j].path)) for j in measure_at]
        now = [replace(table.cols[j], path=(f"{year}年预算数", *table.cols[j].path)) for j in measure_at]
        first = measure_at[0]
        cols = [*table.cols[:first], *before, *now]
        rows = [
            [*row[:first], *[prior(row[j]) for j in measure_at], *[row[j] for j in measure_at]] for row in table.rows
        ]
        return replace(table, cols=cols, rows=rows)
    total_at = next(j for j in measure_at if any(isinstance(r[j], Fig) and r[j].measure == "total" for r in table.rows))
    cols = list(table.cols)
    cols.insert(measure_at[0], replace(table.cols[total_at], path=("上年预算数",)))
    now = [replace(c, path=("本年预算数", *c.path)) if j in measure_at else c for j, c in enumerate(table.cols)]
    cols = [*now[: measure_at[0]], replace(table.cols[total_at], path=("上年预算数",)), *now[measure_at[0] :]]
    rows = [[*row[: measure_at[0]], prior(row[total_at]), *row[measure_at[0] :]] for row in table.rows]
    return replace(table, cols=cols, rows=rows)
