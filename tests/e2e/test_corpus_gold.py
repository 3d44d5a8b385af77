"""The corpus run through `budget-etl run`, compared with the hand-verified gold set (tests/gold)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

GOLD_DIR = Path(__file__).resolve().parent.parent / "gold"


def _gold_of_kind(final_accounts: bool) -> list[Path]:
    return sorted(
        p
        for p in GOLD_DIR.glob("*.json")
        if (json.loads(p.read_text(encoding="utf-8")).get("document_kind") == "final_accounts") == final_accounts
    )


GOLD_FILES = _gold_of_kind(final_accounts=False)  # budgets (部门预算, 单位预算)
FINAL_ACCOUNTS_GOLD = _gold_of_kind(final_accounts=True)  # 部门决算
SUMMARY_FIELDS = [
    "total_revenue",
    "total_expenditure",
    "basic_expenditure",
    "project_expenditure",
    "reserve_expenditure",
]
FUND_SCOPES = {"general_public_budget", "fiscal_appropriation", "government_fund"}
THREE_PUBLIC_FIELDS = [
    "total",
    "outbound_travel",
    "official_reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
    "meeting",
    "training",
]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# the marts speak 万元 (DECIMAL(24,6)); gold files keep each table's figures in the unit it prints
WANYUAN_PER_UNIT = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal("1")}


def as_decimal(value, unit: str = "万元") -> Decimal | None:
    """A figure in 万元 to the marts' six decimals: a gold figure printed in 元 or 千元 converts exactly."""
    if value is None:
        return None
    return (Decimal(str(value)) * WANYUAN_PER_UNIT[unit]).quantize(Decimal("0.000001"))


def records(con, sql: str, params: list) -> list[dict]:
    """Rows as dicts with SQL NULL kept as None (pandas would turn it into NaN)."""
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def rows_by(con, key: str, sql: str, params: list) -> dict[str, dict]:
    """The query's rows by the value of their `key` column (a function or economic code, a line code)."""
    return {row[key]: row for row in records(con, sql, params)}


def summary_row(con, gold: dict) -> dict:
    """The mart row whose source files include every file of the gold department-year."""
    rows = records(
        con,
        "select * from marts.fct_budget_summary"
        " where fiscal_year = ? and region = ? and disclosure_level = ? and document_kind = ?",
        [
            gold["fiscal_year"],
            gold["region"],
            gold.get("disclosure_level", "department"),
            gold.get("document_kind", "budget"),
        ],
    )
    matches = [row for row in rows if all(f in row["source_files"].split("; ") for f in gold["files"])]
    assert len(matches) == 1, f"{gold['files']}: {len(matches)} department-years list all its files"
    return matches[0]


def compare(gold_file: Path, con) -> tuple[int, list[str]]:
    """(figures compared, disagreements) for one department-year."""
    gold = load(gold_file)
    row = summary_row(con, gold)
    checked, wrong = 0, []
    unit = gold["overall"].get("unit", gold["unit"])
    for field in SUMMARY_FIELDS:
        expected = as_decimal(gold["overall"].get(field), unit)
        checked += 1
        if as_decimal(row[field]) != expected:
            wrong.append(f"summary {field}: expected {expected}, found {row[field]}")
    # 支出总表 and 收入总表 rows (Shanghai gold) have no per-code mart; the function tables are compared
    for scope, table in [(s, t) for s, t in gold["function_tables"].items() if s in FUND_SCOPES]:
        table_unit = table.get("unit", gold["unit"])
        found = rows_by(
            con,
            "function_code",
            "select function_code, function_name, amount_total, amount_basic, amount_project, source_page "
            "from marts.fct_expenditure_by_function "
            "where department_id = ? and fiscal_year = ? and disclosure_level = ? and fund_scope = ?"
            " and document_kind = 'budget'",
            [row["department_id"], gold["fiscal_year"], row["disclosure_level"], scope],
        )
        for expected in table["rows"]:
            code = expected["code"]
            got = found.pop(code, None)
            for measure in ("total", "basic", "project"):
                checked += 1
                value = None if got is None else got[f"amount_{measure}"]
                if got is None or as_decimal(value) != as_decimal(expected[measure], table_unit):
                    wrong.append(
                        f"{scope} {code} {expected['name']} {measure}: expected {expected[measure]}, found {value}"
                    )
            checked += 1
            if got is not None and got["source_page"] != expected["page"]:
                wrong.append(f"{scope} {code} page: expected {expected['page']}, found {got['source_page']}")
        for code in found:
            wrong.append(f"{scope} {code}: in the mart but not in the gold set")
    checked_economic, wrong_economic = compare_economic(con, row, gold)
    checked_three, wrong_three = compare_three_public(con, row, gold)
    return checked + checked_economic + checked_three, wrong + wrong_economic + wrong_three


