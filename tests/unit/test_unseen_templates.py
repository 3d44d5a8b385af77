"""Standard tables in wordings and layouts the registry never listed (generated fixtures, no corpus file):
titles typed by their key words, the Ministry of Finance's three-row header (项目 over 类 | 款 | 项 and the
name, a fund group over the measures), last year's block printed beside this year's, the edition and the
region of a document the templates do not know, and a 部门决算 named for what it is."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.platypus import PageBreak

from orchestration.extraction.document import place_of
from orchestration.extraction.extract import extract_document
from orchestration.extraction.registry import get_registry
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import (
    TABLE_BUILDERS,
    economic_table,
    expenditure_table,
    fiscal_function_table,
    fiscal_overall_table,
    general_function_table,
    overall_table,
    procurement_table,
    revenue_table,
    tables_story,
    three_public_table,
)
from orchestration.samples.layout import build_pdf, cover, grid_flowables
from orchestration.validation.reconciliation import reconcile


def unseen_titles(budget) -> dict:
    """A wording of each standard title that no registry list holds (ordinals, year, department or
    部门/预算单位 in front, "…功能分类预算表", "…经济分类预算表", two tables in one)."""
    year, department = budget.fiscal_year, budget.department
    return {
        overall_table: f"{year}年部门财务收支预算总表",
        revenue_table: f"{year}年预算单位收入预算总表",
        expenditure_table: f"四、{year} 年度{department}部门支出预算总表",
        fiscal_overall_table: f"{year}年部门财政拨款收支预算总表",
        fiscal_function_table: f"{year}年部门财政拨款支出功能分类预算表",
        general_function_table: f"{year}年预算单位一般公共预算支出功能分类预算表",
        economic_table: f"{year}年部门一般公共预算基本支出部门预算经济分类预算表",
        three_public_table: f"{year}年部门“三公”经费和机关运行经费预算表",
        procurement_table: f"{year}年部门政府采购预算表",
    }


def printed(budget, path, variant=lambda builder, grid: grid, front: list | None = None):
    story = list(front or [])
    for builder in TABLE_BUILDERS:
        grid = variant(builder, builder(budget))
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department)
    build_pdf(path, story, title="tables")
    return extract_document(path, path.name)


def lines_by_type(extraction) -> dict:
    return {t.table_type: [(ln.code, ln.name, ln.values) for ln in t.lines] for t in extraction.tables}


@pytest.fixture(scope="module")
def budget():
    return build_sample_budgets()[0]


@pytest.fixture(scope="module")
def reference(budget, tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "reference.pdf"
    build_pdf(path, tables_story(budget), title="tables")
    return extract_document(path, path.name)


def test_unseen_title_wordings_are_typed_by_their_key_words(budget, reference, tmp_path):
    titles = unseen_titles(budget)
    extraction = printed(budget, tmp_path / "titles.pdf", lambda b, g: dataclasses.replace(g, title=titles[b]))

    assert lines_by_type(extraction) == lines_by_type(reference)
    assert {t.table_type: t.title for t in extraction.tables}["expenditure_summary"] == (
        f"{budget.fiscal_year}年度{budget.department}部门支出预算总表"
    )
    assert extraction.warnings == [] and reconcile(extraction) == []


@pytest.mark.parametrize(
    ("title", "table_type"),
    [
        ("2026年预算单位一般公共预算支出功能分类预算表", "function_general_public"),
        ("四、2017 年度江苏省某某厅部门财政拨款收支预算总表", "fiscal_appropriation_overall"),
        ("2025年部门财务收支预算总表", "overall"),
        ("2025年单位“三公”经费和机关运行经费预算表", "three_public"),
        ("2025年部门国有资本经营预算支出功能分类预算表", "state_capital"),
        ("2025年部门政府性基金预算支出功能分类预算表", "function_government_fund"),
        # the final accounts' family: the same standard tables (the document's kind tells their figures apart)
        ("2024年度一般公共预算财政拨款支出决算表", "function_general_public"),
        ("收入支出决算总表", "overall"),
        ("财政拨款收入支出决算总表", "fiscal_appropriation_overall"),
        ("收入决算表", "revenue_summary"),
        ("支出决算表", "expenditure_summary"),
        ("政府性基金预算财政拨款收入支出决算表", "function_government_fund"),
        ("一般公共预算财政拨款基本支出决算表", "basic_economic_general_public"),
        # running text that mentions tables is not a title
        ("五、部门预算表及说明，详见附件。", None),
    ],
)
def test_titles_typed_by_key_words(title, table_type):
    assert get_registry().match_title(title) == table_type


def shanghai_function_header(builder, grid):
    """项目 over 科目编码 (类 | 款 | 项) and 功能分类科目名称; 一般公共预算支出 over the measures."""
    if builder is not general_function_table:
        return grid
    measures = grid.header[0][2:]
    n = len(measures)
    header = [
        ["项目", "", "", "", "一般公共预算支出", *[""] * (n - 1)],
        ["科目编码", "", "", "功能分类科目名称", *measures],
        ["类", "款", "项", "", *[""] * n],
    ]
    spans = [((0, 0), (3, 0)), ((4, 0), (3 + n, 0)), ((0, 1), (2, 1)), ((3, 1), (3, 2))]
    spans += [((4 + k, 1), (4 + k, 2)) for k in range(n)]
    body = [[row[0][:3], row[0][3:5], row[0][5:7], *row[1:]] for row in grid.body]
    widths = [20, 20, 20, grid.widths[1], *grid.widths[2:]]
    return dataclasses.replace(
        grid, header=header, header_spans=spans, body=body, widths=widths, align="LLLL" + "R" * n
    )


def test_a_three_row_header_of_code_parts_under_a_project_group_reads_whole_codes(budget, reference, tmp_path):
    extraction = printed(budget, tmp_path / "header.pdf", shanghai_function_header)

    got = lines_by_type(extraction)["function_general_public"]
    assert got == lines_by_type(reference)["function_general_public"]
    assert {"201", "20103", "2010301"} <= {code for code, _, _ in got}
    assert extraction.warnings == [] and reconcile(extraction) == []


def with_last_years_block_first(budget):
    """“三公” printed as a 上年 block, then this year's (a "2024年预算数" block, then "2025年预算数")."""

    def variant(builder, grid):
        if builder is not three_public_table:
            return grid
        leaves = ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费"]
        prior = [str(f"{float(v.replace(',', '')) * 0.5:,.2f}") for v in grid.body[0][:4]]
        current = grid.body[0][:4]
        header = [
            [f"{budget.fiscal_year - 1}年预算数", "", "", "", f"{budget.fiscal_year}年预算数", "", "", ""],
            leaves + leaves,
        ]
        spans = [((0, 0), (3, 0)), ((4, 0), (7, 0))]
        widths = [50, 80, 60, 95] * 2
        return dataclasses.replace(
            grid, header=header, header_spans=spans, body=[prior + current], widths=widths, align="R" * 8
        )

    return variant


