"""TableBuilder on hand-made grids: the shapes of the real templates, without a PDF."""

from orchestration.extraction.grids import Cell, Grid
from orchestration.extraction.model import DocumentExtraction
from orchestration.extraction.performance import PerformanceBuilder
from orchestration.extraction.registry import get_registry
from orchestration.extraction.tables import TableBuilder
from orchestration.validation.reconciliation import reconcile

EDGES = [0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0]


def _grid(rows, cols, page=1):
    """rows: lists of (text, first_col, last_col) or None (a cell merged from above); one row = 30pt."""
    out = []
    for r, row in enumerate(rows):
        cells = []
        for item in row:
            if item is None:
                cells.append(None)
                continue
            text, first, last = item
            cells.append(Cell(text, EDGES[first], EDGES[last + 1], 30.0 * r, 30.0 * (r + 1)))
            cells.extend([None] * (last - first))
        out.append(cells)
    return Grid(page=page, index=0, bbox=(0, 0, EDGES[cols], 30.0 * len(rows)), col_x0=EDGES[:cols], rows=out)


def _build(table_type, *grids, fiscal_year=2019):
    registry = get_registry()
    spec = registry.tables[table_type]
    cls = PerformanceBuilder if spec.kind == "performance" else TableBuilder
    builder = cls(spec, "t", registry, fiscal_year=fiscal_year)
    for grid in grids:
        builder.add(grid)
    return builder.build()


def c(text, first, last=None):
    return (text, first, first if last is None else last)


def test_procurement_levels_carry_down_and_header_overflow():
    grid = _grid(
        [
            [
                c("采购品目大类", 0),
                c("专项名称", 1),
                c("经济科目", 2),
                c("采购物品名称", 3),
                c("采购组织形", 4),
                c("总计", 5),
            ],
            [c("合计", 0), c("", 1), c("", 2), c("", 3), c("式", 4), c("84.00", 5)],
            [c("一、货物A", 0), c("", 1), c("", 2), c("", 3), c("", 4), c("84.00", 5)],
            [c("", 0), c("机要业务费", 1), c("办公设备购置", 2), c("", 3), c("", 4), c("80.00", 5)],
            [c("", 0), c("", 1), c("", 2), c("PC服务器", 3), c("分散自行组织", 4), c("30.00", 5)],
            [None, None, None, c("小型机", 3), c("政府集中采购", 4), c("50.00", 5)],
            [c("", 0), c("", 1), c("培训费", 2), c("", 3), c("", 4), c("4.00", 5)],
            [c("", 0), c("", 1), c("", 2), c("会议服务", 3), c("分散自行组织", 4), c("4.00", 5)],
        ],
        6,
    )
    lines = _build("government_procurement", grid).lines
    assert [(ln.name, ln.item, ln.attributes.get("level")) for ln in lines] == [
        ("合计", "total", None),
        ("货物A", None, "category"),
        ("机要业务费", None, "project"),
        ("PC服务器", None, "procurement_item"),
        ("小型机", None, "procurement_item"),
        ("培训费", None, "economic_item"),
        ("会议服务", None, "procurement_item"),
    ]
    assert lines[0].attributes == {}  # the overflowing "式" went back to its header
    assert lines[4].attributes == {
        "category": "货物A",
        "project": "机要业务费",
        "economic_item": "办公设备购置",
        "procurement_item": "小型机",
        "procurement_method": "政府集中采购",
        "level": "procurement_item",
    }
    assert lines[6].attributes["economic_item"] == "培训费"
    assert lines[6].attributes["project"] == "机要业务费"
    assert sum(ln.values["total"] for ln in lines if ln.attributes.get("level") == "procurement_item") == 84.0


def test_revenue_summary_groups_from_merged_cells():
    grid = _grid(
        [
            [c("项目名称", 0), c("", 1), c("金额", 2)],
            [c("收入总计", 0, 1), c("27,664.22", 2)],
            [c("一般公共预算资金", 0), c("小计", 1), c("27,664.22", 2)],
            [None, c("公共财政拨款(补助)资金", 1), c("27,664.22", 2)],
            [c("政府性基金", 0), c("小计", 1), c("", 2)],
            [c("上年结转和结余资金", 0), c("小计", 1), c("", 2)],
            [None, c("其中：动用上年结转和结余资金", 1), c("", 2)],
        ],
        3,
    )
    lines = _build("revenue_summary", grid).lines
    assert [(ln.name, ln.item, ln.attributes.get("group")) for ln in lines] == [
        ("收入总计", "total_revenue", None),
        ("小计", "general_public_budget", "一般公共预算资金"),
        ("公共财政拨款(补助)资金", None, "一般公共预算资金"),
        ("小计", "government_fund", "政府性基金"),
        ("小计", "prior_year_carryover", "上年结转和结余资金"),
        ("动用上年结转和结余资金", None, "上年结转和结余资金"),
    ]
    assert lines[-1].attributes["of_which"] == "true"
    assert lines[3].values == {"total": None}


