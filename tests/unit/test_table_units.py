"""Tables of one document printed in different units: each amount is read in its own table's unit."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from reportlab.platypus import PageBreak

from orchestration.extraction.extract import extract_document
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.process import lines_frame, process_document
from orchestration.samples.data import build_sample_budgets
from orchestration.samples.generator import TABLE_BUILDERS, three_public_table
from orchestration.samples.layout import amount, build_pdf, grid_flowables
from orchestration.validation.reconciliation import in_unit, reconcile

YUAN_PER_WANYUAN = Decimal(10_000)


@pytest.fixture(scope="module")
def budget():
    return build_sample_budgets()[0]


def write_tables(raw, budget, three_public_unit: str, factor: Decimal):
    """The sample tables, with the “三公” table alone printed in another unit (its figures × factor)."""
    story: list = []
    for builder in TABLE_BUILDERS:
        grid = builder(budget)
        unit = "万元"
        if builder is three_public_table:
            body = [[amount(Decimal(v.replace(",", "")) * factor) if v else v for v in row] for row in grid.body]
            grid, unit = dataclasses.replace(grid, body=body), three_public_unit
        story += ([PageBreak()] if story else []) + grid_flowables(grid, budget.department, unit)
    raw.mkdir(parents=True, exist_ok=True)
    build_pdf(raw / "tables.pdf", story, title="tables")
    return raw


@pytest.fixture(scope="module")
def mixed_units_pdf(tmp_path_factory, budget):
    return write_tables(tmp_path_factory.mktemp("raw"), budget, "元", YUAN_PER_WANYUAN)


@pytest.fixture(scope="module")
def extraction(mixed_units_pdf):
    return extract_document(mixed_units_pdf / "tables.pdf", "tables.pdf")


def table(extraction, table_type):
    return next(t for t in extraction.tables if t.table_type == table_type)


def test_each_table_keeps_the_unit_printed_with_it(extraction, budget):
    assert extraction.unit == "万元"  # the document's: most of its tables
    three_public = table(extraction, "three_public")
    assert three_public.unit == "元"
    assert table(extraction, "overall").unit == "万元"
    [line] = three_public.lines
    assert line.values["total"] == float(budget.three_public.total * YUAN_PER_WANYUAN)


def test_landed_lines_carry_their_tables_unit(extraction, mixed_units_pdf):
    [doc] = scan_raw_dir(mixed_units_pdf)
    lines = lines_frame(extraction, doc, "x")
    units = lines.groupby("table_type")["unit"].unique().map(list).to_dict()
    assert units.pop("three_public") == ["元"]
    assert set(map(tuple, units.values())) == {("万元",)}


def test_the_tables_still_add_up(extraction):
    assert reconcile(extraction) == []


@pytest.mark.parametrize(
    ("amount_", "printed_in", "wanted", "expected"),
    [(1.5, "万元", "元", 15_000.0), (15_000.0, "元", "万元", 1.5), (2.0, "千元", "万元", 0.2), (7.0, None, "元", 7.0)],
)
def test_amounts_convert_between_units(amount_, printed_in, wanted, expected):
    assert in_unit(amount_, printed_in, wanted) == pytest.approx(expected)


def test_a_table_in_an_unexpected_unit_is_not_loaded_and_the_rest_of_the_document_is(tmp_path, budget):
    raw = write_tables(tmp_path / "raw", budget, "亿元", Decimal("0.0001"))
    [doc] = scan_raw_dir(raw)

    outcome = process_document(raw, doc, tmp_path / "landing")

    assert outcome.status == "loaded"
    assert "three_public" not in outcome.tables and {"overall", "function_general_public"} <= set(outcome.tables)
    [contract] = [check for check in outcome.checks if check.name == "table_line_contract"]
    assert (contract.passed, contract.severity) == (False, "warn")
    assert contract.detail.endswith("tables not loaded: three_public")
    assert any("three_public" in failure and "亿元" in failure for failure in contract.failures)
    [warnings] = [check for check in outcome.checks if check.name == "extraction_warnings"]
    assert any(
        w.startswith("three_public: pages ") and "not loaded, a line fails its contract" in w for w in warnings.failures
    )