def test_last_years_block_never_lands_as_this_years(budget, tmp_path):
    extraction = printed(budget, tmp_path / "blocks.pdf", with_last_years_block_first(budget))

    [table] = [t for t in extraction.tables if t.table_type == "three_public"]
    [line] = [ln for ln in table.lines if ln.item == "current_year"]
    expected = three_public_table(budget).body[0]
    assert line.values["total"] == float(expected[0].replace(",", ""))
    assert line.values["outbound_travel"] == float(expected[1].replace(",", ""))
    assert line.values["official_reception"] == float(expected[2].replace(",", ""))
    assert line.values["vehicle_total"] == float(expected[3].replace(",", ""))


def test_a_unit_edition_is_read_from_its_cover_and_titles(budget, tmp_path):
    front = cover(f"上海市某区{budget.fiscal_year}年区级单位预算")
    extraction = printed(
        budget,
        tmp_path / "unit.pdf",
        lambda b, g: dataclasses.replace(g, title=f"{budget.fiscal_year}年预算单位{g.title}"),
        front=front,
    )
    assert extraction.disclosure_level == "unit"
    department = printed(budget, tmp_path / "department.pdf")
    assert department.disclosure_level == "department"


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("上海市普陀区财政局", ("上海市普陀区", "district")),
        ("上海市财政局", ("上海市", "municipal")),
        ("浙江省杭州市西湖区教育局", ("浙江省杭州市西湖区", "district")),
        ("广东省财政厅", ("广东省", "province")),
        ("江苏省老区开发促进会", ("江苏省", "province")),  # 老区 is no district
        ("上海市社区服务中心", ("上海市", "municipal")),  # nor 社区
        ("宁夏回族自治区银川市民政局", ("宁夏回族自治区银川市", "city")),
        ("某某局", None),
    ],
)
def test_region_and_admin_level_come_from_the_table_of_places(name, place):
    assert place_of(name, get_registry()) == place