def test_three_public_single_row_gets_the_fiscal_year():
    grid = _grid(
        [
            [c("合计", 0), c("“三公”经费", 1, 4), c("会议费", 5)],
            [None, c("小计", 1), c("因公出国（境）费", 2), c("公务用车购置及运行维护费", 3), c("公务接待费", 4), None],
            [c("1,276.70", 0), c("418.26", 1), c("80", 2), c("237", 3), c("101.26", 4), c("158.44", 5)],
        ],
        6,
    )
    (line,) = _build("three_public", grid).lines
    assert (line.name, line.item, line.attributes) == ("2019年", "current_year", {"year": "2019"})
    assert line.values == {
        "grand_total": 1276.7,
        "total": 418.26,
        "outbound_travel": 80.0,
        "vehicle_total": 237.0,
        "official_reception": 101.26,
        "meeting": 158.44,
    }


# the Shenzhen “三公” table: rows per 预算单位 and year
THREE_PUBLIC_BY_UNIT = [c("预算单位", 0), c("年度", 1), c("合计", 2), c("因公出国(境)费", 3), c("公务接待费", 4)]


def _three_public_by_unit(*rows):
    return _build("three_public", _grid([THREE_PUBLIC_BY_UNIT, *rows], 5), fiscal_year=2022).lines


def test_three_public_rows_per_year_and_change():
    lines = _three_public_by_unit(
        [c("某局", 0), c("2021年", 1), c("4", 2), c("0", 3), c("1", 4)],
        [c("", 0), c("2022年", 1), c("11", 2), c("0", 3), c("1", 4)],
        [c("", 0), c("增减变化金额", 1), c("-3", 2), c("0", 3), c("0", 4)],
    )
    assert [(ln.name, ln.item) for ln in lines] == [
        ("2021年", "prior_year"),
        ("2022年", "current_year"),
        ("增减变化金额", "change"),
    ]
    # no 会议费/培训费 columns: the 合计 is the 三公 total
    assert lines[1].values["total"] == 11.0 and "grand_total" not in lines[1].values
    assert lines[2].values["total"] == -3.0  # a change row can be negative
    assert all(ln.attributes["budget_unit"] == "某局" for ln in lines)


def test_performance_targets_blocks():
    page1 = _grid(
        [
            [c("年度主要任务", 0), c("任务名称", 1), c("主要内容", 2), c("预算金额（万元）", 3, 5)],
            [None, None, None, c("总额", 3), c("其中：财政拨款", 4), c("其中：其他资金", 5)],
            [None, c("在职人员经费", 1), c("用于工资福利支出", 2), c("1,288", 3), c("1,288", 4), c("0", 5)],
            [None, c("金额合计", 1), c("", 2), c("1288", 3), c("1288", 4), c("0", 5)],
            [c("年度总体目标", 0), c("全面提速数字龙华建设。", 1, 5)],
            [c("年度绩效指标", 0), c("一级指标", 1), c("二级指标", 2), c("三级指标", 3, 4), c("目标值", 5)],
            [None, c("产出指标", 1), c("数量指标", 2), c("“秒批”事项数", 3, 4), c("95项", 5)],
        ],
        6,
    )
    page2 = _grid([[c("", 0), None, None, c("课题成果数量", 3, 4), c("1项", 5)]], 6, page=2)
    table = _build("performance_targets", page1, page2)
    assert table.pages == [1, 2]
    assert [(ln.name, ln.item) for ln in table.lines] == [
        ("在职人员经费", "task"),
        ("金额合计", "total"),
        ("年度总体目标", "overall_goal"),
        ("“秒批”事项数", "indicator"),
        ("课题成果数量", "indicator"),
    ]
    assert table.lines[0].values == {"total": 1288.0, "fiscal": 1288.0, "other": 0.0}
    assert table.lines[0].attributes == {"content": "用于工资福利支出"}
    assert table.lines[2].attributes == {"content": "全面提速数字龙华建设。"}
    assert table.lines[4].values == {}
    assert table.lines[4].attributes == {
        "indicator_level1": "产出指标",
        "indicator_level2": "数量指标",
        "indicator_level3": "课题成果数量",
        "target_value": "1项",
    }


# A department of several 预算单位 (Shenzhen template): each unit's row, then that unit's coded rows.
UNITS_HEADER = [
    c("预算单位", 0),
    c("科目编码", 1),
    c("科目名称", 2),
    c("支出总计", 3),
    c("基本支出", 4),
    c("项目支出", 5),
]
UNIT_A = [
    [c("某局", 0), c("", 1), c("", 2), c("9,100", 3), c("2,300", 4), c("6,800", 5)],
    [c("", 0), c("207", 1), c("文化旅游体育与传媒支出", 2), c("8,590", 3), c("2,300", 4), c("6,290", 5)],
    [c("", 0), c("20701", 1), c("文化和旅游", 2), c("8,590", 3), c("2,300", 4), c("6,290", 5)],
    [c("", 0), c("2070101", 1), c("行政运行", 2), c("2,300", 3), c("2,300", 4), c("0", 5)],
    [c("", 0), c("2070109", 1), c("群众文化", 2), c("6,290", 3), c("0", 4), c("6,290", 5)],
    [c("", 0), c("212", 1), c("城乡社区支出", 2), c("510", 3), c("0", 4), c("510", 5)],
]
UNIT_B = [
    [c("某局文化馆", 0), c("", 1), c("", 2), c("950", 3), c("600", 4), c("350", 5)],
    [c("", 0), c("207", 1), c("文化旅游体育与传媒支出", 2), c("950", 3), c("600", 4), c("350", 5)],
    [c("", 0), c("20701", 1), c("文化和旅游", 2), c("950", 3), c("600", 4), c("350", 5)],
    [c("", 0), c("2070109", 1), c("群众文化", 2), c("950", 3), c("600", 4), c("350", 5)],
]
DEPARTMENT_TOTAL = [c("合计", 0), c("", 1), c("", 2), c("10,050", 3), c("2,900", 4), c("7,150", 5)]


