"""The sample budgets as data: fictional departments, real 政府收支分类科目 codes, amounts that add up.

Amounts are ``Decimal`` 万元 with two places. Only 项-level function lines and 款-level economic
lines are stored; every subtotal (款, 类, 合计, the overall table) is computed by summing, so the
published tables cannot disagree with each other. Generation is seeded: the same model every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import groupby

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
YEARS = (2018, 2019)
REGION = "江苏省"

# 类 names as printed in the 收支预算总表 of each year's Jiangsu template (2019 renamed 207/210/220
# and added 224).
_CLASSES_2018 = [
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "医疗卫生与计划生育支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("220", "国土海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("229", "其他支出"),
]
_RENAMED_2019 = {"207": "文化旅游体育与传媒支出", "210": "卫生健康支出", "220": "自然资源海洋气象等支出"}
_CLASSES_2019 = [(c, _RENAMED_2019.get(c, n)) for c, n in _CLASSES_2018]
_CLASSES_2019.insert(19, ("224", "灾害防治及应急管理支出"))
CLASS_LIST = {2018: _CLASSES_2018, 2019: _CLASSES_2019}

# 款 names; a (2018, 2019) pair where the classification renamed it.
_KUAN_NAMES = {
    "20103": "政府办公厅（室）及相关机构事务",
    "20105": "统计信息事务",
    "20126": "档案事务",
    "20603": "应用研究",
    "20604": "技术研究与开发",
    "20701": ("文化", "文化和旅游"),
    "20805": "行政事业单位离退休",
    "20899": "其他社会保障和就业支出",
    "21011": "行政事业单位医疗",
    "22102": "住房改革支出",
}

# 项 lines per department: code, name (or 2018/2019 pair), recipe. A recipe names the economic
# link of the basic part (see _ECON_LINKS) and the ranges (万元) the amounts are drawn from.
_A_ITEMS = [
    ("2010301", "行政运行", {"basic": (1600, 2600), "reserve": (150, 400)}),
    ("2010302", "一般行政管理事务", {"project": (300, 900)}),
    ("2010303", "机关服务", {"basic": (80, 200)}),
    ("2010350", "事业运行", {"basic": (200, 500), "project": (30, 120)}),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", {"project": (100, 300)}),
    ("2010504", "信息事务", {"project": (150, 500)}),
    ("2010505", "专项统计业务", {"project": (80, 300)}),
    ("2010508", "统计抽样调查", {"project": (60, 200)}),
    ("2060402", "应用技术研究与开发", {"project": (200, 600)}),
    ("2060499", "其他技术研究与开发支出", {"project": (50, 200)}),
    ("2080501", "归口管理的行政单位离退休", {"basic": (150, 350), "link": "retiree"}),
    ("2080505", "机关事业单位基本养老保险缴费支出", {"basic": (180, 320), "link": "pension"}),
    ("2080506", "机关事业单位职业年金缴费支出", {"basic": (70, 130), "link": "annuity"}),
    ("2089901", "其他社会保障和就业支出", {"basic": (5, 25), "link": "social"}),
    ("2101101", "行政单位医疗", {"basic": (60, 140), "link": "medical"}),
    ("2101102", "事业单位医疗", {"basic": (20, 60), "link": "medical"}),
    ("2210201", "住房公积金", {"basic": (200, 320), "link": "housing_fund"}),
    ("2210202", "提租补贴", {"basic": (300, 600), "link": "housing_allowance"}),
    ("2210203", "购房补贴", {"basic": (20, 80), "link": "housing_allowance"}),
]
_B_ITEMS = [
    ("2012601", "行政运行", {"basic": (900, 1500)}),
    ("2012602", "一般行政管理事务", {"project": (150, 400)}),
    ("2012603", "机关服务", {"basic": (40, 120)}),
    ("2012604", "档案馆", {"basic": (150, 300), "project": (200, 600), "other": (30, 90)}),
    ("2012699", "其他档案事务支出", {"project": (80, 250)}),
    ("2060302", "社会公益研究", {"project": (40, 160)}),
    ("2070109", "群众文化", {"project": (30, 120)}),
    ("2070199", ("其他文化支出", "其他文化和旅游支出"), {"project": (20, 80)}),
    ("2080502", "事业单位离退休", {"basic": (120, 260), "link": "retiree"}),
    ("2080505", "机关事业单位基本养老保险缴费支出", {"basic": (110, 220), "link": "pension"}),
    ("2080506", "机关事业单位职业年金缴费支出", {"basic": (40, 90), "link": "annuity"}),
    ("2089901", "其他社会保障和就业支出", {"basic": (3, 15), "link": "social"}),
    ("2101102", "事业单位医疗", {"basic": (30, 80), "link": "medical"}),
    ("2101103", "公务员医疗补助", {"basic": (15, 40), "link": "civil_medical"}),
    ("2210201", "住房公积金", {"basic": (120, 220), "link": "housing_fund"}),
    ("2210202", "提租补贴", {"basic": (200, 420), "link": "housing_allowance"}),
    ("2210203", "购房补贴", {"basic": (10, 50), "link": "housing_allowance"}),
]


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    short_name: str  # how the narrative refers to itself (本馆 / 本办)
    seed: int
    split_files: bool  # True: a 文件 (narrative) PDF plus a 表格 PDF; False: one PDF
    items: list
    functions: str  # one sentence for 部门概况
    units: str  # 预算单位构成


DEPARTMENTS = [
    DepartmentSpec(
        "江苏省示范数据管理办公室",
        "本办",
        20180101,
        False,
        _A_ITEMS,
        "负责全省示范数据的归集、整理、统计与发布，组织开展数据质量抽样调查，承担示范数据平台的建设与运行维护。",
        "江苏省示范数据管理办公室本级、江苏省示范数据技术中心",
    ),
    DepartmentSpec(
        "江苏省样例档案馆",
        "本馆",
        20180202,
        True,
        _B_ITEMS,
        "负责收集、保管和提供利用样例档案资料，开展档案数字化与档案文化宣传，指导样例档案的整理与鉴定工作。",
        "江苏省样例档案馆本级",
    ),
]

# 30xxx lines tied to function lines: the basic part of those 项 is exactly this economic line.
_ECON_LINKS = {
    "pension": ("30108", "机关事业单位基本养老保险缴费"),
    "annuity": ("30109", "职业年金缴费"),
    "medical": ("30110", "职工基本医疗保险缴费"),
    "civil_medical": ("30111", "公务员医疗补助缴费"),
    "social": ("30112", "其他社会保障缴费"),
    "housing_fund": ("30113", "住房公积金"),
    "retiree": ("30302", "退休费"),
    "housing_allowance": ("30399", "其他对个人和家庭的补助"),
}
_SALARY = [
    ("30101", "基本工资"),
    ("30102", "津贴补贴"),
    ("30103", "奖金"),
    ("30107", "绩效工资"),
    ("30199", "其他工资福利支出"),
]
_OFFICE = [
    ("30201", "办公费"),
    ("30202", "印刷费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30207", "邮电费"),
    ("30211", "差旅费"),
    ("30213", "维修（护）费"),
    ("30215", "会议费"),
    ("30216", "培训费"),
    ("30217", "公务接待费"),
    ("30228", "工会经费"),
    ("30229", "福利费"),
    ("30231", "公务用车运行维护费"),
    ("30239", "其他交通费用"),
    ("30299", "其他商品和服务支出"),
]
ECON_GROUPS = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def _draw(rng: random.Random, low: float, high: float) -> Decimal:
    return money(Decimal(rng.randint(int(low * 100), int(high * 100))) / 100)


def _split(rng: random.Random, total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split total into len(weights) 2-place parts that add up exactly (the last takes the rest)."""
    cents = int(total * 100)
    jittered = [w * rng.uniform(0.8, 1.2) for w in weights]
    scale = sum(jittered)
    parts = [int(cents * w / scale) for w in jittered[:-1]]
    parts.append(cents - sum(parts))
    return [money(Decimal(p) / 100) for p in parts]