def test_final_accounts_are_read_as_final_accounts(budget, reference, tmp_path):
    """The same standard tables under 决算 titles: read as the same table types, the document's kind says they
    hold figures spent."""

    def final_accounts(builder, grid):
        return dataclasses.replace(grid, title=grid.title.replace("预算表", "决算表").replace("预算总表", "决算总表"))

    front = cover(f"{budget.department}{budget.fiscal_year}年度部门决算")
    extraction = printed(budget, tmp_path / "final.pdf", final_accounts, front=front)

    assert (extraction.document_kind, reference.document_kind) == ("final_accounts", "budget")
    assert lines_by_type(extraction) == lines_by_type(reference)


def final_accounts_three_public(builder, grid):
    """财政拨款“三公”经费支出决算表: 预算数 | 决算数 under each item."""
    if builder is not three_public_table:
        return grid
    items = ["合计", "因公出国（境）费", "公务接待费"]
    header = [
        ["财政拨款“三公”经费", "", "", "", "", ""],
        [items[0], "", items[1], "", items[2], ""],
        ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"],
    ]
    spans = [((0, 0), (5, 0)), ((0, 1), (1, 1)), ((2, 1), (3, 1)), ((4, 1), (5, 1))]
    body = [["30.00", "25.50", "20.00", "17.00", "10.00", "8.50"]]
    return dataclasses.replace(
        grid, title="财政拨款“三公”经费支出决算表", header=header, header_spans=spans, body=body, widths=[80] * 6,
        align="R" * 6,
    )  # fmt: skip


def test_budget_and_actual_figures_of_a_final_accounts_table_are_kept_apart(budget, tmp_path):
    front = cover(f"{budget.department}{budget.fiscal_year}年度部门决算")
    extraction = printed(budget, tmp_path / "three.pdf", final_accounts_three_public, front=front)

    [table] = [t for t in extraction.tables if t.table_type == "three_public"]
    [line] = [ln for ln in table.lines if ln.item == "current_year"]
    assert line.values == {
        "budget_total": 30.0,
        "total": 25.5,
        "budget_outbound_travel": 20.0,
        "outbound_travel": 17.0,
        "budget_official_reception": 10.0,
        "official_reception": 8.5,
    }


def with_the_code_header_over_two_rows(builder, grid):
    """支出功能分类 / 科目编码 printed in two ruled rows above 类 | 款 | 项 (the 决算 layout)."""
    if builder is not general_function_table:
        return grid
    shanghai = shanghai_function_header(builder, grid)
    n = len(shanghai.header[1]) - 4
    header = [
        shanghai.header[0],
        ["支出功能分类", "", "", "科目名称", *shanghai.header[1][4:]],
        ["科目编码", "", "", "", *[""] * n],
        shanghai.header[2],
    ]
    spans = [((0, 0), (3, 0)), ((4, 0), (3 + n, 0)), ((0, 1), (2, 1)), ((0, 2), (2, 2)), ((3, 1), (3, 3))]
    spans += [((4 + k, 1), (4 + k, 3)) for k in range(n)]
    return dataclasses.replace(shanghai, header=header, header_spans=spans)


