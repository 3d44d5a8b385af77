"""Never a silent gap: what the extractor cannot read is named, by table and page, and reaches the checks."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.platypus import PageBreak

from orchestration.extraction.extract import amounts_not_read, extract_document, plan_pages
from orchestration.extraction.model import ExtractedTable
from orchestration.extraction.pages import classify_page
from orchestration.extraction.registry import get_registry
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.process import document_tables_frame, process_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import TABLE_BUILDERS, general_function_table, tables_story, three_public_table
from orchestration.samples.layout import build_pdf, grid_flowables

UNRULED = (
    "three_public: page {page}: the title is printed with amounts under it, but no table was read (no ruled grid found)"
)


@pytest.fixture(scope="module")
def budget():
    return build_sample_budgets()[0]


def write_tables(raw, budget, unruled=(), empty=None):
    """The sample tables, one page each; those of `unruled` printed without their lines, and `empty`'s as
    its header alone (no amounts), also without lines."""
    story = tables_story(budget, unruled=unruled)
    if empty is not None:
        story = []
        for builder in TABLE_BUILDERS:
            grid = builder(budget)
            if builder is empty:
                grid = dataclasses.replace(grid, body=[], body_spans=[], centered=[])
            story += ([PageBreak()] if story else []) + grid_flowables(
                grid, budget.department, ruled=builder is not empty
            )
    raw.mkdir(parents=True, exist_ok=True)
    build_pdf(raw / "tables.pdf", story, title="tables")
    return raw


def page_of(extraction_pdf, table_type):
    return next(t.pages[0] for t in extract_document(extraction_pdf, "tables.pdf").tables if t.table_type == table_type)


@pytest.fixture(scope="module")
def ruled_raw(tmp_path_factory, budget):
    return write_tables(tmp_path_factory.mktemp("ruled"), budget)


@pytest.fixture(scope="module")
def unruled_raw(tmp_path_factory, budget):
    return write_tables(tmp_path_factory.mktemp("unruled"), budget, unruled=(three_public_table,))


def test_every_table_of_the_ruled_sample_reads_without_warnings(ruled_raw):
    extraction = extract_document(ruled_raw / "tables.pdf", "tables.pdf")
    assert extraction.warnings == []
    assert "three_public" in {t.table_type for t in extraction.tables}


def test_a_table_printed_without_lines_is_named_with_its_page(ruled_raw, unruled_raw):
    page = page_of(ruled_raw / "tables.pdf", "three_public")  # the same page in both files

    extraction = extract_document(unruled_raw / "tables.pdf", "tables.pdf")

    assert extraction.warnings == [UNRULED.format(page=page)]
    assert "three_public" not in {t.table_type for t in extraction.tables}
    assert len(extraction.tables) == len(TABLE_BUILDERS) - 1  # the others are read as before


def test_a_title_over_no_amounts_is_not_a_warning(tmp_path, budget):
    raw = write_tables(tmp_path / "raw", budget, empty=three_public_table)

    extraction = extract_document(raw / "tables.pdf", "tables.pdf")

    assert extraction.warnings == []


def test_the_warning_reaches_a_non_blocking_check(unruled_raw, ruled_raw, tmp_path):
    [doc] = scan_raw_dir(unruled_raw)

    outcome = process_document(unruled_raw, doc, tmp_path / "landing")

    assert outcome.status == "loaded"  # what was read still loads
    checks = {c.name: c for c in outcome.checks}
    assert checks["extraction"].passed
    warned = checks["extraction_warnings"]
    assert (warned.passed, warned.severity) == (False, "warn")
    assert warned.failures == [UNRULED.format(page=page_of(ruled_raw / "tables.pdf", "three_public"))]
    assert warned.detail == f"{len(TABLE_BUILDERS) - 1} tables read, 1 warnings"


def test_the_table_printed_but_not_read_has_its_row_in_document_tables(unruled_raw, ruled_raw):
    [doc] = scan_raw_dir(unruled_raw)
    page = page_of(ruled_raw / "tables.pdf", "three_public")

    rows = document_tables_frame(extract_document(unruled_raw / "tables.pdf", doc.source_file), doc, "e1")

    by_type = rows.set_index("table_type")
    assert len(by_type) == len(TABLE_BUILDERS)
    assert by_type.loc["three_public", ["lines", "first_page", "last_page", "pages_not_read"]].tolist() == [
        0,
        page,
        page,
        str(page),
    ]
    assert by_type.drop(index="three_public")["pages_not_read"].isna().all()


FUNCTION_PAGE = """公开06表
一般公共预算支出预算表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
201 一般公共服务支出 1,250.00 1,000.00 250.00
20101 人大事务 1,250.00 1,000.00 250.00
"""
CONTINUED_ROWS = """2010101 行政运行 1,000.00 1,000.00
2010102 一般行政管理事务 250.00 250.00
- 7 -
"""


def scans_of(*texts: str):
    registry = get_registry()
    return [classify_page(number, text, registry) for number, text in enumerate(texts, start=1)], registry


def test_rows_continued_on_a_page_with_no_table_read_are_named():
    scans, registry = scans_of(FUNCTION_PAGE, CONTINUED_ROWS)
    _, carry = plan_pages(scans, registry)
    read_first_page_only = [ExtractedTable("function_general_public", "一般公共预算支出预算表", [1], [])]

    not_read = amounts_not_read(scans, carry, read_first_page_only, registry, [])

    assert not_read == [
        (
            "function_general_public",
            2,
            "function_general_public: page 2: its rows continue at the top of the page, but no table was read "
            "(no ruled grid found)",
        )
    ]
    read_both = [ExtractedTable("function_general_public", "一般公共预算支出预算表", [1, 2], [])]
    assert amounts_not_read(scans, carry, read_both, registry, []) == []
    already_warned = ["page 2: table parsing failed (PSSyntaxError: bad token)"]
    # warned once, not twice; the page is still one not read
    assert amounts_not_read(scans, carry, read_first_page_only, registry, already_warned) == [
        ("function_general_public", 2, None)
    ]


def test_a_table_skipped_for_its_header_is_a_table_printed_not_read(tmp_path, budget):
    story = []
    for builder in TABLE_BUILDERS:
        grid = builder(budget)
        if builder is three_public_table:  # a header of words the registry does not know
            grid = dataclasses.replace(grid, header=[[f"栏目{i}" for i in range(len(grid.widths))]], header_spans=[])
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department)
    build_pdf(tmp_path / "tables.pdf", story, title="tables")
    [doc] = scan_raw_dir(tmp_path)

    extraction = extract_document(tmp_path / "tables.pdf", doc.source_file)

    [warning] = extraction.warnings
    assert warning.startswith("three_public: page ") and warning.endswith("no recognizable header row; table skipped")
    page = int(warning.split()[2].rstrip(":"))
    assert extraction.pages_not_read == {"three_public": [page]}
    rows = document_tables_frame(extraction, doc, "e1").set_index("table_type")
    assert rows.loc["three_public", ["lines", "pages_not_read"]].tolist() == [0, str(page)]


def test_a_garbled_figure_is_named_and_never_glued_to_the_name(tmp_path, budget):
    story = []
    for builder in TABLE_BUILDERS:
        grid = builder(budget)
        if builder is general_function_table:
            body = [list(row) for row in grid.body]
            row = next(r for r in body if len(r[0]) == 7 and r[2])
            code, name, row[2] = row[0], row[1], "1,2O0.00"  # a letter O for a zero
            grid = dataclasses.replace(grid, body=body)
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department)
    build_pdf(tmp_path / "tables.pdf", story, title="tables")

    extraction = extract_document(tmp_path / "tables.pdf", "tables.pdf")

    [table] = [t for t in extraction.tables if t.table_type == "function_general_public"]
    [line] = [ln for ln in table.lines if ln.code == code]
    assert (line.name, line.values.get("total")) == (name, None)
    assert extraction.warnings == [
        f"function_general_public: page {table.pages[0]}: '1,2O0.00' in the total column is not an amount; not read"
    ]


def test_a_table_printing_no_unit_line_is_still_read_in_the_documents_unit(tmp_path, budget, ruled_raw):
    story = []
    for builder in TABLE_BUILDERS:
        unit = "" if builder is three_public_table else "万元"  # the block prints "单位：" and nothing after it
        story += ([PageBreak()] if story else []) + grid_flowables(builder(budget), budget.department, unit=unit)
    build_pdf(tmp_path / "tables.pdf", story, title="tables")

    extraction = extract_document(tmp_path / "tables.pdf", "tables.pdf")

    [ruled] = [t for t in extract_document(ruled_raw / "tables.pdf", "t").tables if t.table_type == "three_public"]
    [without_unit] = [t for t in extraction.tables if t.table_type == "three_public"]
    assert [ln.values for ln in without_unit.lines] == [ln.values for ln in ruled.lines]
    assert without_unit.lines and without_unit.unit == extraction.unit == "万元"
    assert extraction.warnings == []


def test_a_wrapped_cell_ending_like_a_title_does_not_end_the_table():
    """ "人大代表" on a line of its own (a cell wrapped over two lines) is shaped like a table title (…表);
    taken for one, it would end the table, and rows continued on the next page would not be opened."""
    wrapped = FUNCTION_PAGE + "2010107 组织全省各级 120.00 120.00\n人大代表\n2010108 代表工作 30.00 30.00\n"
    scans, registry = scans_of(wrapped, CONTINUED_ROWS)

    wanted, carry = plan_pages(scans, registry)

    assert [hit.table_type for hit in scans[0].titles] == ["function_general_public"]
    assert (wanted, carry[2]) == ([1, 2], "function_general_public")


def test_a_title_unknown_to_the_registry_still_ends_the_table_before_it():
    unknown = FUNCTION_PAGE + "政府购买服务预算表\n单位：万元\n项目 金额\n合计 1,250.00\n"
    scans, registry = scans_of(unknown, CONTINUED_ROWS)

    wanted, carry = plan_pages(scans, registry)

    assert [hit.table_type for hit in scans[0].titles] == ["function_general_public", None]
    assert (wanted, carry[2]) == ([1], None)


def test_a_table_under_a_title_the_registry_does_not_know_is_named():
    unknown = FUNCTION_PAGE + "政府购买服务预算表\n单位：万元\n项目 金额\n合计 1,250.00\n"
    scans, registry = scans_of(unknown)
    read = [ExtractedTable("function_general_public", "一般公共预算支出预算表", [1], [])]

    assert amounts_not_read(scans, {1: None}, read, registry, []) == [
        (
            None,
            1,
            "page 1: '政府购买服务预算表' is a table title the registry does not know, with amounts under it; "
            "not read (registry.yaml: add it as a title of its table type)",
        )
    ]


@pytest.mark.parametrize(
    "untitled", ["overall_table", "revenue_table", "fiscal_function_table", "economic_table", "three_public_table"]
)
def test_a_table_without_a_title_is_named_and_never_added_to_the_table_before(tmp_path, budget, ruled_raw, untitled):
    """Its title printed as an image, say: a grid under another header is not the table above continued,
    on its first page or the next ones."""
    story = []
    for builder in TABLE_BUILDERS:
        grid = builder(budget)
        if builder.__name__ == untitled:
            grid = dataclasses.replace(grid, title="")
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department)
    build_pdf(tmp_path / "tables.pdf", story, title="tables")

    extraction = extract_document(tmp_path / "tables.pdf", "tables.pdf")

    reference = extract_document(ruled_raw / "tables.pdf", "tables.pdf")
    missing = {t.table_type for t in reference.tables} - {t.table_type for t in extraction.tables}
    assert len(missing) == 1
    for table in extraction.tables:  # every other table exactly as with its title
        [same] = [t for t in reference.tables if t.table_type == table.table_type]
        assert [(ln.code, ln.name, ln.values) for ln in table.lines] == [
            (ln.code, ln.name, ln.values) for ln in same.lines
        ]
    first_page = "(nor the page before)" if untitled == "overall_table" else "its header unlike the table before"
    assert "a table with amounts under no title the registry knows" in extraction.warnings[0]
    assert first_page in extraction.warnings[0]