def compare_economic(con, row: dict, gold: dict) -> tuple[int, list[str]]:
    """一般公共预算基本支出 by 经济科目 (Shanghai gold): every row's 合计, 人员经费 and 公用经费, and its page."""
    table = (gold.get("economic_tables") or {}).get("general_public_basic")
    if table is None:
        return 0, []
    unit = table.get("unit", gold["unit"])
    found = rows_by(
        con,
        "economic_code",
        "select economic_code, amount_total, amount_personnel, amount_public, source_page "
        "from marts.fct_expenditure_by_economic_class "
        "where department_id = ? and fiscal_year = ? and disclosure_level = ? and fund_scope = 'general_public_budget'"
        " and document_kind = 'budget'",
        [row["department_id"], gold["fiscal_year"], row["disclosure_level"]],
    )
    checked, wrong = 0, []
    for expected in table["rows"]:
        got = found.pop(expected["code"], None)
        for measure in ("total", "personnel", "public"):
            checked += 1
            value = None if got is None else got[f"amount_{measure}"]
            if got is None or as_decimal(value) != as_decimal(expected[measure], unit):
                wrong.append(
                    f"economic {expected['code']} {expected['name']} {measure}: "
                    f"expected {expected[measure]}, found {value}"
                )
        checked += 1
        if got is not None and got["source_page"] != expected["page"]:
            wrong.append(f"economic {expected['code']} page: expected {expected['page']}, found {got['source_page']}")
    wrong += [f"economic {code}: in the mart but not in the gold set" for code in found]
    return checked, wrong


def compare_three_public(con, summary: dict, gold: dict) -> tuple[int, list[str]]:
    expected = gold["three_public"]
    unit = expected.get("unit", gold["unit"])
    rows = records(
        con,
        "select * from marts.fct_three_public_expenses "
        "where department_id = ? and fiscal_year = ? and disclosure_level = ? and document_kind = 'budget'",
        [summary["department_id"], gold["fiscal_year"], summary["disclosure_level"]],
    )
    if len(rows) != 1:
        return 1, [f"three_public: {len(rows)} rows"]
    [row] = rows
    pairs = [(field, expected.get(field), row[field]) for field in THREE_PUBLIC_FIELDS]
    pairs.append(("grand_total", expected.get("grand_total_incl_meeting_training"), row["grand_total"]))
    pairs.append(("prior_year_total", expected.get("prior_year", {}).get("total"), row["prior_year_total"]))
    if "operating_costs" in expected:
        pairs.append(("operating_costs", expected["operating_costs"], row["operating_costs"]))
    pairs.append(("page", expected["page"], row["source_page"]))
    wrong = [
        f"three_public {field}: expected {want}, found {got}"
        for field, want, got in pairs
        if (as_decimal(want, unit) if field != "page" else want) != (as_decimal(got) if field != "page" else got)
    ]
    return len(pairs), wrong


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_department_year_agrees_with_gold(gold_file, corpus_db):
    checked, wrong = compare(gold_file, corpus_db)
    assert not wrong, f"{len(wrong)} of {checked} figures disagree:\n" + "\n".join(wrong[:40])


def test_gold_set_covers_every_corpus_department_year(corpus_db):
    kinds = dict(
        corpus_db.execute("select document_kind, count(*) from marts.fct_budget_summary group by all").fetchall()
    )
    assert (
        kinds
        == {"budget": len(GOLD_FILES), "final_accounts": len(FINAL_ACCOUNTS_GOLD)}
        == {
            "budget": 15,
            "final_accounts": 2,
        }
    )