def test_a_code_header_printed_over_two_rows_reads_whole_codes(budget, reference, tmp_path):
    extraction = printed(budget, tmp_path / "stacked.pdf", with_the_code_header_over_two_rows)

    got = lines_by_type(extraction)["function_general_public"]
    assert got == lines_by_type(reference)["function_general_public"]
    assert extraction.warnings == []


def test_coded_rows_read_without_their_codes_are_not_loaded(budget, tmp_path):
    """A code column under a header nobody knows: lines without codes cannot be placed — not loaded, named."""

    def unknown_code_header(builder, grid):
        if builder is not general_function_table:
            return grid
        return dataclasses.replace(grid, header=[["分类号", *grid.header[0][1:]]])

    extraction = printed(budget, tmp_path / "codeless.pdf", unknown_code_header)

    assert "function_general_public" not in {t.table_type for t in extraction.tables}
    assert any(w.startswith("function_general_public: page ") and "no code read" in w for w in extraction.warnings)


def test_a_narrative_figure_that_disagrees_with_its_table_flags_the_table(budget, reference):
    """The narrative states “三公” 预算数 in 万元; the table read holds another figure (last year's block, say):
    the table is flagged with both figures, never left verified."""
    from orchestration.extraction.model import NarrativeFigure

    [table] = [t for t in reference.tables if t.table_type == "three_public"]
    [line] = [ln for ln in table.lines if ln.item == "current_year"]
    printed = line.values["total"]
    stated = NarrativeFigure("three_public_total", round(printed + 12.34, 2), None, None, 3, "“三公”经费预算…", "万元")
    agreeing = NarrativeFigure("three_public_total", printed, None, None, 3, "“三公”经费预算…", "万元")
    extraction = dataclasses.replace(reference, narrative_figures=[stated])

    [problem] = [p for p in reconcile(extraction) if p.check == "narrative_states_three_public_total"]
    assert (problem.table_type, problem.page, problem.measure) == ("three_public", line.source_page, "total")
    assert (problem.found, problem.expected) == (printed, pytest.approx(printed + 12.34))
    assert reconcile(dataclasses.replace(reference, narrative_figures=[agreeing])) == []


def test_a_narrative_in_wanyuan_agrees_with_a_table_in_yuan_within_its_last_digit():
    """3,121.42万元 restates 31,214,205.80元 (rounded) and 87.36万元 cut from 873,617.00元: both agree."""
    from orchestration.extraction.model import DocumentExtraction, ExtractedTable, NarrativeFigure, TableLine

    def extraction(stated: float, printed: float) -> DocumentExtraction:
        line = TableLine(source_page=9, line_no=0, name="收入总计", values={"amount": printed}, item="total_revenue")
        table = ExtractedTable(table_type="overall", title="收支总表", pages=[9], lines=[line], unit="元")
        figure = NarrativeFigure("total_revenue", stated, None, None, 5, "收入预算…", "万元")
        return DocumentExtraction(
            source_file="x.pdf", pages=9, template=None, department_name="某局", fiscal_year=2025, unit="元",
            region=None, role="full", tables=[table], narrative_figures=[figure],
        )  # fmt: skip

    assert reconcile(extraction(3121.42, 31_214_205.80)) == []
    assert reconcile(extraction(87.36, 873_617.00)) == []
    [problem] = reconcile(extraction(3121.52, 31_214_205.80))
    assert problem.check == "narrative_states_total_revenue"


def test_a_cover_and_titles_printing_different_years_flag_every_table(budget, tmp_path):
    titles = unseen_titles(budget)
    year = budget.fiscal_year
    front = cover(f"某市某区{year + 1}年区级部门预算")
    extraction = printed(
        budget, tmp_path / "years.pdf", lambda b, g: dataclasses.replace(g, title=titles[b]), front=front
    )

    assert extraction.fiscal_year == year + 1  # the cover decides what is printed as the label ...
    assert extraction.year_conflict == {"cover": year + 1, "table titles": year}
    flagged = {p.table_type for p in reconcile(extraction) if p.check == "fiscal_year_sources_disagree"}
    assert flagged == {t.table_type for t in extraction.tables}  # ... and no table of it stays verified
    assert any(w.startswith("fiscal year: the sources disagree") for w in extraction.warnings)


