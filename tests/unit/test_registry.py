import pytest
import yaml

from orchestration.extraction.registry import REGISTRY_PATH, SAFE_LOADER, get_registry, load_registry


@pytest.fixture(scope="module")
def registry():
    return get_registry()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("收支预算总表", "overall"),
        ("公开01表：收支预算总表", "overall"),
        ("一、收支预算总表", "overall"),
        ("收 支 总 表", "overall"),
        ("(一) 收支总表", "overall"),
        ("支出总表", "expenditure_summary"),
        ("支出预算总表", "expenditure_summary"),
        ("一般公共预算支出预算表（功能科目）", "function_general_public"),
        ("一般公共预算支出预算表", "function_general_public"),
        ("一般公共预算支出表（按功能分类）", "function_general_public"),
        ("(七) 一般公共预算支出表（按功能分类）", "function_general_public"),
        ("财政拨款支出预算表", "function_fiscal_appropriation"),
        ("五、财政拨款支出预算表", "function_fiscal_appropriation"),
        ("财政拨款支出预算表(功能科目)", "function_fiscal_appropriation"),
        ("政府性基金预算支出表", "function_government_fund"),
        ("政府性基金预算财政拨款支出预算表", "function_government_fund"),
        ("财政拨款政府性基金支出预算表", "function_government_fund"),
        ("十、政府性基金财政拨款支出预算表", "function_government_fund"),
        ("七、政府性基金支出预算表", "function_government_fund"),
        ("财政拨款基本支出预算表（经济科目）", "basic_economic_fiscal"),
        ("收入预算总表", "revenue_summary"),
        ("财政拨款收支预算总表", "fiscal_appropriation_overall"),
        ("2019年政府采购预算表", "government_procurement"),
        ("十一、一般公共预算三公经费、会议费、培训费支出预算表", "three_public"),  # quotes lost on their own line
        ("公开 09 表：一般公共预算“三公”经费、会议费、培训费支出预算表", "three_public"),
        ("一般公共预算“三公”经费支出表", "three_public"),
        ("一般公共预算机关运行经费支出预算表", "operating_costs"),
        ("国有资本经营预算支出表", "state_capital"),
        ("政府预算拨款收支总表", "fiscal_appropriation_overall"),
        ("深圳市龙华区政务服务数据管理局整体支出绩效目标表", "performance_targets"),
        ("部门收支总体情况表", "overall"),  # the Ministry of Finance's standard names
        ("财政拨款收支总体情况表", "fiscal_appropriation_overall"),
        ("一般公共预算支出情况表", "function_general_public"),
        ("一般公共预算基本支出情况表", "basic_economic_general_public"),
        ("一般公共预算“三公”经费支出情况表", "three_public"),
        ("政府性基金预算支出情况表", "function_government_fund"),
        ("部门收入总体情况表", None),  # coded rows × sources: not the layout of 收入预算总表; warned about
        ("江苏省人民检察院2019年收支预算总表", "overall"),  # department and year in front
        ("2019年度“三公”经费支出预算表", "three_public"),
        ("2022年深圳市龙华区政务服务数据管理局收支总表", "overall"),
        ("江苏省人民检察院收支预算总表", "overall"),  # a department's name in front
        ("江苏省委办公厅政府性基金预算财政拨款支出预算表", "function_government_fund"),  # the longest title that fits
        ("收支预算总表（2019年）", "overall"),
        ("附表1 收支预算总表", "overall"),
        ("一般公共预算支出预算表（按功能科目）", "function_general_public"),
        ("本部门收支预算总表", "overall"),  # "本部门" is no department's name, the title's key words type it
        ("江苏省委办公厅2019年度部门预算公开", None),
        ("二、2019年度部门预算表情况说明", None),
        ("五、财政拨款支出预算表情况说明", None),
        ("本表反映部门年度总体收支预算情况。", None),
    ],
)
def test_match_title(registry, title, expected):
    assert registry.match_title(title) == expected


