"""The example queries of README.md ("Querying the warehouse") run against the corpus warehouse.

Each query is parsed out of README.md between `<!-- query: NAME -->` and `<!-- /query -->`, so the
README and this test cannot drift apart. The expected answers are the corpus' real figures, checked
against the hand-verified gold set in tests/gold/ where it has them.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
GOLD = Path(__file__).resolve().parent.parent / "gold"
QUERY_BLOCK = re.compile(r"<!-- query: (?P<name>\w+) -->\s*```sql\n(?P<sql>.*?)```\s*<!-- /query -->", re.DOTALL)


def readme_queries() -> dict[str, str]:
    return {match["name"]: match["sql"] for match in QUERY_BLOCK.finditer(README.read_text(encoding="utf-8"))}


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def dec(value: float | int) -> Decimal:
    """Gold amounts in 万元 are JSON numbers; the warehouse speaks 万元 as DECIMAL(24,6)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def run(con, name: str) -> list[dict]:
    relation = con.sql(readme_queries()[name])
    return [dict(zip(relation.columns, row)) for row in relation.fetchall()]


def check_total_rise_2017_2019(rows):
    totals = {
        "江苏省委办公厅": ("jiangsu_weibangongting_2017", "jiangsu_weibangongting_2019"),
        "江苏省政协办公厅": ("jiangsu_zhengxie_2017", "jiangsu_zhengxie_2019"),
        "江苏省人民检察院": ("jiangsu_jianchayuan_2017", "jiangsu_jianchayuan_2019"),
    }
    assert [row["department_name"] for row in rows] == ["江苏省政协办公厅", "江苏省人民检察院", "江苏省委办公厅"]
    for row in rows:
        first, last = totals[row["department_name"]]
        assert row["total_2017"] == dec(gold(first)["overall"]["total_expenditure"])
        assert row["total_2019"] == dec(gold(last)["overall"]["total_expenditure"])
        assert row["change"] == row["total_2019"] - row["total_2017"]
    assert rows[0]["change_pct"] == pytest.approx(46.25)
    assert rows[0]["change"] == Decimal("4230.32")


def check_share_of_201_in_2019(rows):
    weiban = gold("jiangsu_weibangongting_2019")["function_tables"]["general_public_budget"]
    zhengxie = gold("jiangsu_zhengxie_2019")["function_tables"]["general_public_budget"]
    amount = {
        "江苏省委办公厅": dec(next(r["total"] for r in weiban["rows"] if r["code"] == "201")),
        "江苏省政协办公厅": dec(next(r["total"] for r in zhengxie["rows"] if r["code"] == "201")),
    }
    assert [(row["department_name"], row["amount"], row["rank_in_function"]) for row in rows] == [
        ("江苏省委办公厅", amount["江苏省委办公厅"], 1),
        ("江苏省政协办公厅", amount["江苏省政协办公厅"], 2),
    ]
    assert amount["江苏省委办公厅"] == Decimal("22395.50")
    assert [row["pct_of_all_departments"] for row in rows] == [pytest.approx(68.73), pytest.approx(31.27)]
    assert sum(row["pct_of_all_departments"] for row in rows) == pytest.approx(100, abs=0.01)
    # own budget = the 一般公共预算 table's 合计 of the same department-year
    assert rows[0]["pct_of_own_budget"] == pytest.approx(round(100 * 22395.50 / weiban["total"], 2))
    assert rows[1]["pct_of_own_budget"] == pytest.approx(round(100 * 10191.56 / zhengxie["total"], 2))


def check_largest_items_jianchayuan_2019(rows):
    table = gold("jiangsu_jianchayuan_2019")["function_tables"]["general_public_budget"]
    items = sorted((r for r in table["rows"] if len(r["code"]) == 7), key=lambda r: -r["total"])[:10]
    assert len(rows) == 10
    assert [(row["function_code"], row["amount_total"]) for row in rows] == [
        (r["code"], dec(r["total"])) for r in items
    ]
    assert rows[0]["function_code"] == "2040401"
    assert rows[0]["function_name"] == "行政运行"
    assert rows[0]["amount_total"] == Decimal("12268.62")
    assert all(row["parent_code"] == row["function_code"][:5] for row in rows)


def check_project_yoy_weibangongting(rows):
    project = {
        year: dec(gold(f"jiangsu_weibangongting_{year}")["overall"]["project_expenditure"])
        for year in (2017, 2018, 2019)
    }
    assert [row["fiscal_year"] for row in rows] == [2017, 2018, 2019]
    assert [row["project_expenditure"] for row in rows] == [project[2017], project[2018], project[2019]]
    assert rows[2]["project_expenditure"] == Decimal("13025.38")
    # 2016 is not in the warehouse and the 2017 narrative states only the total's change (p.5:
    # "收、支预算总计各增加2043.58万元"), so the 2017 row has a stated prior total but no project prior
    assert rows[0]["project_expenditure_prior"] is None and rows[0]["prior_year_source"] == "stated_in_this_document"
    assert rows[1]["project_expenditure_change"] == Decimal("1392.80")
    assert rows[1]["project_expenditure_change_pct"] == Decimal("13.03")
    assert rows[2]["project_expenditure_prior"] == project[2018]
    assert rows[2]["project_expenditure_change"] == Decimal("943.92")
    assert rows[2]["project_expenditure_change_pct"] == Decimal("7.81")
    assert {row["prior_year_source"] for row in rows[1:]} == {"prior_year_document"}


