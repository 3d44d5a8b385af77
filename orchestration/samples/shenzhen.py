"""A made-up disclosure in the look of the Shenzhen district template (表1 … 表10, integer 万元).

Its department has several budget units (预算单位): the function table prints each unit's row with that
unit's coded rows under it, and the 支出总表 and “三公” table print a row (or rows) per unit, which the
development corpus (one department of one unit) never shows. The figures add up by construction, so every
check passes; a test changes one of them to see it flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from orchestration.samples.layout import FONT, WIDTH, build_pdf, paragraph, register_font

YEAR = 2022
CLASS_NAMES = {"201": "一般公共服务支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出"}
ITEM_NAMES = {
    "20701": "文化和旅游",
    "2070101": "行政运行",
    "2070109": "群众文化",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
}


@dataclass
class BudgetUnit:
    name: str
    # 项 code -> (基本支出, 项目支出), 万元
    items: dict[str, tuple[int, int]]
    three_public: tuple[int, int, int] = (0, 0, 0)  # 2022: 因公出国（境）费, 公务用车运行维护费, 公务接待费
    three_public_prior: tuple[int, int, int] = (0, 0, 0)  # the same for 2021

    def amount(self, prefix: str, part: int | None = None) -> int:
        """Sum of the unit's 项 under a code prefix: basic (0), project (1) or both (None)."""
        rows = [v for code, v in self.items.items() if code.startswith(prefix)]
        return sum(sum(v) if part is None else v[part] for v in rows)

    def codes(self) -> list[str]:
        """Every 类, 款 and 项 the unit prints, in code order."""
        return sorted({c[:n] for c in self.items for n in (3, 5, 7)})


@dataclass
class ShenzhenSample:
    department: str = "深圳市龙华区示例文化局"
    units: list[BudgetUnit] = field(
        default_factory=lambda: [
            BudgetUnit(
                "深圳市龙华区示例文化局",
                {"2070101": (2300, 0), "2070109": (0, 6290), "2080505": (84, 0), "2010399": (0, 510)},
                three_public=(0, 12, 3),
                three_public_prior=(5, 10, 3),
            ),
            BudgetUnit(
                "深圳市龙华区示例文化馆",
                {"2070109": (600, 350), "2080505": (21, 0)},
                three_public=(0, 4, 1),
                three_public_prior=(0, 4, 0),
            ),
        ]
    )
    print_department_total: bool = True  # a 合计 row above the units in the function table and 支出总表

    def total(self, part: int | None = None) -> int:
        return sum(unit.amount("", part) for unit in self.units)


def _styles() -> dict[str, ParagraphStyle]:
    register_font()
    cell = ParagraphStyle("sz_cell", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    return {
        "cell": cell,
        "number": ParagraphStyle("sz_number", parent=cell, alignment=TA_RIGHT),
        "head": ParagraphStyle("sz_head", parent=cell, alignment=TA_CENTER),
        "title": ParagraphStyle("sz_title", fontName=FONT, fontSize=16, leading=26, alignment=TA_CENTER),
        "small": ParagraphStyle("sz_small", fontName=FONT, fontSize=10, leading=15),
        "unit": ParagraphStyle("sz_unit", fontName=FONT, fontSize=10, leading=15, alignment=TA_RIGHT),
    }


def _n(value: int) -> str:
    return f"{value:,}"


def _table(sample: ShenzhenSample, number: int, title: str, header, body, widths, spans=()) -> list:
    """表N, the title, 部门名称 and 单位 lines, then a ruled grid whose cells wrap as in a Word table."""
    st = _styles()

    def cell(text: str, style: str):
        return Paragraph(text, st[style]) if text else ""

    rows = [[cell(t, "head") for t in row] for row in header]
    rows += [[cell(t, "number" if t[:1].isdigit() or t[:1] == "-" else "cell") for t in row] for row in body]
    grid = Table(rows, colWidths=[WIDTH * w for w in widths], repeatRows=len(header))
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("SPAN", a, b) for a, b in spans],
    ]
    grid.setStyle(TableStyle(style))
    return [
        Paragraph(f"表{number}", st["small"]),
        Paragraph(title, st["title"]),
        Paragraph(f"部门名称： {sample.department}", st["small"]),
        Paragraph("单位：万元", st["unit"]),
        grid,
        PageBreak(),
    ]