def test_only_extracted_tables_are_marked(registry):
    extracted = {k for k, spec in registry.tables.items() if spec.extract}
    assert extracted == {
        "overall",
        "expenditure_summary",
        "function_general_public",
        "function_fiscal_appropriation",
        "function_government_fund",
        "revenue_summary",
        "fiscal_appropriation_overall",
        "basic_economic_fiscal",
        "basic_economic_general_public",
        "three_public",
        "operating_costs",
        "government_procurement",
        "state_capital",
        "performance_targets",
    }
    # recognized only: they delimit the others and are read from the contents page
    assert not registry.tables["basic_expenditure_summary"].extract


def test_column_roles(registry):
    overall = registry.tables["overall"]
    function = registry.tables["function_general_public"]
    assert registry.column_role(["收入", "金额"], overall).measure == "amount"
    assert registry.column_role(["收入", "项目名称"], overall).section == "revenue"
    assert registry.column_role(["支出", "功能分类", "金额"], overall).section == "expenditure"
    role = registry.column_role(["支出", "支出用途", "金额"], overall)
    assert (role.role, role.measure, role.section) == ("measure", "amount", "expenditure_by_purpose")
    assert registry.column_role(["支 出", "2022 年预算数"], overall).measure == "amount"
    assert registry.column_role(["金额"], function).measure == "total"
    assert registry.column_role(["支出总计"], function).measure == "total"
    assert registry.column_role(["基本支出"], function).measure == "basic"
    assert registry.column_role(["项目支出"], function).measure == "project"
    assert registry.column_role(["单位预留机动经费"], function).measure == "reserve"
    assert registry.column_role(["功能科目编码"], function).role == "code"
    assert registry.column_role(["科目代码"], function).role == "code"
    assert registry.column_role(["类"], function).role == "code_part"
    assert registry.column_role(["功能科目名称"], function).role == "name"
    assert registry.column_role(["预算单位"], function).role == "unit_name"
    # a measure under a foreign group header (政府采购) is out of scope
    assert registry.column_role(["2022 年政府采购项目", "小计"], function).role == "ignore"


@pytest.mark.parametrize(
    ("label", "item"),
    [
        ("收入合计", "total_revenue"),
        ("收入总计", "total_revenue"),
        ("支出合计", "total_expenditure"),
        ("当年收入小计", "current_year_revenue"),
        ("本年收入合计", "current_year_revenue"),
        ("本年支出合计", "current_year_expenditure"),
        ("上年结转资金", "prior_year_carryover"),
        ("上年结余、结转", "prior_year_carryover"),
        ("结转下年资金", "carry_forward"),
        ("一、基本支出", "basic_expenditure"),
        ("二、项目支出", "project_expenditure"),
        ("三、单位预留机动经费", "reserve_expenditure"),
        ("一、财政拨款", "fiscal_appropriation"),
        ("一、政府预算拨款", "fiscal_appropriation"),
        ("1.一般公共预算", "general_public_budget"),
        ("1.一般公共预算拨款", "general_public_budget"),
        ("2.政府性基金预算", "government_fund"),
        ("一、一般公共服务支出", None),
    ],
)
def test_items(registry, label, item):
    assert registry.item_for(label, registry.tables["overall"]) == item


def test_function_total_item(registry):
    assert registry.item_for("合 计", registry.tables["function_general_public"]) == "total"


def test_templates(registry):
    assert registry.templates["jiangsu_provincial"].region == "江苏省"
    assert registry.templates["shenzhen_district"].region == "深圳市"  # the city; the district is read from the text