def test_a_budget_narrative_of_a_template_never_seen_is_read_as_a_narrative(tmp_path):
    from orchestration.samples.layout import paragraph

    sentences = [
        "2025年，某市某区某局部门预算收入预算总计1,234.56万元，支出预算总计1,234.56万元。",
        "本部门预算包括局本级及所属预算单位。",
        "基本支出预算数为1,000.00万元，主要用于人员经费和公用经费。",
        "项目支出预算数为234.56万元，主要用于业务工作。",
        "“三公”经费预算数为3.20万元，与上年预算持平。",
    ]
    path = tmp_path / "narrative.pdf"
    build_pdf(path, [*cover("某市某区2025年区级部门预算"), *[paragraph(s) for s in sentences]], title="narrative")

    extraction = extract_document(path, path.name)

    assert (extraction.role, extraction.fiscal_year, extraction.tables) == ("narrative", 2025, [])
    assert {f.figure: f.amount for f in extraction.narrative_figures}["total_revenue"] == 1234.56


@pytest.mark.parametrize("prefix", ["", "budget_"])
def test_three_public_parts_add_up_for_budget_and_actual_figures(reference, prefix):
    """合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费, 车 = 购置 + 运行: for the figures, and in final
    accounts for the 预算数 printed beside them. A part off by 1.00 is flagged on the line it breaks."""
    [table] = [t for t in reference.tables if t.table_type == "three_public"]
    [line] = [ln for ln in table.lines if ln.item == "current_year"]
    values = {f"{prefix}{m}": v for m, v in line.values.items()}
    tampered = dict(values, **{f"{prefix}vehicle_purchase": values[f"{prefix}vehicle_purchase"] + 1.0})
    lines = [dataclasses.replace(line, values=values)]
    assert reconcile(dataclasses.replace(reference, tables=[dataclasses.replace(table, lines=lines)])) == []

    lines = [dataclasses.replace(line, values=tampered)]
    [problem] = reconcile(dataclasses.replace(reference, tables=[dataclasses.replace(table, lines=lines)]))
    assert (problem.check, problem.measure) == ("parts_sum_to_total", f"{prefix}vehicle_total")
    assert problem.expected - problem.found == pytest.approx(1.0)


def test_a_line_with_an_empty_name_costs_its_table_only(budget, tmp_path):
    """One 政府采购 line printed without its name: that table is not loaded (named in a warning and as a page
    not read), every other table of the document loads, and the document is not quarantined."""
    from orchestration.ingest.discovery import scan_raw_dir
    from orchestration.ingest.process import process_document

    def blank_a_procurement_name(builder, grid):
        if builder is not procurement_table:
            return grid
        body = [list(row) for row in grid.body]
        row = next(i for i, r in enumerate(body) if any(c.strip() for c in r[:3]) and i > 0)
        body[row] = [
            "" if k < len(body[row]) - 2 and not any(ch.isdigit() for ch in c) else c for k, c in enumerate(body[row])
        ]
        return dataclasses.replace(grid, body=body)

    raw = tmp_path / "raw"
    raw.mkdir()
    printed(budget, raw / "tables.pdf", blank_a_procurement_name)
    [doc] = scan_raw_dir(raw)

    outcome = process_document(raw, doc, tmp_path / "landing")

    assert outcome.status == "loaded"
    assert "government_procurement" not in outcome.tables
    assert {"overall", "function_general_public", "three_public"} <= set(outcome.tables)
    [contract] = [c for c in outcome.checks if c.name == "table_line_contract"]
    assert (contract.passed, contract.detail.endswith("tables not loaded: government_procurement")) == (False, True)
    assert contract.failures == [
        "TableLineContract: government_procurement p.12: name expected str_length(1, None), found ''"
    ]
