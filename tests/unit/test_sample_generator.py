"""The sample-PDF generator: a consistent model, PDFs that pdfplumber reads back, identical bytes per run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from orchestration.samples import generator
from orchestration.samples.data import CLASS_LIST, ZERO
from orchestration.samples.layout import figure

BUDGETS = generator.build_sample_budgets()


def number(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text else ZERO


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("samples")
    return out, generator.write_samples(out)


@pytest.fixture(scope="module")
def pages(written) -> dict[Path, list[str]]:
    """Text of every page of every sample file."""
    with_text = {}
    for path in written[1]:
        with pdfplumber.open(path) as pdf:
            with_text[path] = [page.extract_text() or "" for page in pdf.pages]
    return with_text


def files_of(written, budget) -> list[Path]:
    stem = f"{budget.department}{budget.fiscal_year}年度部门预算公开"
    return [p for p in written[1] if p.name.startswith(stem)]


def tables_file(written, budget) -> Path:
    return next(p for p in files_of(written, budget) if not p.name.endswith("文件.pdf"))


def narrative_file(written, budget) -> Path:
    return next(p for p in files_of(written, budget) if not p.name.endswith("表格.pdf"))


def table_pages(pdf, title: str) -> list:
    """Pages whose title line (second line, after 公开NN表) is exactly title."""
    return [p for p in pdf.pages if (p.extract_text() or "").splitlines()[1:2] == [title]]


# -- files --------------------------------------------------------------------------------------


def test_two_departments_two_years_in_both_shapes(written):
    out, paths = written
    assert len(BUDGETS) == 4
    assert {(b.department, b.fiscal_year) for b in BUDGETS} == {
        (d, y) for d in ("江苏省示范数据管理办公室", "江苏省样例档案馆") for y in (2018, 2019)
    }
    assert len(paths) == 6 and all(p.is_file() and p.suffix == ".pdf" for p in paths)
    assert all(p.relative_to(out).parts[0] == "jiangsu" for p in paths)
    for budget in BUDGETS:
        names = sorted(p.name for p in files_of(written, budget))
        stem = f"{budget.department}{budget.fiscal_year}年度部门预算公开"
        assert names == ([f"{stem}文件.pdf", f"{stem}表格.pdf"] if budget.split_files else [f"{stem}.pdf"])


def test_two_runs_write_identical_bytes(written, tmp_path):
    again = generator.write_samples(tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(written[0]) for p in written[1]]
    for first, second in zip(written[1], again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


# -- what pdfplumber reads back --------------------------------------------------------------------


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_title_contents_and_department_line(budget, written, pages):
    title = f"{budget.department}{budget.fiscal_year}年度部门预算公开"
    narrative = pages[narrative_file(written, budget)]
    assert narrative[0].splitlines()[0] == title
    assert narrative[1].splitlines()[0].replace(" ", "") == "目录"
    for name in generator.TABLE_TITLES:
        assert f"、{name}" in narrative[1], name
    tables = pages[tables_file(written, budget)]
    printed = {text.splitlines()[1] for text in tables if text.startswith("公开")}
    assert f"{budget.fiscal_year}年政府采购预算表" in printed  # the year a tables-only file is dated by
    assert {title.removeprefix(f"{budget.fiscal_year}年") for title in printed} == set(generator.TABLE_TITLES)
    for text in tables:
        if text.startswith("公开"):
            assert f"部门：{budget.department} 单位：万元" in text.splitlines()


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_overall_table_figures_match_the_model(budget, written):
    with pdfplumber.open(tables_file(written, budget)) as pdf:
        (page,) = table_pages(pdf, "收支预算总表")
        (table,) = page.extract_tables()
    assert table[0][0] == "收入" and table[0][2] == "支出"
    assert table[2][2:] == ["功能科目名称", "金额", "项目名称", "金额"]
    rows = {row[0]: row for row in table if row[0]}
    assert number(rows["收入合计"][1]) == budget.total
    assert number(rows["收入合计"][-1]) == budget.total
    assert number(rows["一、财政拨款"][1]) == budget.general_total
    assert number(rows["三、其他资金"][1]) == budget.other_funds
    uses = {row[4]: number(row[5]) for row in table[3:] if row[4]}
    assert uses == {
        "一、基本支出": budget.basic_total,
        "二、项目支出": budget.project_total,
        "三、单位预留机动经费": budget.reserve_total,
    }
    classes = [row[2] for row in table[3 : 3 + len(CLASS_LIST[budget.fiscal_year])]]
    assert [c.split("、", 1)[1] for c in classes] == [n for _, n in CLASS_LIST[budget.fiscal_year]]
    names = dict(CLASS_LIST[budget.fiscal_year])
    printed = {row[2].split("、", 1)[1]: number(row[3]) for row in table[3:] if row[3]}
    assert printed == {names[code]: value for code, value in budget.class_totals().items()}


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_long_function_table_spans_two_pages_with_repeated_header(budget, written):
    with pdfplumber.open(tables_file(written, budget)) as pdf:
        found = table_pages(pdf, generator.LONG_TABLE)
        assert len(found) == 2 and found[1].page_number == found[0].page_number + 1
        tables = [page.extract_tables() for page in found]
        texts = [page.extract_text() for page in found]
    assert all(len(t) == 1 for t in tables)
    header = ["科目代码", "科目名称", "合计", "基本支出", "项目支出"]
    if budget.reserve_total:
        header.append("单位预留机动经费")
    assert tables[0][0][0] == tables[1][0][0] == header
    assert all(f"部门：{budget.department} 单位：万元" in text for text in texts)
    body = tables[0][0][1:] + tables[1][0][1:]
    assert body[0][1] == "合计" and number(body[0][2]) == budget.general_total
    expected = budget.function_rows("general")
    assert [row[0] for row in body[1:]] == [r.code for r in expected]
    for row, model in zip(body[1:], expected, strict=True):
        assert row[1] == model.name
        assert [number(v) for v in row[2:5]] == [model.total, model.basic, model.project]


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_three_public_and_economic_tables(budget, written):
    with pdfplumber.open(tables_file(written, budget)) as pdf:
        (page,) = table_pages(pdf, "“三公”经费支出预算表")
        (table,) = page.extract_tables()
        econ = [
            row for p in table_pages(pdf, "一般公共预算基本支出预算表（经济科目）") for row in p.extract_tables()[0][1:]
        ]
    t = budget.three_public
    assert table[1][3:] == ["小计", "其中：公务用车购置费", "公务用车运行费"]
    assert [number(v) for v in table[2]] == [
        t.total,
        t.abroad,
        t.reception,
        t.vehicle,
        t.vehicle_purchase,
        t.vehicle_running,
    ]
    assert number(econ[0][2]) == budget.basic_total
    assert {row[0]: number(row[2]) for row in econ[1:]} == {e.code: e.amount for e in budget.economic_rows()}


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_narrative_quotes_the_table_figures(budget, written, pages):
    text = "".join(pages[narrative_file(written, budget)]).replace("\n", "")
    t = budget.three_public
    change = "增加" if budget.change >= 0 else "减少"
    assert (
        f"{budget.fiscal_year}年度收入预算总计{figure(budget.total)}万元，支出预算总计{figure(budget.total)}万元，"
        f"与上年相比{change}{figure(abs(budget.change))}万元"
    ) in text
    assert f"基本支出{figure(budget.basic_total)}万元" in text
    assert f"项目支出{figure(budget.project_total)}万元" in text
    assert (
        f"“三公”经费预算{figure(t.total)}万元，其中：因公出国（境）费{figure(t.abroad)}万元，"
        f"公务接待费{figure(t.reception)}万元，公务用车购置及运行费{figure(t.vehicle)}万元"
    ) in text
    assert f"机关运行经费{figure(budget.operating_cost)}万元" in text
    assert f"政府采购预算总额{figure(budget.procurement_total)}万元" in text


# -- the model -------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: f"{b.department}-{b.fiscal_year}")
def test_model_sums_hold(budget):
    for scope in ("all", "general"):
        rows = budget.function_rows(scope)
        for row in rows:
            assert row.basic + row.project + row.reserve == row.total
            children = [r for r in rows if len(r.code) == len(row.code) + 2 and r.code.startswith(row.code)]
            if len(row.code) < 7:
                assert children and sum(r.total for r in children) == row.total, row.code
                assert sum(r.basic for r in children) == row.basic
        assert sum(r.total for r in rows if len(r.code) == 3) == (
            budget.total if scope == "all" else budget.general_total
        )
    assert budget.basic_total + budget.project_total + budget.reserve_total == budget.total
    assert budget.general_total + budget.other_funds == budget.total
    assert sum(e.amount for e in budget.economic) == budget.basic_total
    assert budget.personnel_cost + budget.operating_cost == budget.basic_total
    groups = {e.code: e.amount for e in budget.economic_rows() if len(e.code) == 3}
    assert groups["302"] == budget.operating_cost and sum(groups.values()) == budget.basic_total
    t = budget.three_public
    assert t.abroad + t.reception + t.vehicle_purchase + t.vehicle_running == t.total
    assert budget.procurement_by("货物") + budget.procurement_by("服务") == budget.procurement_total
    economic = {e.code: e.amount for e in budget.economic}
    items = {i.code: i for i in budget.items}
    assert economic["30113"] == items["2210201"].basic  # 住房公积金 is the same money in both classifications
    assert economic["30231"] == t.vehicle_running
    assert all(v == v.quantize(Decimal("0.01")) and v >= 0 for v in economic.values())


def test_years_follow_on_and_use_each_years_classification():
    by_key = {(b.department, b.fiscal_year): b for b in BUDGETS}
    for (department, year), budget in by_key.items():
        if year == 2019:
            assert budget.prior_total == by_key[(department, 2018)].total
        assert budget.names["210"] == {2018: "医疗卫生与计划生育支出", 2019: "卫生健康支出"}[year]
    assert len(CLASS_LIST[2018]) == 20 and len(CLASS_LIST[2019]) == 21
    assert any(b.reserve_total > 0 for b in BUDGETS) and any(b.reserve_total == 0 for b in BUDGETS)
    assert any(b.other_funds > 0 for b in BUDGETS)


def test_the_demo_samples_include_a_shenzhen_department_of_two_budget_units(tmp_path, capsys):
    from orchestration.extraction.extract import extract_document
    from orchestration.samples.__main__ import main

    assert main(["--out", str(tmp_path)]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == len(generator.write_samples(tmp_path / "again")) + 1
    (shenzhen,) = [Path(p) for p in written if "/shenzhen/" in p]
    extraction = extract_document(shenzhen, shenzhen.name)
    assert (extraction.template, extraction.department_name) == ("shenzhen_district", "深圳市龙华区示例文化局")
    units = [ln.name for t in extraction.tables if t.table_type == "expenditure_summary" for ln in t.lines]
    assert units == ["合计", "深圳市龙华区示例文化局", "深圳市龙华区示例文化馆"]
    assert extraction.warnings == []
