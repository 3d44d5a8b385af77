import pytest

from orchestration.extraction.narrative import _patterns, narrative_figures, read_change
from orchestration.extraction.pages import classify_page
from orchestration.extraction.registry import get_registry


@pytest.fixture(scope="module")
def registry():
    return get_registry()


@pytest.mark.parametrize(
    ("rest", "change"),
    [
        ("，与上年相比收、支预算总计各增加3205.79万元，增长13.11%。", 3205.79),
        ("，比上年预算减少20万元，主要是压缩团组。", -20.0),
        ("，本年数小于上年预算数29.65万元，主要是……", -29.65),
        ("，与上年预算数一致。", 0.0),
        ("，与上年持平。", 0.0),
        ("，比2021年预算增加7万元，增长175%", 7.0),
        ("，比2021年减少1,190万元，减少5%。", -1190.0),
        ("，占“三公”经费的13.77%；公务用车购置及运行费支出411.20万元，与上年预算数一致。", None),  # next clause
        ("。与上年相比增加5万元。", None),  # another sentence
        ("，其中：公务用车购置费0万元，比上年增加3万元", None),  # belongs to the figure printed in between
    ],
)
def test_read_change(registry, rest, change):
    assert read_change(rest, _patterns(registry)) == change


def _pages(*texts):
    registry = get_registry()
    return [classify_page(i + 1, text, registry) for i, text in enumerate(texts)]


def test_figures_from_running_text(registry):
    scans = _pages(
        "第三部分 2019年度部门预算情况说明\n一、收支预算总体情况说明\n某厅2019年度收入、支出预算总计\n"
        "27664.22万元，与上年相比收、支预算总计各增加3205.79万元，增长13.11%。\n— 8 —",
        "其中：基本支出11700.63万元，占42.30%；项目支出13025.38万元，占47.08%。\n"
        "1．因公出国（境）费预算支出70万元，与上年预算数一致。\n"
        "3．公务接待费预算支出27万元，比上年预算减少1万元，主要原因是压减。\n"
        "某厅2019年度一般公共预算拨款安排的会议费预算支出933.50万元，与上年预算数一致。\n9",
    )
    figures = {f.figure: f for f in narrative_figures(scans, registry)}
    assert figures["total_revenue"].amount == 27664.22
    assert figures["total_revenue"].change_amount == 3205.79
    assert figures["total_revenue"].source_page == 1
    assert figures["total_expenditure"].amount == 27664.22
    assert (figures["basic_expenditure"].amount, figures["basic_expenditure"].source_page) == (11700.63, 2)
    assert figures["project_expenditure"].amount == 13025.38
    assert (figures["outbound_travel"].amount, figures["outbound_travel"].change_amount) == (70.0, 0.0)
    assert figures["official_reception"].change_amount == -1.0
    assert figures["meeting"].amount == 933.5
    assert figures["meeting"].unit == "万元"
    assert "training" not in figures
    assert figures["official_reception"].sentence.startswith("3．公务接待费预算支出27万元")


def test_page_numbers_are_not_glued_to_amounts(registry):
    # "— 22 —" at the foot of the page must not turn "267.8" into "22267.8"
    scans = _pages("（2）公务用车运行维护费预算支出\n— 22 —", "267.8万元，与上年预算数一致。")
    figures = {f.figure: f for f in narrative_figures(scans, registry)}
    assert figures["vehicle_operation"].amount == 267.8


def test_district_wording(registry):
    scans = _pages(
        "2022年“三公”经费预算11万元，比2021年预算增加7万元，增长175%。\n"
        "2. 公务接待费。2022年预算数1万元，比2021年增加0万元。\n"
        "公务用车运行维护费 2022 年预算数 11 万元，比 2021 年预算数增加 7 万元。\n"
        "政府采购项目纳入 2022 年部门预算共计 7,739 万元，其中货物采购 199 万元。"
    )
    figures = {f.figure: f for f in narrative_figures(scans, registry)}
    assert (figures["three_public_total"].amount, figures["three_public_total"].change_amount) == (11.0, 7.0)
    assert figures["official_reception"].amount == 1.0
    assert (figures["vehicle_operation"].amount, figures["vehicle_operation"].change_amount) == (11.0, 7.0)
    assert figures["government_procurement"].amount == 7739.0


def test_table_pages_are_not_narrative(registry):
    scans = _pages("会议费预算支出\n单位：万元\n会议费 50.00")
    assert narrative_figures(scans, registry) == []