def check_renamed_function_codes(rows):
    def printed_name(file: str, code: str) -> str:
        rows_ = gold(file)["function_tables"]["general_public_budget"]["rows"]
        return next(r["name"] for r in rows_ if r["code"] == code)

    assert [(row["function_code"], row["current_name"], row["former_names"]) for row in rows] == [
        (
            "2040405",
            printed_name("jiangsu_jianchayuan_2018", "2040405"),
            printed_name("jiangsu_jianchayuan_2017", "2040405"),
        ),
        (
            "20805",
            printed_name("shenzhen-longhua_zhengwufuwu_2022", "20805"),
            printed_name("jiangsu_weibangongting_2019", "20805"),
        ),
    ]
    assert rows[1]["current_name"] == "行政事业单位养老支出"
    assert rows[1]["former_names"] == "行政事业单位离退休"
    assert rows[1]["valid_years"] == "2017; 2018; 2019; 2022; 2024; 2025"  # 2024: the 部门决算


def check_latest_year_profiles(rows):
    assert [(row["department_name"], row["fiscal_year"]) for row in rows] == [
        ("上海市普陀区商务委员会", 2025),
        ("江苏省委办公厅", 2019),
        ("江苏省人民检察院", 2019),
        ("深圳市龙华区政务服务数据管理局", 2022),
        ("江苏省政协办公厅", 2019),
        ("上海市普陀区人民政府办公室", 2025),
        ("上海市普陀区财政局", 2025),
    ]  # department editions only: the two 单位预算 are not beside them
    levels = ["district", "province", "province", "district", "province", "district", "district"]
    assert [row["admin_level"] for row in rows] == levels
    shangwu = gold("shanghai_putuo-shangwuwei_2025_department")["overall"]  # in 元, exactly
    assert rows[0]["total_expenditure"] == Decimal(str(shangwu["total_expenditure"])) / 10000
    assert rows[0]["basic_pct"] == pytest.approx(5.3)
    longhua = gold("shenzhen-longhua_zhengwufuwu_2022")["overall"]
    assert rows[3]["total_expenditure"] == dec(longhua["total_expenditure"])
    assert rows[3]["basic_expenditure"] == dec(longhua["basic_expenditure"])
    assert rows[3]["project_expenditure"] == dec(longhua["project_expenditure"])
    assert rows[3]["reserve_expenditure"] is None
    weiban = gold("jiangsu_weibangongting_2019")["overall"]
    assert rows[1]["total_expenditure"] == dec(weiban["total_expenditure"])
    assert rows[1]["reserve_expenditure"] == dec(weiban["reserve_expenditure"])
    assert rows[1]["basic_pct"] == pytest.approx(42.3)


def check_three_public_underspent_2024(rows):
    ziyuan = gold("shanghai_putuo-guihuaziyuan_2024_final_accounts")["three_public"]
    caizheng = gold("shanghai_putuo-caizhengju_2024_final_accounts")["three_public"]
    assert [(row["department_name"], row["budgeted"], row["actual"], row["underspent"]) for row in rows] == [
        (
            "上海市普陀区规划和自然资源局",
            dec(ziyuan["budget"]["total"]),
            dec(ziyuan["actual"]["total"]),
            Decimal("2.46"),
        ),
        ("上海市普陀区财政局", dec(caizheng["budget"]["total"]), Decimal("0"), Decimal("0.95")),  # 决算数 blank
    ]
    assert caizheng["actual"]["total"] is None
    assert [float(row["pct_executed"]) for row in rows] == [pytest.approx(13.68), pytest.approx(0)]
    assert {row["budget_source"] for row in rows} == {"printed_in_final_accounts"}


CHECKS = {
    "total_rise_2017_2019": check_total_rise_2017_2019,
    "share_of_201_in_2019": check_share_of_201_in_2019,
    "largest_items_jianchayuan_2019": check_largest_items_jianchayuan_2019,
    "project_yoy_weibangongting": check_project_yoy_weibangongting,
    "renamed_function_codes": check_renamed_function_codes,
    "latest_year_profiles": check_latest_year_profiles,
    "three_public_underspent_2024": check_three_public_underspent_2024,
}


def test_readme_has_exactly_the_checked_queries():
    assert set(readme_queries()) == set(CHECKS)
    assert len(readme_queries()) == 7


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_readme_query_answers_on_the_corpus(corpus_db, name):
    CHECKS[name](run(corpus_db, name))