def test_longhua_2022_headline_figures(corpus_db):
    """Read off the rendered pages: 收支总表 (p.21), 表3 支出总表, 表7 一般公共预算支出表."""
    [row] = records(
        corpus_db, "select * from marts.fct_budget_summary where region = ? and fiscal_year = ?", ["深圳市龙华区", 2022]
    )
    assert row["department_name"] == "深圳市龙华区政务服务数据管理局"
    assert (row["total_revenue"], row["basic_expenditure"], row["project_expenditure"]) == (22070, 3219, 18851)
    assert row["reserve_expenditure"] is None
    line = corpus_db.execute(
        "select amount_total, amount_basic, amount_project, function_level, parent_code "
        "from marts.fct_expenditure_by_function where function_code = '2010301' and fiscal_year = 2022"
    ).fetchall()
    assert line == [(Decimal("3149.00"), Decimal("2807.00"), Decimal("342.00"), 3, "20103")]


def test_longhua_lists_three_tables_its_body_lacks(corpus_db):
    """The contents list 表2 收入总表, 表4 基本支出总表, 表5 项目支出总表; the body has none of them."""
    absent = corpus_db.execute(
        "select table_type from ops.document_tables where status = 'listed_but_absent' order by table_type"
    ).fetchall()
    assert absent == [("basic_expenditure_summary",), ("project_expenditure_summary",), ("revenue_summary",)]


def corpus_files() -> list:
    from orchestration.settings import corpus_dir

    root = corpus_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.pdf")) if root.is_dir() else []


@pytest.mark.parametrize("source_file", corpus_files())
def test_every_corpus_file_is_loaded(corpus_db, source_file):
    [(status, reason)] = corpus_db.execute(
        "select status, reason from ops.documents where source_file = ?", [source_file]
    ).fetchall()
    assert (status, reason) == ("loaded", None)


def test_final_accounts_are_read_as_final_accounts(corpus_db):
    rows = corpus_db.execute(
        "select status, document_kind, fiscal_year from ops.documents where source_file like '%决算%'"
    ).fetchall()
    assert rows == [("loaded", "final_accounts", 2024)] * 2


def compare_final_accounts(gold_file: Path, con) -> tuple[int, list[str]]:
    """A 部门决算 against its gold: the overall totals, every 一般公共预算 function row, every economic row, and the
    “三公” 预算数 and 决算数 of each item (mart_budget_vs_actual)."""
    gold = load(gold_file)
    row = summary_row(con, gold)
    key = [row["department_id"], gold["fiscal_year"]]
    checked, wrong = 0, []

    def expect(what: str, want, got) -> None:
        nonlocal checked
        checked += 1
        if as_decimal(want) != as_decimal(got):
            wrong.append(f"{what}: expected {want}, found {got}")

    overall, spending = gold["overall"], gold["expenditure"]["total_row"]
    expect("summary total_revenue (总计)", overall["grand_total_revenue"], row["total_revenue"])
    expect("summary total_expenditure (总计)", overall["grand_total_expenditure"], row["total_expenditure"])
    expect("summary basic_expenditure", spending["basic"], row["basic_expenditure"])
    expect("summary project_expenditure", spending["project"], row["project_expenditure"])
    functions = rows_by(
        con,
        "function_code",
        "select * from marts.fct_expenditure_by_function where department_id = ? and fiscal_year = ?"
        " and document_kind = 'final_accounts' and fund_scope = 'general_public_budget'",
        key,
    )
    for expected in gold["general_public_budget"]["rows"]:
        got = functions.pop(expected["code"], {})
        for measure in ("total", "basic", "project"):
            expect(f"function {expected['code']} {measure}", expected[measure], got.get(f"amount_{measure}"))
        checked += 1
        if got.get("source_page") != expected["page"]:
            wrong.append(
                f"function {expected['code']} page: expected {expected['page']}, found {got.get('source_page')}"
            )
    wrong += [f"function {code}: in the mart but not in the gold set" for code in functions]
    economic = rows_by(
        con,
        "economic_code",
        "select * from marts.fct_expenditure_by_economic_class where department_id = ? and fiscal_year = ?"
        " and document_kind = 'final_accounts'",
        key,
    )
    for expected in gold["general_public_basic_economic"]["rows"]:
        got = economic.pop(expected["code"], {})
        expect(f"economic {expected['code']} {expected['name']}", expected["amount"], got.get("amount_total"))
    wrong += [f"economic {code}: in the mart but not in the gold set" for code in economic]
    lines = rows_by(
        con,
        "line_code",
        "select * from marts.mart_budget_vs_actual where department_id = ? and fiscal_year = ?"
        " and line_kind = 'three_public'",
        key,
    )
    three = gold["three_public"]
    for item, budgeted in three["budget"].items():
        line = lines.get(item, {})
        expect(f"three_public {item} 预算数", budgeted, line.get("budgeted"))
        actual = three["actual"][item]
        expect(f"three_public {item} 决算数", 0 if actual is None else actual, line.get("actual"))
    return checked, wrong


