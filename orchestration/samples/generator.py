"""Sample 部门预算公开 PDFs in the Jiangsu provincial template, from the data model in ``data``.

Fictional departments, real 政府收支分类科目 codes, figures that agree everywhere: the tables and
the narrative are printed from one ``SampleBudget``, whose totals are computed by summing. One
department publishes a single PDF per year (narrative + tables); the other a narrative PDF
(…文件.pdf) and a tables PDF (…表格.pdf), the two shapes the real corpus has.

    build_sample_budgets() -> list[SampleBudget]   # the model, for tests to assert against
    write_samples(out_dir) -> list[Path]           # the PDFs, byte-identical on every run
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.platypus import PageBreak, Spacer

from orchestration.samples.data import CLASS_LIST, SampleBudget, build_sample_budgets
from orchestration.samples.layout import (
    Grid,
    amount,
    build_pdf,
    cn_ordinal,
    cover,
    figure,
    flowing_grid_flowables,
    grid_flowables,
    paragraph,
)

__all__ = ["TABLE_TITLES", "SampleBudget", "build_sample_budgets", "document_files", "write_samples"]

REGION_DIR = "jiangsu"
TABLE_TITLES = [
    "收支预算总表",
    "收入预算总表",
    "支出预算总表",
    "财政拨款收支预算总表",
    "财政拨款支出预算表（功能科目）",
    "一般公共预算支出预算表（功能科目）",
    "一般公共预算基本支出预算表（经济科目）",
    "“三公”经费支出预算表",
    "政府采购预算表",
]
LONG_TABLE = "一般公共预算支出预算表（功能科目）"  # runs across two pages in every sample


# -- the tables --------------------------------------------------------------------------------


def overall_table(b: SampleBudget) -> Grid:
    """收支预算总表: revenue by source; expenditure by function class and by use."""
    classes = CLASS_LIST[b.fiscal_year]
    totals = b.class_totals()
    revenue = [
        ("一、财政拨款", b.general_total),
        ("1.一般公共预算", b.general_total),
        ("2.政府性基金预算", None),
        ("二、财政专户管理资金", None),
        ("三、其他资金", b.other_funds),
    ]
    uses = [
        ("一、基本支出", b.basic_total),
        ("二、项目支出", b.project_total),
        ("三、单位预留机动经费", b.reserve_total),
    ]
    body = []
    for i, (code, name) in enumerate(classes):
        rev = revenue[i] if i < len(revenue) else ("", None)
        use = uses[i] if i < len(uses) else ("", None)
        body.append(
            [rev[0], amount(rev[1]), f"{cn_ordinal(i + 1)}、{name}", amount(totals.get(code)), use[0], amount(use[1])]
        )
    n = len(body)
    body += [
        ["当年收入小计", amount(b.total), "当年支出小计", "", "", amount(b.total)],
        ["上年结转资金", "", "结转下年资金", "", "", ""],
        ["收入合计", amount(b.total), "支出合计", "", "", amount(b.total)],
    ]
    return Grid(
        1,
        "收支预算总表",
        header=[
            ["收入", "", "支出", "", "", ""],
            ["项目名称", "金额", "功能分类", "", "支出用途", ""],
            ["", "", "功能科目名称", "金额", "项目名称", "金额"],
        ],
        body=body,
        widths=[88, 62, 141, 62, 90, 62],
        font_size=8.5,
        align="LRLRLR",
        header_spans=[
            ((0, 0), (1, 0)),
            ((2, 0), (5, 0)),
            ((0, 1), (0, 2)),
            ((1, 1), (1, 2)),
            ((2, 1), (3, 1)),
            ((4, 1), (5, 1)),
        ],
        body_spans=[((2, r), (4, r)) for r in range(n, n + 3)],
        centered=[(c, r) for r in range(n, n + 3) for c in (0, 2)],
    )


def revenue_table(b: SampleBudget) -> Grid:
    """收入预算总表: sources in groups, the group name merged down its rows."""
    groups = [
        (
            "一般公共预算资金",
            [("小计", b.general_total), ("公共财政拨款（补助）资金", b.general_total), ("专项收入", None)],
        ),
        ("政府性基金", [("小计", None)]),
        ("财政专户管理资金", [("小计", None), ("专户管理教育收费", None), ("其他非税收入", None)]),
        ("其他资金", [("小计", b.other_funds), ("事业收入", b.other_funds), ("经营收入", None), ("其他收入", None)]),
        ("上年结转和结余资金", [("小计", None), ("其中：动用上年结转和结余资金", None)]),
    ]
    body, spans = [["收入总计", "", amount(b.total)]], [((0, 0), (1, 0))]
    for name, lines in groups:
        if len(lines) > 1:
            spans.append(((0, len(body)), (0, len(body) + len(lines) - 1)))
        body += [[name if i == 0 else "", label, amount(value)] for i, (label, value) in enumerate(lines)]
    return Grid(
        2,
        "收入预算总表",
        header=[["项目名称", "", "金额"]],
        body=body,
        widths=[150, 220, 135],
        header_spans=[((0, 0), (1, 0))],
        body_spans=spans,
        align="CLR",
    )


def expenditure_table(b: SampleBudget) -> Grid:
    return Grid(
        3,
        "支出预算总表",
        header=[["合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"]],
        body=[[amount(b.total), amount(b.basic_total), amount(b.project_total), amount(b.reserve_total), ""]],
        widths=[101] * 5,
        align="RRRRR",
    )


def fiscal_overall_table(b: SampleBudget) -> Grid:
    """财政拨款收支预算总表 (财政拨款 only: no 其他资金)."""
    fiscal_project = b.project_total - b.other_funds
    body = [
        ["一、一般公共预算", amount(b.general_total), "一、基本支出", amount(b.basic_total)],
        ["二、政府性基金预算", "", "二、项目支出", amount(fiscal_project)],
        ["", "", "三、单位预留机动经费", amount(b.reserve_total)],
        ["收入合计", amount(b.general_total), "支出合计", amount(b.general_total)],
    ]
    return Grid(
        4,
        "财政拨款收支预算总表",
        header=[["收入", "", "支出", ""], ["项目名称", "金额", "支出用途", ""], ["", "", "项目名称", "金额"]],
        body=body,
        widths=[140, 112, 140, 113],
        align="LRLR",
        header_spans=[((0, 0), (1, 0)), ((2, 0), (3, 0)), ((0, 1), (0, 2)), ((1, 1), (1, 2)), ((2, 1), (3, 1))],
    )


def fiscal_function_table(b: SampleBudget) -> Grid:
    rows = [["", "合计", amount(b.general_total)]]
    rows += [[r.code, r.name, amount(r.total)] for r in b.function_rows("general")]
    return Grid(
        5,
        "财政拨款支出预算表（功能科目）",
        header=[["功能科目编码", "功能科目名称", "金额"]],
        body=rows,
        widths=[110, 265, 130],
        centered=[(1, 0)],
    )


def general_function_table(b: SampleBudget) -> Grid:
    """一般公共预算支出预算表（功能科目）; a 单位预留机动经费 column where the budget has a reserve."""
    with_reserve = b.reserve_total > 0
    header = ["科目代码", "科目名称", "合计", "基本支出", "项目支出"] + (["单位预留机动经费"] if with_reserve else [])

    def cells(total, basic, project, reserve):
        return [amount(total), amount(basic), amount(project)] + ([amount(reserve)] if with_reserve else [])

    rows = [["", "合计", *cells(b.general_total, b.basic_total, b.project_total - b.other_funds, b.reserve_total)]]
    rows += [[r.code, r.name, *cells(r.total, r.basic, r.project, r.reserve)] for r in b.function_rows("general")]
    widths = [56, 185, 66, 66, 66, 66] if with_reserve else [60, 205, 80, 80, 80]
    return Grid(
        6,
        LONG_TABLE,
        header=[header],
        body=rows,
        widths=widths,
        align="LL" + "R" * (len(header) - 2),
        centered=[(1, 0)],
    )


def economic_table(b: SampleBudget) -> Grid:
    rows = [["", "合计", amount(b.basic_total)]] + [[e.code, e.name, amount(e.amount)] for e in b.economic_rows()]
    return Grid(
        7,
        "一般公共预算基本支出预算表（经济科目）",
        header=[["科目编码", "科目名称", "金额"]],
        body=rows,
        widths=[110, 265, 130],
        centered=[(1, 0)],
    )


def three_public_table(b: SampleBudget) -> Grid:
    t = b.three_public
    return Grid(
        8,
        "“三公”经费支出预算表",
        header=[
            ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "", ""],
            ["", "", "", "小计", "其中：公务用车购置费", "公务用车运行费"],
        ],
        body=[
            [
                amount(t.total),
                amount(t.abroad),
                amount(t.reception),
                amount(t.vehicle),
                amount(t.vehicle_purchase),
                amount(t.vehicle_running),
            ]
        ],
        widths=[75, 90, 75, 75, 110, 80],
        align="RRRRRR",
        header_spans=[((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (2, 1)), ((3, 0), (5, 0))],
    )


def procurement_table(b: SampleBudget) -> Grid:
    """政府采购预算表: 品目大类 subtotal, then each (专项, 经济科目) subtotal and its items."""
    rows = [["合计", "", "", "", "", amount(b.procurement_total)]]
    for label, category in (("一、货物A", "货物"), ("三、服务C", "服务")):
        lines = [p for p in b.procurement if p.category == category]
        rows.append([label, "", "", "", "", amount(b.procurement_by(category))])
        for key in dict.fromkeys((p.project, p.econ) for p in lines):
            group = [p for p in lines if (p.project, p.econ) == key]
            rows.append(["", *key, "", "", amount(sum((p.amount for p in group), Decimal(0)))])
            rows += [["", "", "", p.item, p.method, amount(p.amount)] for p in group]
    # the real template prints the year only here, which is how a tables-only file tells its year
    return Grid(
        9,
        f"{b.fiscal_year}年政府采购预算表",
        header=[["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"]],
        body=rows,
        widths=[70, 92, 80, 123, 75, 65],
        align="LLLLCR",
    )


TABLE_BUILDERS = [
    overall_table,
    revenue_table,
    expenditure_table,
    fiscal_overall_table,
    fiscal_function_table,
    general_function_table,
    economic_table,
    three_public_table,
    procurement_table,
]


def tables_story(b: SampleBudget, unruled: tuple = (), flowing: bool = False) -> list:
    """Every table on pages of its own; the tables of the builders in `unruled` printed without their lines.
    `flowing`: the tables set one after another instead, breaking wherever a page ends."""
    if flowing:
        return [f for builder in TABLE_BUILDERS for f in flowing_grid_flowables(builder(b), b.department)]
    story: list = []
    for builder in TABLE_BUILDERS:
        if story:
            story.append(PageBreak())
        story += grid_flowables(builder(b), b.department, ruled=builder not in unruled)
    return story


# -- the narrative -----------------------------------------------------------------------------


def _pct(part: Decimal, whole: Decimal) -> str:
    return f"{part / whole * 100:.2f}%" if whole else "0.00%"


def contents_story(b: SampleBudget) -> list:
    y = b.fiscal_year
    lines = [
        "第一部分 部门概况",
        "一、主要职能",
        "二、部门机构设置及预算单位构成情况",
        f"三、{y}年度部门主要工作任务及目标",
        f"第二部分 {y}年度部门预算表",
    ]
    lines += [f"{cn_ordinal(i + 1)}、{title}" for i, title in enumerate(TABLE_TITLES)]
    lines += [f"第三部分 {y}年度部门预算情况说明", "第四部分 名词解释"]
    return [paragraph("目    录", "part"), *[paragraph(line, "toc") for line in lines], PageBreak()]


def overview_story(b: SampleBudget) -> list:
    y = b.fiscal_year
    return [
        paragraph("第一部分 部门概况", "part"),
        paragraph("一、主要职能", "heading"),
        paragraph(f"{b.department}为示例数据中虚构的省级部门，{b.functions}"),
        paragraph("二、部门机构设置及预算单位构成情况", "heading"),
        paragraph(f"纳入本部门{y}年部门汇总预算编制范围的预算单位包括：{b.units}。"),
        paragraph(f"三、{y}年度部门主要工作任务及目标", "heading"),
        paragraph(
            f"{y}年，{b.short_name}将围绕年度重点任务，完善工作机制，提升服务质量，"
            "按照厉行节约的要求编制和执行部门预算。"
        ),
        PageBreak(),
    ]


def explanation_story(b: SampleBudget) -> list:
    """第三部分: every figure here is one of the table figures (or their differences and shares)."""
    y, s, t = b.fiscal_year, b.short_name, b.three_public
    direction, rate = ("增加", "增长") if b.change >= 0 else ("减少", "下降")
    p = [
        paragraph(f"第三部分 {y}年度部门预算情况说明", "part"),
        paragraph("一、收支预算总体情况说明", "heading"),
        paragraph(
            f"{b.department}{y}年度收入预算总计{figure(b.total)}万元，支出预算总计{figure(b.total)}万元，"
            f"与上年相比{direction}{figure(abs(b.change))}万元，{rate}{_pct(abs(b.change), b.prior_total)}。"
        ),
        paragraph(
            f"（一）收入预算总计{figure(b.total)}万元。包括：财政拨款收入预算{figure(b.general_total)}万元，"
            f"其中一般公共预算收入预算{figure(b.general_total)}万元"
            + (f"；其他资金收入预算{figure(b.other_funds)}万元。" if b.other_funds else "。")
        ),
        paragraph(f"（二）支出预算总计{figure(b.total)}万元。包括："),
    ]
    names = dict(CLASS_LIST[y])
    for i, (code, value) in enumerate(b.class_totals().items()):
        p.append(paragraph(f"{i + 1}．{names[code]}（类）支出{figure(value)}万元。"))
    p.append(
        paragraph(
            f"此外，基本支出预算数为{figure(b.basic_total)}万元；项目支出预算数为{figure(b.project_total)}万元"
            + (f"；单位预留机动经费预算数为{figure(b.reserve_total)}万元。" if b.reserve_total else "。")
        )
    )
    p += [
        paragraph("二、收入预算情况说明", "heading"),
        paragraph(
            f"{s}本年收入预算合计{figure(b.total)}万元，其中：一般公共预算收入{figure(b.general_total)}万元，"
            f"占{_pct(b.general_total, b.total)}"
            + (f"；其他资金{figure(b.other_funds)}万元，占{_pct(b.other_funds, b.total)}。" if b.other_funds else "。")
        ),
        paragraph("三、支出预算情况说明", "heading"),
        paragraph(
            f"{s}本年支出预算合计{figure(b.total)}万元，其中：基本支出{figure(b.basic_total)}万元，"
            f"占{_pct(b.basic_total, b.total)}；项目支出{figure(b.project_total)}万元，"
            f"占{_pct(b.project_total, b.total)}"
            + (
                f"；单位预留机动经费{figure(b.reserve_total)}万元，占{_pct(b.reserve_total, b.total)}。"
                if b.reserve_total
                else "。"
            )
        ),
        paragraph("四、财政拨款收支预算总体情况说明", "heading"),
        paragraph(f"{s}{y}年度财政拨款收、支总预算{figure(b.general_total)}万元。"),
        paragraph("五、财政拨款支出预算情况说明", "heading"),
        paragraph(
            f"{s}{y}年财政拨款预算支出{figure(b.general_total)}万元，"
            f"占本年支出合计的{_pct(b.general_total, b.total)}。其中："
        ),
    ]
    rows = b.function_rows("general")
    for i, cls in enumerate(r for r in rows if len(r.code) == 3):
        p.append(paragraph(f"（{cn_ordinal(i + 1)}）{cls.name}（类）"))
        items = [r for r in rows if len(r.code) == 7 and r.code.startswith(cls.code)]
        for j, item in enumerate(items):
            p.append(
                paragraph(f"{j + 1}．{b.names[item.code[:5]]}（款）{item.name}（项）支出{figure(item.total)}万元。")
            )
    p += [
        paragraph("六、一般公共预算基本支出预算情况说明", "heading"),
        paragraph(
            f"{s}{y}年度一般公共预算基本支出预算{figure(b.basic_total)}万元。其中：人员经费"
            f"{figure(b.personnel_cost)}万元，主要包括工资福利支出和对个人和家庭的补助；公用经费"
            f"{figure(b.operating_cost)}万元，主要包括办公费、水电费、差旅费、会议费、培训费等商品和服务支出。"
        ),
        paragraph("七、“三公”经费预算情况说明", "heading"),
        paragraph(
            f"{s}{y}年度一般公共预算安排的“三公”经费预算{figure(t.total)}万元，其中：因公出国（境）费"
            f"{figure(t.abroad)}万元，公务接待费{figure(t.reception)}万元，公务用车购置及运行费"
            f"{figure(t.vehicle)}万元（其中：公务用车购置费{figure(t.vehicle_purchase)}万元，"
            f"公务用车运行费{figure(t.vehicle_running)}万元）。"
        ),
        paragraph("八、机关运行经费支出预算情况说明", "heading"),
        paragraph(f"{s}{y}年度一般公共预算机关运行经费{figure(b.operating_cost)}万元。"),
        paragraph("九、政府采购预算情况说明", "heading"),
        paragraph(
            f"{s}{y}年度政府采购预算总额{figure(b.procurement_total)}万元，其中：拟采购货物支出"
            f"{figure(b.procurement_by('货物'))}万元，拟购买服务支出{figure(b.procurement_by('服务'))}万元。"
        ),
        PageBreak(),
    ]
    return p


_GLOSSARY = [
    ("财政拨款", "本级财政当年拨付的资金，包括一般公共预算拨款和政府性基金预算拨款。"),
    ("财政专户管理资金", "纳入财政专户、按规定用途安排的非税收入资金。"),
    ("其他资金", "单位取得的事业收入、经营收入等财政拨款以外的资金。"),
    ("基本支出", "保障机构正常运转所需的人员经费和公用经费。"),
    ("项目支出", "为完成特定工作任务、在基本支出之外安排的支出。"),
    ("单位预留机动经费", "年初预留、用于年度执行中不可预见事项的经费。"),
    ("“三公”经费", "用一般公共预算拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"),
    ("机关运行经费", "一般公共预算基本支出中用于保障机关日常运转的公用经费。"),
]


def glossary_story() -> list:
    story = [paragraph("第四部分 名词解释", "part")]
    story += [paragraph(f"{cn_ordinal(i + 1)}、{term}：{text}") for i, (term, text) in enumerate(_GLOSSARY)]
    return story


# -- the documents -----------------------------------------------------------------------------


def document_files(b: SampleBudget) -> dict[str, list]:
    """File name -> story: one full PDF, or a 文件 (narrative) PDF and a 表格 (tables) PDF."""
    stem = f"{b.department}{b.fiscal_year}年度部门预算公开"
    front = cover(stem) + contents_story(b) + overview_story(b)
    back = explanation_story(b) + glossary_story()
    if not b.split_files:
        part_two = [Spacer(1, 300), paragraph(f"第二部分 {b.fiscal_year}年度部门预算表", "part"), PageBreak()]
        return {f"{stem}.pdf": front + part_two + tables_story(b) + [PageBreak()] + back}
    return {f"{stem}文件.pdf": front + back, f"{stem}表格.pdf": tables_story(b)}


def write_samples(out_dir: str | Path, budgets: list[SampleBudget] | None = None) -> list[Path]:
    """Write every sample PDF (or those of `budgets`) under out_dir/jiangsu/<部门>/, in a stable order."""
    written = []
    for budget in build_sample_budgets() if budgets is None else budgets:
        for name, story in document_files(budget).items():
            path = Path(out_dir) / REGION_DIR / budget.department / name
            build_pdf(path, story, title=Path(name).stem)
            written.append(path)
    return written
