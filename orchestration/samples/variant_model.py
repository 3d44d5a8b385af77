"""The budget behind a template variant: a fictional department, one year, amounts in exact 元 (two places).

The same `SampleBudget` as the Jiangsu samples (every subtotal computed by summing 项 and 款 lines), drawn from
a seed, in 元 with cents so that a table printed in 千元 or 万元 rounds its figures the way real ones do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from orchestration.samples.data import (
    _A_ITEMS,
    _B_ITEMS,
    _KUAN_NAMES,
    CLASS_LIST,
    ZERO,
    DepartmentSpec,
    ItemLine,
    ProcurementLine,
    SampleBudget,
    ThreePublic,
    _economic,
    money,
)

YUAN_PER_UNIT = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
VARIANT_YEARS = tuple(range(2018, 2027))
TEN_THOUSAND = 10_000

# fictional departments: a place (every kind of the registry's table of places), a made-up body
PLACES = ["江苏省", "浙江省", "上海市普陀区", "上海市", "浙江省杭州市西湖区", "广东省", "四川省成都市", "湖北省"]
BODIES = [
    ("示例数据管理", "局"),
    ("样例档案", "馆"),
    ("示范统计", "局"),
    ("虚构文化", "中心"),
    ("示例科技", "委员会"),
    ("样本信息", "中心"),
    ("示例人力资源", "厅"),
    ("演示机关事务管理", "局"),
    ("示例质量监督", "站"),
    ("样例政务服务", "办公室"),
]


@dataclass(frozen=True)
class BudgetUnit:
    """One 预算单位 of a department that prints a row per unit above the unit's coded rows."""

    name: str
    budget: SampleBudget  # the department's budget restricted to this unit's 项


def printed(yuan: Decimal, unit: str) -> Decimal:
    """The figure a table in `unit` prints for an amount of `yuan` 元: two places, rounded half up."""
    return (yuan / YUAN_PER_UNIT[unit]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _yuan(rng: random.Random, low_wan: float, high_wan: float) -> Decimal:
    """An amount in 元 with cents, between two bounds given in 万元."""
    return money(Decimal(rng.randint(int(low_wan * TEN_THOUSAND * 100), int(high_wan * TEN_THOUSAND * 100))) / 100)


def department_name(rng: random.Random) -> str:
    body, ending = rng.choice(BODIES)
    return f"{rng.choice(PLACES)}{body}{ending}"


def draw_budget(rng: random.Random, department: str, year: int) -> SampleBudget:
    """A department's budget for one year: a random choice of 项 lines (at least eight), each part drawn in 元."""
    pool = {code: (code, name, recipe) for code, name, recipe in _A_ITEMS + _B_ITEMS}
    codes = sorted(rng.sample(sorted(pool), rng.randint(8, len(pool))))
    chosen = [pool[c] for c in codes]
    new_names = year >= 2019

    def year_name(name):
        return name if isinstance(name, str) else name[1 if new_names else 0]

    items = []
    for code, name, recipe in chosen:
        parts = {part: _yuan(rng, *recipe[part]) for part in ("basic", "project", "reserve", "other") if part in recipe}
        items.append(
            ItemLine(
                code,
                year_name(name),
                parts.get("basic", ZERO),
                parts.get("project", ZERO),
                parts.get("reserve", ZERO),
                parts.get("other", ZERO),
            )
        )
    spec = DepartmentSpec(department, "本单位", 0, False, chosen, "", department)
    economic = _economic(spec, items, rng)
    by_code = {e.code: e.amount for e in economic}
    three = ThreePublic(
        abroad=_yuan(rng, 10, 60) if rng.random() < 0.8 else ZERO,
        reception=by_code["30217"] + _yuan(rng, 2, 15),
        vehicle_purchase=_yuan(rng, 15, 30) if rng.random() < 0.4 else ZERO,
        vehicle_running=by_code["30231"],
    )
    names = dict(CLASS_LIST[2019 if new_names else 2018])
    names.update({c: year_name(n) for c, n in _KUAN_NAMES.items()})
    budget = SampleBudget(
        department,
        "本单位",
        year,
        False,
        "",
        department,
        items,
        names,
        economic,
        three,
        _procurement(rng, by_code["30215"]),
        ZERO,
    )
    return replace(budget, prior_total=money(budget.total / Decimal(str(round(rng.uniform(0.92, 1.1), 4)))))


def _procurement(rng: random.Random, meeting: Decimal) -> list[ProcurementLine]:
    goods = [
        ("办公设备购置", "办公设备购置", "台式计算机（20万以下）", "政府集中采购", (8, 30)),
        ("办公设备购置", "办公设备购置", "便携式计算机（20万以下）", "政府集中采购", (4, 15)),
        ("办公设备购置", "办公设备购置", "家具用具", "部门集中采购", (3, 12)),
    ]
    services = [
        ("信息系统运行维护", "维修（护）费", "运行维护服务", "分散自行组织", (40, 160)),
        ("行政运转保障", "物业管理费", "物业管理服务", "政府集中采购", (60, 200)),
    ]
    lines = [ProcurementLine("货物", p, e, i, m, _yuan(rng, *r)) for p, e, i, m, r in goods]
    lines += [ProcurementLine("服务", p, e, i, m, _yuan(rng, *r)) for p, e, i, m, r in services]
    lines.append(ProcurementLine("服务", "商品和服务支出", "会议费", "会议服务", "分散自行组织", meeting))
    return lines


def budget_units(rng: random.Random, budget: SampleBudget) -> list[BudgetUnit]:
    """The department as two budget units: its own office (本级) and a centre, each with some of the 项."""
    items = list(budget.items)
    rng.shuffle(items)
    cut = rng.randint(max(1, len(items) // 3), len(items) - max(1, len(items) // 4))
    own, centre = sorted(items[:cut], key=lambda i: i.code), sorted(items[cut:], key=lambda i: i.code)
    return [
        BudgetUnit(f"{budget.department}本级", replace(budget, items=own)),
        BudgetUnit(f"{budget.department.rstrip('局馆厅站中心委员会办公室')}服务中心", replace(budget, items=centre)),
    ]
