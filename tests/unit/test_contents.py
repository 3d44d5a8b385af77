from orchestration.extraction.document import listed_tables
from orchestration.extraction.pages import classify_page
from orchestration.extraction.registry import get_registry


def _pages(*texts):
    registry = get_registry()
    return [classify_page(i + 1, text, registry) for i, text in enumerate(texts)]


def test_contents_entries_glued_on_one_line():
    # a tables-only file: "序号 报表名称" with every entry on one text line
    scans = _pages(
        "序号 报表名称\n一、 收支预算总表二、 收入预算总表三、 支出预算总表十一、 一般公共预算“三公”经费、会议费、"
        "培训费支出预算表十二、 政府采购支出预算表\n目 录"
    )
    assert listed_tables(scans) == [
        "overall",
        "revenue_summary",
        "expenditure_summary",
        "three_public",
        "government_procurement",
    ]


def test_contents_running_over_a_page_break():
    scans = _pages(
        "目 录\n第一部分 部门概况\n第二部分 2017 年度部门预算表\n一、收支预算总表\n"
        "九、一般公共预算基本支出预算表\n— 1 —",
        "十、一般公共预算机关运行经费支出预算表\n十一、一般公共预算“三公”经费、会议费、培训费支\n出预算表\n"
        "十二、政府采购支出预算表\n第三部分 预算情况说明\n第一部分 部门概况\n一、主要职能\n"
        "负责机关行政事务。收集信息。起草文件。开展调研。又见政府采购支出预算表。",
    )
    assert listed_tables(scans) == [
        "overall",
        "basic_economic_general_public",
        "operating_costs",
        "three_public",
        "government_procurement",
    ]


def test_page_after_contents_without_entries_adds_nothing():
    scans = _pages(
        "目 录\n一、收支预算总表",
        "第一部分 部门概况\n一、主要职能\n负责事务。收集信息。起草文件。开展调研。\n二、政府采购支出预算表",
    )
    assert listed_tables(scans) == ["overall"]