def _year_name(name, year: int) -> str:
    return name if isinstance(name, str) else name[YEARS.index(year)]


@dataclass(frozen=True)
class ItemLine:
    """One 项 of the function classification with its split by use and by funding."""

    code: str  # 7 digits
    name: str
    basic: Decimal = ZERO
    project: Decimal = ZERO
    reserve: Decimal = ZERO  # 单位预留机动经费
    other_project: Decimal = ZERO  # project spending funded by 其他资金 (事业收入), not 财政拨款

    @property
    def general(self) -> Decimal:
        """一般公共预算 (= 财政拨款 here; no department has 政府性基金)."""
        return self.basic + self.project + self.reserve

    @property
    def total(self) -> Decimal:
        return self.general + self.other_project


@dataclass(frozen=True)
class FunctionRow:
    """A printed line of a function table: 类 (3 digits), 款 (5) or 项 (7)."""

    code: str
    name: str
    total: Decimal
    basic: Decimal
    project: Decimal
    reserve: Decimal


@dataclass(frozen=True)
class EconLine:
    code: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ThreePublic:
    """“三公”经费 (一般公共预算)."""

    abroad: Decimal  # 因公出国（境）费
    reception: Decimal  # 公务接待费
    vehicle_purchase: Decimal  # 公务用车购置费
    vehicle_running: Decimal  # 公务用车运行费

    @property
    def vehicle(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_running

    @property
    def total(self) -> Decimal:
        return self.abroad + self.reception + self.vehicle


@dataclass(frozen=True)
class ProcurementLine:
    category: str  # 货物 | 服务
    project: str  # 专项名称
    econ: str  # 经济科目
    item: str  # 采购物品名称
    method: str  # 采购组织形式
    amount: Decimal


@dataclass(frozen=True)
class SampleBudget:
    department: str
    short_name: str
    fiscal_year: int
    split_files: bool
    functions: str
    units: str
    items: list[ItemLine]
    names: dict[str, str]  # 类/款 code -> name for this year
    economic: list[EconLine]  # 一般公共预算基本支出 by 款 (5-digit) economic line
    three_public: ThreePublic
    procurement: list[ProcurementLine]
    prior_total: Decimal  # last year's 收入/支出 预算总计

    # -- totals (all computed) ------------------------------------------------------------
    @property
    def basic_total(self) -> Decimal:
        return sum((i.basic for i in self.items), ZERO)

    @property
    def project_total(self) -> Decimal:
        """All project spending, 财政拨款 and 其他资金."""
        return sum((i.project + i.other_project for i in self.items), ZERO)

    @property
    def reserve_total(self) -> Decimal:
        return sum((i.reserve for i in self.items), ZERO)

    @property
    def general_total(self) -> Decimal:
        """一般公共预算 = 财政拨款 (the samples have no 政府性基金)."""
        return sum((i.general for i in self.items), ZERO)

    @property
    def other_funds(self) -> Decimal:
        """三、其他资金 (事业收入)."""
        return sum((i.other_project for i in self.items), ZERO)

    @property
    def total(self) -> Decimal:
        """收入合计 = 支出合计 (no carry-over in or out)."""
        return self.general_total + self.other_funds

    @property
    def change(self) -> Decimal:
        return self.total - self.prior_total

    @property
    def operating_cost(self) -> Decimal:
        """机关运行经费 = the 302 商品和服务支出 of the basic budget."""
        return sum((e.amount for e in self.economic if e.code.startswith("302")), ZERO)

    @property
    def personnel_cost(self) -> Decimal:
        return self.basic_total - self.operating_cost

    @property
    def procurement_total(self) -> Decimal:
        return sum((p.amount for p in self.procurement), ZERO)

    def procurement_by(self, category: str) -> Decimal:
        return sum((p.amount for p in self.procurement if p.category == category), ZERO)

    def function_rows(self, scope: str = "all") -> list[FunctionRow]:
        """类/款/项 rows in code order; scope "all" (every fund) or "general" (一般公共预算)."""
        general = scope == "general"
        rows = []
        for length in (3, 5, 7):
            for code, group in groupby(sorted(self.items, key=lambda i: i.code), key=lambda i: i.code[:length]):
                group = list(group)
                project = sum((i.project + (ZERO if general else i.other_project) for i in group), ZERO)
                basic = sum((i.basic for i in group), ZERO)
                reserve = sum((i.reserve for i in group), ZERO)
                name = group[0].name if length == 7 else self.names[code]
                rows.append(FunctionRow(code, name, basic + project + reserve, basic, project, reserve))
        return sorted(rows, key=lambda r: r.code)

    def class_totals(self, scope: str = "all") -> dict[str, Decimal]:
        return {r.code: r.total for r in self.function_rows(scope) if len(r.code) == 3}

    def economic_rows(self) -> list[EconLine]:
        """301/302/303 group lines followed by their 款 lines, in code order."""
        rows = []
        for group, name in ECON_GROUPS.items():
            lines = [e for e in self.economic if e.code.startswith(group)]
            rows.append(EconLine(group, name, sum((e.amount for e in lines), ZERO)))
            rows.extend(lines)
        return rows


def _draw_items(spec: DepartmentSpec, rng: random.Random) -> dict[str, dict[str, Decimal]]:
    """2018 amounts per 项 and part (basic/project/reserve/other)."""
    amounts = {}
    for code, _, recipe in spec.items:
        amounts[code] = {
            part: _draw(rng, *recipe[part]) for part in ("basic", "project", "reserve", "other") if part in recipe
        }
    return amounts


def _grow(rng: random.Random, amounts: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
    return {
        code: {part: money(v * Decimal(str(round(rng.uniform(0.9, 1.15), 4)))) for part, v in parts.items()}
        for code, parts in amounts.items()
    }


def _economic(spec: DepartmentSpec, items: list[ItemLine], rng: random.Random) -> list[EconLine]:
    """Spread the basic budget over economic lines so that they add up to it exactly."""
    recipes = {code: recipe for code, _, recipe in spec.items}
    linked: dict[tuple[str, str], Decimal] = {}
    free = ZERO  # basic spending of 行政运行 and the like: salaries and office costs
    for item in items:
        link = recipes[item.code].get("link")
        if link:
            key = _ECON_LINKS[link]
            linked[key] = linked.get(key, ZERO) + item.basic
        else:
            free += item.basic
    office_total = money(free * Decimal(str(round(rng.uniform(0.22, 0.3), 3))))
    salary = _split(rng, free - office_total, [30, 35, 8, 20, 7])
    office = _split(rng, office_total, [14, 3, 1, 4, 3, 8, 6, 5, 4, 2, 4, 3, 12, 9, 22])
    lines = [EconLine(c, n, a) for (c, n), a in zip(_SALARY, salary, strict=True)]
    lines += [EconLine(c, n, a) for (c, n), a in linked.items()]
    lines += [EconLine(c, n, a) for (c, n), a in zip(_OFFICE, office, strict=True)]
    return sorted(lines, key=lambda e: e.code)


def _procurement(rng: random.Random, economic: list[EconLine]) -> list[ProcurementLine]:
    meeting = next(e.amount for e in economic if e.code == "30215")
    goods = [
        ("办公设备购置", "办公设备购置", "台式计算机（20万以下）", "政府集中采购", (8, 30)),
        ("办公设备购置", "办公设备购置", "便携式计算机（20万以下）", "政府集中采购", (4, 15)),
        ("办公设备购置", "办公设备购置", "打印设备（20万以下）", "分散自行组织", (2, 8)),
        ("办公设备购置", "办公设备购置", "家具用具", "部门集中采购", (3, 12)),
    ]
    services = [
        ("信息系统运行维护", "维修（护）费", "运行维护服务", "分散自行组织", (40, 160)),
        ("行政运转保障", "物业管理费", "物业管理服务", "政府集中采购", (60, 200)),
    ]
    lines = [ProcurementLine("货物", p, e, i, m, _draw(rng, *r)) for p, e, i, m, r in goods]
    lines += [ProcurementLine("服务", p, e, i, m, _draw(rng, *r)) for p, e, i, m, r in services]
    lines.append(ProcurementLine("服务", "商品和服务支出", "会议费", "会议服务", "分散自行组织", meeting))
    return lines


def _budget(spec: DepartmentSpec, year: int, amounts, prior_total: Decimal, rng) -> SampleBudget:
    items = [
        ItemLine(
            code,
            _year_name(name, year),
            amounts[code].get("basic", ZERO),
            amounts[code].get("project", ZERO),
            amounts[code].get("reserve", ZERO),
            amounts[code].get("other", ZERO),
        )
        for code, name, _ in spec.items
    ]
    names = {c: n for c, n in CLASS_LIST[year]}
    names.update({c: _year_name(n, year) for c, n in _KUAN_NAMES.items()})
    economic = _economic(spec, items, rng)
    by_code = {e.code: e.amount for e in economic}
    three = ThreePublic(
        abroad=_draw(rng, 10, 60),
        reception=by_code["30217"] + _draw(rng, 2, 15),
        vehicle_purchase=_draw(rng, 15, 30) if (spec.seed + year) % 2 else ZERO,
        vehicle_running=by_code["30231"],
    )
    return SampleBudget(
        spec.name,
        spec.short_name,
        year,
        spec.split_files,
        spec.functions,
        spec.units,
        items,
        names,
        economic,
        three,
        _procurement(rng, economic),
        prior_total,
    )


def build_sample_budgets(departments: list[DepartmentSpec] | None = None) -> list[SampleBudget]:
    """Every department (default: the two samples) × year, in department then year order. Deterministic."""
    budgets = []
    for spec in DEPARTMENTS if departments is None else departments:
        rng = random.Random(spec.seed)
        amounts = _draw_items(spec, rng)
        prior_total = None
        for year in YEARS:
            if year != YEARS[0]:
                amounts = _grow(rng, amounts)
            budget = _budget(spec, year, amounts, prior_total or ZERO, rng)
            if prior_total is None:  # the first year's predecessor is invented
                budget = replace(
                    budget, prior_total=money(budget.total / Decimal(str(round(rng.uniform(0.92, 1.1), 4))))
                )
            budgets.append(budget)
            prior_total = budget.total
    return budgets