@pytest.mark.parametrize("gold_file", FINAL_ACCOUNTS_GOLD, ids=[p.stem for p in FINAL_ACCOUNTS_GOLD])
def test_final_accounts_agree_with_gold(gold_file, corpus_db):
    checked, wrong = compare_final_accounts(gold_file, corpus_db)
    assert checked > 100
    assert not wrong, f"{len(wrong)} of {checked} figures disagree:\n" + "\n".join(wrong[:40])


def test_agreement_over_the_whole_gold_set_is_100_percent(corpus_db):
    """The figure the README states: every gold figure compared, none disagreeing."""
    results = [compare(path, corpus_db) for path in GOLD_FILES]
    checked = sum(count for count, _ in results)
    wrong = [w for _, ws in results for w in ws]
    print(f"gold agreement: {checked - len(wrong)}/{checked} figures")
    assert (checked, wrong) == (2421, [])


def test_a_prior_year_missing_from_the_warehouse_comes_from_this_years_narrative(corpus_db):
    """委办 2017 narrative p.5: "收入、支出预算总计20849.45万元，与上年相比收、支预算总计各增加2043.58万元"."""
    row = corpus_db.execute(
        "select total_expenditure, total_expenditure_prior, prior_year_source "
        "from marts.mart_department_year_over_year where department_name = '江苏省委办公厅' and fiscal_year = 2017"
    ).fetchone()
    assert row == (Decimal("20849.45"), Decimal("18805.87"), "stated_in_this_document")


def test_every_standard_table_of_the_shanghai_budgets_is_read(corpus_db):
    """Each 2025 budget prints the nine tables of its 目录; the 政府性基金 and 国有资本经营 tables are printed
    empty with a note ("本部门…无…"), a fact about the publication: found_empty, not a failure."""
    rows = corpus_db.execute(
        "select source_file, status, count(*) from ops.document_tables "
        "where source_file like 'shanghai/%' and source_file not like '%决算%' group by all order by all"
    ).fetchall()
    by_file: dict[str, dict[str, int]] = {}
    for source_file, status, count in rows:
        by_file.setdefault(source_file, {})[status] = count
    assert len(by_file) == 5
    for statuses in by_file.values():
        assert statuses == {"found": 7, "found_empty": 2}


def test_editions_of_one_body_and_year_are_kept_apart(corpus_db):
    rows = corpus_db.execute(
        "select department_name, disclosure_level, quality_status from marts.fct_budget_summary "
        "where department_name = '上海市普陀区商务委员会' order by disclosure_level"
    ).fetchall()
    assert rows == [
        ("上海市普陀区商务委员会", "department", "verified"),
        ("上海市普陀区商务委员会", "unit", "verified"),
    ]
    statuses = corpus_db.execute(
        "select disclosure_level, status from ops.documents where source_file like 'shanghai/上海市普陀区商务委员会%' "
        "order by disclosure_level"
    ).fetchall()
    assert statuses == [("department", "loaded"), ("unit", "loaded")]  # neither supersedes the other
