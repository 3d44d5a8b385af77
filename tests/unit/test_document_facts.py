"""Department names read from the text: the kinds of budget units the registry must accept or refuse."""

from __future__ import annotations

import pytest

from orchestration.extraction.document import detect_department, detect_region, detect_template, detect_year
from orchestration.extraction.pages import PageScan
from orchestration.extraction.registry import get_registry


def page(*lines: str, number: int = 1) -> PageScan:
    return PageScan(number=number, text="\n".join(lines), lines=list(lines))


@pytest.mark.parametrize(
    "department",
    [
        "江苏省委办公厅",
        "中共江苏省委宣传部",
        "南京医科大学",  # provincial universities publish their own 部门预算
        "江苏省广播电视总台",
        "深圳市龙华区实验幼儿园",
        "深圳市龙华区观澜中学",
        "深圳市龙华区观澜街道办事处",
        "中共江苏省委党校（江苏省行政学院）",  # one body, two names: the second in brackets
        "江苏省人民政府研究室(江苏省人民政府发展研究中心)",
    ],
)
def test_the_department_label_of_a_table_names_the_department(department):
    scans = [page("一般公共预算支出预算表", f"部门：{department}          单位：万元", "合计 100.00")]
    assert detect_department(scans, get_registry()) == department


@pytest.mark.parametrize("label", ["编制部门", "编制单位", "预算单位", "单位名称", "部门名称"])
def test_other_labels_of_the_department(label):
    scans = [page("收支总表", f"{label}：深圳市龙华区教育局   单位：万元")]
    assert detect_department(scans, get_registry()) == "深圳市龙华区教育局"


@pytest.mark.parametrize("department", ["南京医科大学", "江苏省广播电视总台", "中共江苏省委党校（江苏省行政学院）"])
def test_the_narrative_title_names_the_department(department):
    scans = [page(f"{department}2019年度部门预算公开", "目录")]
    assert detect_department(scans, get_registry()) == department


@pytest.mark.parametrize("label", ["部门：本部门", "部门：省级部门", "单位名称：合计", "部门：其他（注）"])
def test_words_that_sit_where_a_name_would_are_not_departments(label):
    assert detect_department([page(label)], get_registry()) is None


def test_the_template_is_recognized_for_any_department_of_it():
    registry = get_registry()
    shenzhen = [page("深圳市福田区教育局2022年部门预算", "收支总表", "政府预算拨款收支总表", "本年收入合计 单位：万元")]
    jiangsu = [page("江苏省财政厅2019年度部门预算公开", "收支预算总表", "当年收入小计", "财政专户管理资金")]

    assert detect_template(shenzhen, registry)[0] == "shenzhen_district"
    assert detect_template(jiangsu, registry)[0] == "jiangsu_provincial"


@pytest.mark.parametrize(
    ("department", "text", "region"),
    [
        ("深圳市福田区教育局", "", "深圳市福田区"),
        ("深圳市公安局龙华分局", "按照深圳市各区预算编制要求，深圳市大鹏新区……", "深圳市大鹏新区"),
        ("深圳市公安局龙华分局", "按照深圳市各区预算编制要求", "深圳市"),
    ],
)
def test_the_district_is_read_from_the_department_or_the_first_pages(department, text, region):
    scans = [page(text)]
    assert detect_region("shenzhen_district", scans, department, get_registry())[0] == region


@pytest.mark.parametrize(
    ("lines", "year"),
    [
        (["收支总表", "项目 2018年预算数 2019年预算数"], 2019),  # the year before, printed for comparison
        (["2019年预算数 2018年预算数"], 2019),
        (["江苏省财政厅2019年度部门预算公开", "2018年预算数 2018年预算数"], 2019),  # a stronger pattern decides
        (["2020年预算数", "2020年预算数", "2021年预算数"], 2020),  # printed most often
    ],
)
def test_the_fiscal_year(lines, year):
    assert detect_year([page(*lines)], get_registry()) == year


@pytest.mark.parametrize(
    ("lines", "year"),
    [
        # the cover's year, the level word between year and edition included, over the narrative's others
        (["上海市普陀区2023年区级部门预算", "预算主管部门：上海市普陀区财政局", "2022年执行情况 2022年 2022年"], 2023),
        (["上海市普陀区2025年区级单位预算", "2024年预算 2024年 2024年"], 2025),
    ],
)
def test_the_fiscal_year_comes_from_the_cover_first(lines, year):
    assert detect_year([page(*lines)], get_registry()) == year


def test_the_cover_and_the_table_titles_disagreeing_on_the_year_is_named():
    from orchestration.extraction.document import year_sources
    from orchestration.extraction.pages import TitleHit

    cover = page("某市某区2023年区级部门预算", "预算主管部门：某市某区某局")
    tables = page("2022年部门财务收支预算总表", "单位：元", number=2)
    tables.titles = [TitleHit("overall", "2022年部门财务收支预算总表", 0)]
    assert year_sources([cover, tables], get_registry()) == {"cover": 2023, "table titles": 2022}


@pytest.mark.parametrize(
    ("lines", "department"),
    [
        (["第二部分江苏省高级人民法院2017年度部门预算"], "江苏省高级人民法院"),  # a part heading glued to the name
        (["上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区财政局"], "上海市普陀区财政局"),
        # tables that print no 部门 line: the department between the year and the title
        (["四、2017 年度江苏省高级人民法院部门财政拨款收支预算总表", "单位：万元"], "江苏省高级人民法院"),
    ],
)
def test_the_department_from_the_cover_and_titles_with_headings_stripped(lines, department):
    assert detect_department([page(*lines)], get_registry()) == department