def _two_sided(sample: ShenzhenSample, number: int, title: str) -> list:
    revenue = [
        ("一、政府预算拨款", sample.total()),
        ("1.一般公共预算拨款", sample.total()),
        ("2.政府性基金预算拨款", 0),
        ("3.国有资本经营预算拨款", 0),
    ]
    classes = sorted({code for unit in sample.units for code in unit.codes()})
    expenditure = [
        (CLASS_NAMES.get(code) or ITEM_NAMES[code], sum(u.amount(code) for u in sample.units)) for code in classes
    ]
    body = []
    for i in range(max(len(revenue), len(expenditure))):
        left = revenue[i] if i < len(revenue) else ("", None)
        right = expenditure[i] if i < len(expenditure) else ("", None)
        body.append(
            [left[0], "" if left[1] is None else _n(left[1]), right[0], "" if right[1] is None else _n(right[1])]
        )
    body += [
        ["本年收入合计", _n(sample.total()), "本年支出合计", _n(sample.total())],
        ["上年结余、结转", "0", "结转下年", "0"],
        ["收入总计", _n(sample.total()), "支出总计", _n(sample.total())],
    ]
    header = [["收 入", "", "支 出", ""], ["项 目", f"{YEAR} 年预算数", "项 目", f"{YEAR} 年预算数"]]
    return _table(sample, number, title, header, body, [0.3, 0.2, 0.3, 0.2], [((0, 0), (1, 0)), ((2, 0), (3, 0))])


def _expenditure_summary(sample: ShenzhenSample) -> list:
    header = [
        ["预算单位", "支出总计", "基本支出", "项目支出", f"{YEAR}年政府采购项目", "", ""],
        ["", "", "", "", "小计", "其中：面向中小企业政府采购项目", "其中：面向小型、微型企业政府采购项目"],
    ]
    rows = [(u.name, u.amount(""), u.amount("", 0), u.amount("", 1)) for u in sample.units]
    if sample.print_department_total:
        rows.insert(0, ("合计", sample.total(), sample.total(0), sample.total(1)))
    body = [[name, _n(t), _n(b), _n(p), "0", "0", "0"] for name, t, b, p in rows]
    spans = [((c, 0), (c, 1)) for c in range(4)] + [((4, 0), (6, 0))]
    return _table(sample, 3, "支出总表", header, body, [0.25] + [0.125] * 6, spans)


def _function_table(sample: ShenzhenSample) -> list:
    header = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    body = []
    if sample.print_department_total:
        body.append(["合计", "", "", _n(sample.total()), _n(sample.total(0)), _n(sample.total(1))])
    for unit in sample.units:
        body.append([unit.name, "", "", _n(unit.amount("")), _n(unit.amount("", 0)), _n(unit.amount("", 1))])
        for code in unit.codes():
            name = CLASS_NAMES.get(code) or ITEM_NAMES[code]
            body.append(["", code, name, _n(unit.amount(code)), _n(unit.amount(code, 0)), _n(unit.amount(code, 1))])
    title = "一般公共预算支出表（按功能分类）"
    return _table(sample, 7, title, header, body, [0.2, 0.12, 0.32, 0.12, 0.12, 0.12])


