"""Seeded template variants of a budget disclosure, each with its ground truth.

A seed picks a fictional department, a year and an edition (部门预算 / 单位预算), then how its standard tables are
printed, the ways real templates differ: title wordings and prefixes (ordinals, 附表N, year, department, 部门 /
单位 / 预算单位 in front, "…功能分类预算表", "…经济分类预算表"), units (元 / 千元 / 万元, the “三公” table in a
unit of its own), portrait or landscape pages, borders (ruling lines, a rectangle per cell, horizontal rules
only), codes joined or in 类 | 款 | 项 columns, one to three header rows, tables continued over pages with or
without their header, the combined “三公”经费和机关运行经费预算表, last year's figures beside this year's, a
department of two budget units, tables left out. Some seeds print a 部门决算 (final accounts) instead: a 决算
cover, the tables that have a 决算 counterpart under their 决算 titles, the overall table's amounts headed 决算数,
and the “三公” table as 预算数 | 决算数 per item.

    build_variant(seed) -> Variant          # the story and its truth (figures in exact 元)
    write_variant(out_dir, seed) -> Path    # the PDF, and its truth as <name>.truth.json beside it
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from orchestration.samples.data import ZERO
from orchestration.samples.layout import cn_ordinal
from orchestration.samples.variant_layout import (
    PageStyle,
    TitleBlock,
    build_pdf,
    cover_flowables,
    table_flowables,
)
from orchestration.samples.variant_model import (
    VARIANT_YEARS,
    budget_units,
    department_name,
    draw_budget,
)
from orchestration.samples.variant_tables import (
    TableModel,
    economic_blocks_table,
    economic_table,
    expenditure_by_function_table,
    expenditure_table,
    fiscal_overall_table,
    function_table,
    government_fund_final_accounts_table,
    group_measures,
    headed_final_accounts,
    overall_table,
    procurement_table,
    rename_code_headers,
    revenue_by_function_table,
    revenue_table,
    split_codes,
    three_public_final_accounts_table,
    three_public_table,
    with_prior_year_block,
)

STANDARD_ORDER = [
    "overall",
    "revenue_summary",
    "expenditure_summary",
    "fiscal_appropriation_overall",
    "function_fiscal_appropriation",
    "function_general_public",
    "basic_economic_general_public",
    "three_public",
    "government_procurement",
]
# the tables a disclosure may leave out (the overall and function tables are always printed)
MAY_BE_MISSING = [
    "revenue_summary",
    "expenditure_summary",
    "fiscal_appropriation_overall",
    "function_fiscal_appropriation",
    "basic_economic_general_public",
    "government_procurement",
]
WORDINGS = {
    "overall": ["收支预算总表", "收支总表", "财务收支预算总表", "收支总体情况表"],
    "revenue_summary": ["收入预算总表", "收入总表"],
    "expenditure_summary": ["支出预算总表", "支出总表"],
    "fiscal_appropriation_overall": ["财政拨款收支预算总表", "财政拨款收支总表", "财政拨款收支总体情况表"],
    "function_fiscal_appropriation": [
        "财政拨款支出预算表（功能科目）",
        "财政拨款支出功能分类预算表",
        "财政拨款支出预算表（按功能分类）",
    ],
    "function_general_public": [
        "一般公共预算支出预算表（功能科目）",
        "一般公共预算支出功能分类预算表",
        "一般公共预算支出表",
        "一般公共预算支出情况表",
    ],
    "basic_economic_general_public": [
        "一般公共预算基本支出预算表（经济科目）",
        "一般公共预算基本支出经济分类预算表",
        "一般公共预算基本支出表（按经济分类）",
        "一般公共预算基本支出部门预算经济分类预算表",
    ],
    "three_public": ["“三公”经费支出预算表", "一般公共预算“三公”经费支出表", "“三公”经费支出表"],
    "three_public+operating_costs": ["“三公”经费和机关运行经费预算表", "一般公共预算“三公”经费和机关运行经费预算表"],
    "government_procurement": ["政府采购预算表", "政府采购支出预算表"],
}
# a 部门决算 prints the tables that have a 决算 counterpart, under these titles
FINAL_ACCOUNTS_WORDINGS = {
    "overall": ["收入支出决算总表", "收支决算总表"],
    "revenue_summary": ["收入决算表"],
    "expenditure_summary": ["支出决算表"],
    "fiscal_appropriation_overall": ["财政拨款收入支出决算总表"],
    "function_general_public": ["一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表（功能科目）"],
    "basic_economic_general_public": ["一般公共预算财政拨款基本支出决算表"],
    "three_public": [
        "财政拨款“三公”经费支出决算表",
        "一般公共预算财政拨款“三公”经费支出决算表",
        "“三公”经费支出决算表",
    ],
    "function_government_fund": ["政府性基金预算财政拨款收入支出决算表"],
}
FUNCTION_HEADERS = [
    ("科目编码", "科目名称"),
    ("功能分类科目编码", "功能分类科目名称"),
    ("功能科目编码", "功能科目名称"),
]
ECONOMIC_HEADERS = [("科目编码", "科目名称"), ("经济分类科目编码", "经济分类科目名称")]
MEASURE_GROUPS = {"function_general_public": "一般公共预算支出", "function_fiscal_appropriation": "财政拨款支出"}


@dataclass(frozen=True)
class VariantSpec:
    """Every choice a seed makes; `classes` names them for the summary of the variant test."""

    seed: int
    department: str
    fiscal_year: int
    edition: str  # department (部门预算) | unit (单位预算)
    unit: str  # 元 | 千元 | 万元
    three_public_unit: str
    page: PageStyle
    numbering: str  # number_line | ordinal | arabic | appendix | none
    title_prefix: str  # plain | year | year_du | department_year | year_word | word
    wordings: dict[str, int]
    department_label: str | None  # 部门 | 编制部门 | 单位名称 | 预算单位 | None (named on the cover only)
    codes: str  # joined | split
    header_rows: int  # 1 | 2 | 3 (the function tables)
    overall_style: str  # jiangsu | ministry
    three_public: str  # plain | combined | prior_blocks | budget_and_actual (a 决算: 预算数 | 决算数 per item)
    function_prior: bool  # a 上年预算数 column before this year's in the 一般公共预算 function table
    budget_units: bool
    missing: tuple[str, ...]
    document_kind: str = "budget"  # budget (部门预算) | final_accounts (部门决算)
    # a 决算's 收入决算表 and 支出决算表: totals (as a budget prints them) | by_function (a line per 类/款/项)
    final_accounts_summaries: str = "totals"
    # a 决算's 基本支出决算表: one code block | two blocks side by side (人员经费 | 公用经费)
    final_accounts_economic: str = "one_block"

    @property
    def classes(self) -> list[str]:
        out = [
            f"unit:{self.unit}",
            f"page:{self.page.orientation}",
            f"borders:{self.page.borders}",
            f"pagination:{self.page.pagination}",
            f"codes:{self.codes}",
            f"header_rows:{self.header_rows}",
            f"title_number:{self.numbering}",
            f"title_prefix:{self.title_prefix}",
            f"edition:{self.edition}",
            f"department_label:{self.department_label or 'cover only'}",
            f"overall:{self.overall_style}",
            f"three_public:{self.three_public}",
            f"document_kind:{self.document_kind}",
        ]
        if self.final_accounts_summaries != "totals":
            out.append(f"final_accounts_summaries:{self.final_accounts_summaries}")
        if self.final_accounts_economic != "one_block":
            out.append(f"final_accounts_economic:{self.final_accounts_economic}")
        if self.three_public_unit != self.unit:
            out.append("three_public_unit_differs")
        if self.function_prior:
            out.append("function:prior_year_column")
        if self.budget_units:
            out.append("budget_units")
        if self.missing:
            out.append("tables_missing")
        return out


def choose_spec(seed: int, document_kind: str | None = None) -> VariantSpec:
    """The seed's choices; `document_kind` given overrides the seed's (every other choice stays)."""
    rng = random.Random(seed)
    edition = "unit" if rng.random() < 0.3 else "department"
    unit = rng.choice(["元", "千元", "万元"])
    page = PageStyle(
        orientation=rng.choice(["portrait", "landscape"]),
        borders=rng.choices(["lines", "rects", "hrules"], weights=[5, 4, 1])[0],
        pagination=rng.choice(["repeat", "bare", "flow"]),
        row_height=rng.choice([18, 20, 22, 24]),
        commas=rng.random() < 0.85,
    )
    header_rows = rng.choice([1, 2, 3])
    spec = VariantSpec(
        seed=seed,
        department=department_name(rng),
        fiscal_year=rng.choice(VARIANT_YEARS),
        edition=edition,
        unit=unit,
        three_public_unit="万元" if unit == "元" and rng.random() < 0.5 else unit,
        page=page,
        numbering=rng.choice(["number_line", "ordinal", "arabic", "appendix", "none"]),
        title_prefix=rng.choice(["plain", "year", "year_du", "department_year", "year_word", "word"]),
        wordings={key: rng.randrange(len(options)) for key, options in WORDINGS.items()},
        department_label=rng.choice(
            ["部门", "编制部门", "单位名称", None] + (["预算单位"] if edition == "unit" else ["部门"])
        ),
        codes="split" if header_rows == 3 else rng.choice(["joined", "split"]),
        header_rows=header_rows,
        overall_style=rng.choice(["jiangsu", "ministry"]),
        three_public=rng.choice(["plain", "combined", "prior_blocks"]),
        function_prior=rng.random() < 0.2,
        budget_units=rng.random() < 0.2,
        missing=tuple(sorted(rng.sample(MAY_BE_MISSING, rng.choice([0, 0, 1, 2])))),
    )
    # drawn last, so that a budget seed prints what it printed before final accounts were among the choices
    drawn = "final_accounts" if rng.random() < 0.25 else "budget"
    if (document_kind or drawn) == "final_accounts":
        return replace(
            spec,
            document_kind="final_accounts",
            edition="department",
            department_label="部门" if spec.department_label == "预算单位" else spec.department_label,
            three_public="budget_and_actual",
            function_prior=False,
            missing=tuple(t for t in spec.missing if t in FINAL_ACCOUNTS_WORDINGS),
            final_accounts_summaries=rng.choice(["totals", "by_function"]),
            final_accounts_economic=rng.choice(["one_block", "two_blocks"]),
        )
    return spec


@dataclass
class Variant:
    spec: VariantSpec
    tables: list[tuple[TableModel, TitleBlock]]
    story: list
    pages: dict[str, list[int]] = field(default_factory=dict)  # filled when the PDF is built

    @property
    def file_name(self) -> str:
        edition = "单位预算" if self.spec.edition == "unit" else "部门预算"
        if self.spec.document_kind == "final_accounts":
            return f"{self.spec.department}{self.spec.fiscal_year}年度部门决算_v{self.spec.seed}.pdf"
        return f"{self.spec.department}{self.spec.fiscal_year}年{edition}_v{self.spec.seed}.pdf"

    def _pages_of(self, table_type: str) -> list[int]:
        marks = self.pages.get(table_type) or []
        return list(range(min(marks), max(marks) + 1)) if marks else []

    def truth(self) -> dict:
        """What the PDF prints: the labels, and every figure this year's, per table type, line and measure, in
        exact 元 (a figure printed in 千元 or 万元 is the 元 amount rounded to two places of that unit)."""
        s = self.spec
        figures = []
        for table, _ in self.tables:
            unit = table.unit or s.unit
            for fig in table.figures():
                if not fig.current:
                    continue
                key = fig.key
                figures.append(
                    {
                        "table_type": table.table_type,
                        "code": key.code,
                        "name": key.name,
                        "item": key.item,
                        "group": key.group,
                        "budget_unit": key.budget_unit,
                        "measure": fig.measure,
                        "yuan": f"{fig.yuan:.2f}",
                        "unit": unit,
                    }
                )
        return {
            "seed": s.seed,
            "department": s.department,
            "fiscal_year": s.fiscal_year,
            "edition": s.edition,
            "document_kind": s.document_kind,
            "unit": s.unit,
            "classes": s.classes,
            "tables": {
                t.table_type: {"title": block.title, "unit": t.unit or s.unit, "pages": self._pages_of(t.table_type)}
                for t, block in self.tables
            },
            "figures": figures,
        }


def _title(spec: VariantSpec, key: str, n: int, rng: random.Random) -> tuple[str | None, str]:
    """(number line, title as printed) of the n-th table."""
    if spec.document_kind == "final_accounts":
        options = FINAL_ACCOUNTS_WORDINGS[key]
        base = options[spec.wordings.get(key, 0) % len(options)]
    else:
        base = WORDINGS[key][spec.wordings[key]]
    word = rng.choice(["单位", "预算单位"]) if spec.edition == "unit" else "部门"
    y, d = spec.fiscal_year, spec.department
    title = {
        "plain": base,
        "year": f"{y}年{base}",
        "year_du": f"{y}年度{base}",
        "department_year": f"{d}{y}年{base}",
        "year_word": f"{y}年{word}{base}",
        "word": f"{word}{base}",
    }[spec.title_prefix]
    prefix = {"ordinal": f"{cn_ordinal(n)}、", "arabic": f"{n}.", "appendix": f"附表{n}："}.get(spec.numbering, "")
    number = f"公开{n:02d}表" if spec.numbering == "number_line" else None
    return number, prefix + title


def _tables(spec: VariantSpec, rng: random.Random) -> list[TableModel]:
    budget = draw_budget(rng, spec.department, spec.fiscal_year)
    if spec.document_kind == "final_accounts":  # money spent has no 单位预留机动经费: it went to projects
        items = [replace(i, project=i.project + i.reserve, reserve=ZERO) for i in budget.items]
        budget = replace(budget, items=items)
    units = budget_units(rng, budget) if spec.budget_units else None
    function_headers = FUNCTION_HEADERS[rng.randrange(len(FUNCTION_HEADERS))]
    economic_headers = ECONOMIC_HEADERS[rng.randrange(len(ECONOMIC_HEADERS))]
    built: dict[str, TableModel] = {
        "overall": overall_table(budget, spec.overall_style),
        "revenue_summary": revenue_table(budget),
        "expenditure_summary": expenditure_table(budget),
        "fiscal_appropriation_overall": fiscal_overall_table(budget),
    }
    for key in ("function_fiscal_appropriation", "function_general_public"):
        table = function_table(budget, key, units if key == "function_general_public" else None)
        table = rename_code_headers(table, *function_headers)
        if spec.header_rows >= 2 and (spec.codes == "joined" or spec.header_rows == 3):
            table = group_measures(table, MEASURE_GROUPS[key])
        if spec.codes == "split":
            table = split_codes(table, function_headers[0], three_rows=spec.header_rows == 3)
        if key == "function_general_public" and spec.function_prior:
            table = with_prior_year_block(table, budget, rng, "column")
        built[key] = table
    economic = rename_code_headers(economic_table(budget), *economic_headers)
    built["basic_economic_general_public"] = (
        split_codes(economic, economic_headers[0]) if spec.codes == "split" else economic
    )
    if spec.three_public == "budget_and_actual":
        three = three_public_final_accounts_table(budget, rng)
    else:
        three = three_public_table(budget, with_operating_costs=spec.three_public == "combined")
    if spec.three_public == "prior_blocks":
        three = with_prior_year_block(three, budget, rng, "blocks")
    built["three_public"] = replace(three, unit=spec.three_public_unit if spec.three_public_unit != spec.unit else None)
    built["government_procurement"] = procurement_table(budget)
    if spec.document_kind == "final_accounts":
        built["overall"] = headed_final_accounts(built["overall"])
        if spec.final_accounts_summaries == "by_function":
            for key, table in (
                ("revenue_summary", revenue_by_function_table(budget)),
                ("expenditure_summary", expenditure_by_function_table(budget)),
            ):
                table = rename_code_headers(table, *function_headers)
                built[key] = split_codes(table, function_headers[0]) if spec.codes == "split" else table
        built["function_government_fund"] = government_fund_final_accounts_table(spec.department)
        if spec.final_accounts_economic == "two_blocks":
            built["basic_economic_general_public"] = economic_blocks_table(
                budget, *economic_headers, split=spec.codes == "split"
            )
        order = [*STANDARD_ORDER, "function_government_fund"]
        return [built[key] for key in order if key in FINAL_ACCOUNTS_WORDINGS and key not in spec.missing]
    return [built[key] for key in STANDARD_ORDER if key not in spec.missing]


def _cover(spec: VariantSpec, rng: random.Random) -> list[str]:
    d, y = spec.department, spec.fiscal_year
    if spec.document_kind == "final_accounts":
        return rng.choice([[d, f"{y}年度部门决算"], [f"{d}{y}年度部门决算"]])
    if spec.edition == "unit":
        return rng.choice([[d, f"{y}年度单位预算"], [f"{d}{y}年单位预算"]])
    return rng.choice([[d, f"{y}年度部门预算"], [f"{d}{y}年部门预算公开"]])


def build_variant(
    seed: int, department: str | None = None, fiscal_year: int | None = None, document_kind: str | None = None
) -> Variant:
    """The variant of `seed`; `department`, `fiscal_year` and `document_kind` (budget | final_accounts) given fix
    the labels and leave every other choice."""
    spec = choose_spec(seed, document_kind)
    spec = replace(spec, department=department or spec.department, fiscal_year=fiscal_year or spec.fiscal_year)
    rng = random.Random(seed * 7919 + 1)
    tables = _tables(spec, rng)
    pages: dict[str, list[int]] = {}
    story = cover_flowables(_cover(spec, rng))
    placed = []
    for n, table in enumerate(tables, start=1):
        key = "three_public+operating_costs" if table.title.startswith("“三公”经费和") else table.table_type
        number, title = _title(spec, key, n, rng)
        unit = table.unit or spec.unit
        label = f"{spec.department_label}：{spec.department}" if spec.department_label else None
        block = TitleBlock(number, title, label, f"单位：{unit}")
        story += table_flowables(table, block, spec.page, unit, first=n == 1, pages=pages)
        placed.append((table, block))
    return Variant(spec, placed, story, pages)


def write_variant(
    out_dir: str | Path,
    seed: int,
    department: str | None = None,
    fiscal_year: int | None = None,
    document_kind: str | None = None,
) -> Path:
    """The variant's PDF under out_dir, its truth beside it (<name>.truth.json)."""
    variant = build_variant(seed, department, fiscal_year, document_kind)
    path = Path(out_dir) / variant.file_name
    build_pdf(path, variant.story, variant.spec.page, title=path.stem)
    path.with_suffix(".truth.json").write_text(
        json.dumps(variant.truth(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return path