@pytest.mark.parametrize(
    ("path", "role", "key"),
    [
        (["合计"], "measure", "grand_total"),
        (["“三公”经费", "小计"], "measure", "total"),
        (["“三公”经费", "公务用车购置及运行维护费", "小计"], "measure", "vehicle_total"),
        (["公务用车购置及运行维护费", "小计"], "measure", "vehicle_total"),
        (["“三公”经费", "因公出国（境）费"], "measure", "outbound_travel"),
        (["公务用车购置及运行维护费", "公务用车购置费"], "measure", "vehicle_purchase"),
        (["公务接待费"], "measure", "official_reception"),
        (["总计"], "measure", "total"),  # Longhua: no 会议费/培训费, 总计 is the 三公 total
        (["年度"], "name", None),
        (["预算单位"], "attribute", "budget_unit"),
    ],
)
def test_three_public_columns(registry, path, role, key):
    got = registry.column_role(path, registry.tables["three_public"])
    assert got.role == role
    assert (got.measure or got.attribute) == key


def test_procurement_columns(registry):
    spec = registry.tables["government_procurement"]
    assert registry.column_role(["采购品目大类"], spec).attribute == "category"
    assert registry.column_role(["专项名称"], spec).attribute == "project"
    assert registry.column_role(["经济科目"], spec).attribute == "economic_item"
    assert registry.column_role(["采购物品名称"], spec).attribute == "procurement_item"
    assert registry.column_role(["采购组织形式"], spec).attribute == "procurement_method"
    assert registry.column_role(["总计"], spec).measure == "total"
    assert spec.hierarchy == ("category", "project", "economic_item", "procurement_item")
    # per-table header words are not header text elsewhere: 会议费 is an economic line of other tables
    assert registry.is_header_text("采购组织形式", spec)
    assert not registry.is_header_text("会议费")
    assert registry.is_header_text("会议费", registry.tables["three_public"])


def test_economic_and_operating_columns(registry):
    spec = registry.tables["basic_economic_fiscal"]
    assert registry.column_role(["科目编码"], spec).role == "code"
    assert registry.column_role(["经济科目名称"], spec).role == "name"
    assert registry.column_role(["人员经费"], spec).measure == "personnel"
    assert registry.column_role(["公用经费"], spec).measure == "public"
    assert registry.column_role(["机关运行经费支出"], registry.tables["operating_costs"]).measure == "total"


def test_table_items(registry):
    assert registry.item_for("增减变化金额", registry.tables["three_public"]) == "change"
    assert registry.item_for("金额合计", registry.tables["performance_targets"]) == "total"
    assert registry.item_for("合 计", registry.tables["government_procurement"]) == "total"
    assert registry.item_for("收入总计", registry.tables["revenue_summary"]) == "total_revenue"
    assert registry.item_for("其他资金", registry.tables["revenue_summary"]) == "other_funds"


def test_every_measure_is_listed(registry):
    measures = registry.measures()
    for key in (
        "total",
        "amount",
        "grand_total",
        "outbound_travel",
        "vehicle_operation",
        "meeting",
        "training",
        "personnel",
        "public",
        "fiscal",
        "other",
    ):
        assert key in measures


def test_per_line_answers_are_remembered_and_bounded():
    fresh = load_registry()  # the shared registry's remembered lines must not leak into other tests
    assert fresh.match_title("收支预算总表") == "overall" and fresh.match_title("收支预算总表") == "overall"
    assert fresh.looks_like_title("某某项目明细表") and not fresh.looks_like_title("本表反映部门收支情况")
    for number in range(100_002):
        fresh.match_title(f"第{number}行")
    # emptied once it passed 100,000 lines, then refilled: a long-lived worker does not grow without end
    assert 0 < len(fresh._titles_seen) <= 100_001
    assert fresh.match_title("收支预算总表") == "overall"


def test_registry_reads_the_same_with_libyaml_as_with_pure_python():
    """The registry is read with libyaml's loader for speed; it must mean what the YAML reference loader reads."""
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    assert SAFE_LOADER is yaml.CSafeLoader  # pyyaml's wheels ship libyaml; without it the speed-up is silently gone
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)
    assert load_registry().raw == yaml.load(text, Loader=yaml.SafeLoader)