def _three_public(sample: ShenzhenSample) -> list:
    header = [
        ["预算单位", "年度", "合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
    ]
    body = []
    for unit in sample.units:
        for label, (abroad, vehicle, reception) in (
            (f"{YEAR - 1}年", unit.three_public_prior),
            (f"{YEAR}年", unit.three_public),
        ):
            body.append(["", label, *map(_n, (abroad + vehicle + reception, abroad, vehicle, 0, vehicle, reception))])
        change = [now - before for now, before in zip(unit.three_public, unit.three_public_prior, strict=True)]
        body.append(["", "增减变化金额", *map(_n, (sum(change), change[0], change[1], 0, change[1], change[2]))])
        body[-3][0] = unit.name
    spans = [((c, 0), (c, 1)) for c in (0, 1, 2, 3, 7)] + [((4, 0), (6, 0))]
    spans += [((0, 2 + 3 * i), (0, 4 + 3 * i)) for i in range(len(sample.units))]
    return _table(sample, 8, "一般公共预算“三公”经费支出表", header, body, [0.22, 0.12] + [0.11] * 6, spans)


def _basic_expenditure_summary(sample: ShenzhenSample) -> list:
    """表4, a table the registry recognizes and does not extract: personnel and public spending per unit."""
    header = [["预算单位", "合计", "人员支出", "公用支出", "对个人和家庭的补助"]]
    body = []
    for unit in sample.units:
        basic = unit.amount("", 0)
        personnel = basic * 7 // 10
        body.append([unit.name, _n(basic), _n(personnel), _n(basic - personnel), "0"])
    return _table(sample, 4, "基本支出总表", header, body, [0.36] + [0.16] * 4)


CONTENTS = [
    "收支总表",
    "收入总表",
    "支出总表",
    "基本支出总表",
    "项目支出总表",
    "政府预算拨款收支总表",
    "一般公共预算支出表（按功能分类）",
    "一般公共预算“三公”经费支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
]


def _contents(sample: ShenzhenSample) -> list:
    """目录 of the template's eleven tables; this sample prints 表2 and 表5 nowhere (listed, absent)."""
    st = _styles()
    titles = [*CONTENTS, f"{sample.department}整体支出绩效目标表"]
    ordinals = "一 二 三 四 五 六 七 八 九 十 十一".split()
    entries = [Paragraph(f"（{ordinal}）{title}", st["small"]) for ordinal, title in zip(ordinals, titles, strict=True)]
    return [Paragraph("目 录", st["title"]), Paragraph("二、表格部分", st["small"]), *entries, PageBreak()]


def _empty_fund_table(sample: ShenzhenSample, number: int, title: str) -> list:
    header = [["预算单位", "科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    body = [[sample.department, "", "", "0", "0", "0"]]
    return _table(sample, number, title, header, body, [0.25, 0.12, 0.27, 0.12, 0.12, 0.12])


INDICATORS = [
    ("产出指标", "数量指标", "群众文化活动场次", "≥120场"),
    ("产出指标", "质量指标", "活动验收合格率", "100%"),
    ("效益指标", "社会效益指标", "公共文化服务覆盖面", "覆盖全区各街道"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
]


def _performance_table(sample: ShenzhenSample) -> list:
    """表11: the department's tasks with their amounts (one per budget unit here), its goal and indicators."""
    header = [
        ["部门（单位）名称", "", sample.department, "主管部门", sample.department, ""],
        ["年度主要任务", "任务名称", "主要内容", "预算金额（万元）", "", ""],
        ["", "", "", "总额", "其中：财政拨款", "其中：其他资金"],
    ]
    tasks = [[f"{unit.name}履职", f"保障{unit.name}正常运转和各项业务开展。"] for unit in sample.units]
    body = [
        ["", name, content, _n(unit.amount("")), _n(unit.amount("")), "0"]
        for unit, (name, content) in zip(sample.units, tasks, strict=True)
    ]
    body.append(["", "金额合计", "", _n(sample.total()), _n(sample.total()), "0"])
    body.append(
        [
            "年度总体目标",
            f"{YEAR}年，{sample.department}围绕公共文化服务体系建设，完成全年各项工作任务。",
            "",
            "",
            "",
            "",
        ]
    )
    body.append(["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "目标值"])
    body += [["", first, second, third, "", value] for first, second, third, value in INDICATORS]
    tasks_end = 2 + len(sample.units) + 1  # grid row of 金额合计
    spans = [
        ((0, 0), (1, 0)),
        ((4, 0), (5, 0)),
        ((3, 1), (5, 1)),
        ((1, 1), (1, 2)),
        ((2, 1), (2, 2)),
        ((0, 1), (0, tasks_end)),
        ((1, tasks_end), (2, tasks_end)),
        ((1, tasks_end + 1), (5, tasks_end + 1)),
        ((0, tasks_end + 2), (0, tasks_end + 2 + len(INDICATORS))),
        *[((3, r), (4, r)) for r in range(tasks_end + 2, tasks_end + 3 + len(INDICATORS))],
    ]
    title = f"{sample.department}整体支出绩效目标表"
    return _table(sample, 11, title, header, body, [0.12, 0.16, 0.3, 0.14, 0.14, 0.14], spans)


def story(sample: ShenzhenSample) -> list:
    st = _styles()
    total = sample.total()
    return [
        Spacer(1, 200),
        paragraph(f"{YEAR}年{sample.department}部门预算", "cover"),
        paragraph("（示例数据：部门名称与全部金额均为虚构，仅供测试使用）", "cover_note"),
        PageBreak(),
        *_contents(sample),
        Paragraph("第二部分 部门预算收支总体情况", st["title"]),
        paragraph(
            f"{YEAR}年{sample.department}部门预算收入{_n(total)}万元，{YEAR}年部门预算支出{_n(total)}万元。"
            f"本部门包括{'、'.join(u.name for u in sample.units)}共{len(sample.units)}家预算单位。"
            "本套报表金额单位转换时可能存在尾数误差。"
        ),
        PageBreak(),
        *_two_sided(sample, 1, "收支总表"),
        *_expenditure_summary(sample),
        *_basic_expenditure_summary(sample),
        *_two_sided(sample, 6, "政府预算拨款收支总表"),
        *_function_table(sample),
        *_three_public(sample),
        *_empty_fund_table(sample, 9, "政府性基金预算支出表"),
        *_empty_fund_table(sample, 10, "国有资本经营预算支出表"),
        *_performance_table(sample),
    ]


def write_shenzhen_sample(path: str | Path, sample: ShenzhenSample | None = None) -> Path:
    path = Path(path)
    sample = sample or ShenzhenSample()
    build_pdf(path, story(sample), title=f"{YEAR}年{sample.department}部门预算")
    return path