def _units_table(*rows):
    return _build("function_general_public", _grid([UNITS_HEADER, *rows], 6), fiscal_year=2022)


def _reconciled(table):
    extraction = DocumentExtraction("x.pdf", 1, "shenzhen_district", "某局", 2022, "万元", None, "tables", [table])
    return reconcile(extraction)


def test_function_rows_belong_to_the_budget_unit_printed_above_them():
    table = _units_table(DEPARTMENT_TOTAL, *UNIT_A, *UNIT_B)
    by_code = [(ln.code or ln.name, ln.item, ln.attributes.get("budget_unit")) for ln in table.lines]
    assert by_code[:3] == [("合计", "total", None), ("某局", "budget_unit", "某局"), ("207", None, "某局")]
    assert by_code[6:9] == [
        ("212", None, "某局"),
        ("某局文化馆", "budget_unit", "某局文化馆"),
        ("207", None, "某局文化馆"),
    ]
    # each unit adds up on its own and the units add up to the 合计; nothing is compared across units
    assert _reconciled(table) == []


def test_a_wrong_figure_of_one_budget_unit_is_flagged_in_that_unit():
    wrong_b = [list(row) for row in UNIT_B]
    wrong_b[3][3] = c("905", 3)  # 群众文化 of the second unit: 950 printed as 905
    problems = _reconciled(_units_table(DEPARTMENT_TOTAL, *UNIT_A, *wrong_b))
    assert {(p.check, p.code, p.measure, p.expected, p.found) for p in problems} == {
        ("children_sum_to_parent", "20701", "total", 905.0, 950.0),
        ("parts_sum_to_total", "2070109", "total", 950.0, 905.0),  # 基本 600 + 项目 350
    }


def test_several_budget_units_without_a_total_have_no_department_line():
    table = _units_table(*UNIT_A, *UNIT_B)
    assert [ln.name for ln in table.lines if ln.item == "budget_unit"] == ["某局", "某局文化馆"]
    assert not any(ln.item == "total" for ln in table.lines)
    assert _reconciled(table) == []


def test_a_unit_row_that_does_not_add_up_is_flagged():
    wrong_a = [list(row) for row in UNIT_A]
    wrong_a[0][3] = c("9,010", 3)  # the unit's own row: 9,100 printed as 9,010
    problems = _reconciled(_units_table(*wrong_a, *UNIT_B))
    assert {(p.check, p.name, p.measure, p.expected, p.found) for p in problems} == {
        ("classes_sum_to_unit", "某局", "total", 9100.0, 9010.0),
        ("parts_sum_to_total", "某局", "total", 9100.0, 9010.0),
    }


def test_three_public_rows_of_the_unit_total_are_the_departments():
    lines = _three_public_by_unit(
        [c("合计", 0), c("2022年", 1), c("12", 2), c("0", 3), c("2", 4)],
        [c("某局", 0), c("2022年", 1), c("11", 2), c("0", 3), c("1", 4)],
        [c("某局文化馆", 0), c("2022年", 1), c("1", 2), c("0", 3), c("1", 4)],
    )
    assert [ln.attributes.get("budget_unit") for ln in lines] == [None, "某局", "某局文化馆"]


def test_department_level_codes_above_the_units_are_checked_against_the_total_alone():
    department = [
        [c("", 0), c("207", 1), c("文化旅游体育与传媒支出", 2), c("9,540", 3), c("2,900", 4), c("6,640", 5)],
        [c("", 0), c("212", 1), c("城乡社区支出", 2), c("510", 3), c("0", 4), c("510", 5)],
    ]
    table = _units_table(DEPARTMENT_TOTAL, *department, *UNIT_A, *UNIT_B)
    assert [ln.attributes.get("budget_unit") for ln in table.lines[:3]] == [None, None, None]
    assert _reconciled(table) == []


def test_a_budget_unit_repeated_on_each_of_its_rows_is_not_part_of_their_names():
    repeated = [[c("某局", 0), *row[1:]] for row in UNIT_A[1:3]]
    lines = _units_table(UNIT_A[0], *repeated).lines
    assert [(ln.code, ln.name, ln.attributes) for ln in lines[1:]] == [
        ("207", "文化旅游体育与传媒支出", {"budget_unit": "某局"}),
        ("20701", "文化和旅游", {"budget_unit": "某局"}),
    ]
