"""Extraction over the real corpus (third-party PDFs, read in place, never copied into the repo).

Figures asserted here were checked by eye against the rendered pages (pdftoppm) of each document.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

from orchestration.extraction.extract import extract_document
from orchestration.extraction.model import DocumentExtraction, StructuralError
from orchestration.extraction.registry import get_registry

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("BUDGET_CORPUS_DIR", REPO.parent / "shared" / "corpus"))

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"budget corpus not found at {CORPUS} (set BUDGET_CORPUS_DIR to run these tests)",
)

FUNCTION_TYPES = ("function_general_public", "function_fiscal_appropriation", "function_government_fund")

# file -> expected document facts
FACTS = {
    "jiangsu/江苏省人民检察院/2017年省检察院部门预算.pdf": ("江苏省人民检察院", 2017, "full"),
    "jiangsu/江苏省人民检察院/2018年省检察院部门预算公开.pdf": ("江苏省人民检察院", 2018, "full"),
    "jiangsu/江苏省人民检察院/2019年度部门预算公开.pdf": ("江苏省人民检察院", 2019, "full"),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2017年部门预算.pdf": ("江苏省委办公厅", 2017, "narrative"),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf": (
        "中国共产党江苏省委员会办公厅",
        2017,
        "tables",
    ),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开文件.pdf": (
        "江苏省委办公厅",
        2018,
        "narrative",
    ),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开表.pdf": ("中共江苏省委办公厅", 2018, "tables"),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开文件.pdf": (
        "江苏省委办公厅",
        2019,
        "narrative",
    ),
    "jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf": (
        "中共江苏省委办公厅",
        2019,
        "tables",
    ),
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2017年度部门预算.pdf": ("江苏省政协办公厅", 2017, "narrative"),
    "jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf": ("江苏省政协办公厅", 2017, "tables"),
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2018年度部门预算.pdf": ("江苏省政协办公厅", 2018, "narrative"),
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2018度部门预算公开表.pdf": ("江苏省政协办公厅", 2018, "tables"),
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年度部门预算.pdf": ("江苏省政协办公厅", 2019, "narrative"),
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年预算公开表.pdf": ("江苏省政协办公厅", 2019, "tables"),
    "shenzhen-longhua/2022年深圳市龙华区政务服务数据管理局部门预算.pdf": (
        "深圳市龙华区政务服务数据管理局",
        2022,
        "full",
    ),
}

# file -> overall (section, item) -> amount, checked by eye on the rendered page
OVERALL = {
    "jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf": {
        ("revenue", "total_revenue"): 27664.22,
        ("expenditure_by_purpose", "basic_expenditure"): 11700.63,
        ("expenditure_by_purpose", "project_expenditure"): 13025.38,
        ("expenditure_by_purpose", "reserve_expenditure"): 2938.21,
        ("expenditure", "total_expenditure"): 27664.22,
        ("revenue", "prior_year_carryover"): None,
    },
    "jiangsu/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开表.pdf": {
        ("revenue", "total_revenue"): 24458.43,
        ("expenditure_by_purpose", "basic_expenditure"): 10403.11,
    },
    "jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf": {
        ("revenue", "total_revenue"): 20849.45,
        ("revenue", "special_account_funds"): 147.20,
        ("expenditure_by_purpose", "reserve_expenditure"): 196.72,
    },
    "jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf": {
        ("revenue", "total_revenue"): 9146.79,
        ("revenue", "other_funds"): 80.0,
        ("expenditure_by_purpose", "basic_expenditure"): 5916.27,
    },
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2018度部门预算公开表.pdf": {
        ("revenue", "total_revenue"): 10150.48,
        ("revenue", "fiscal_appropriation"): 10070.48,
        ("expenditure_by_purpose", "basic_expenditure"): 5678.17,
    },
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年预算公开表.pdf": {
        ("revenue", "total_revenue"): 13377.11,
        ("expenditure_by_purpose", "basic_expenditure"): 6522.75,
        ("expenditure_by_purpose", "project_expenditure"): 4968.34,
        ("expenditure_by_purpose", "reserve_expenditure"): 1886.02,
    },
    "jiangsu/江苏省人民检察院/2017年省检察院部门预算.pdf": {
        ("revenue", "total_revenue"): 17996.68,
        ("revenue", "general_public_budget"): 17981.68,  # label wrapped over two grid lines
        ("expenditure_by_purpose", "reserve_expenditure"): 140.20,
    },
    "jiangsu/江苏省人民检察院/2018年省检察院部门预算公开.pdf": {
        ("revenue", "total_revenue"): 21955.35,  # on p14: the table continues from p13
        ("expenditure", "current_year_expenditure"): 21955.35,
        ("expenditure_by_purpose", "reserve_expenditure"): 2388.04,
    },
    "jiangsu/江苏省人民检察院/2019年度部门预算公开.pdf": {
        ("revenue", "total_revenue"): 24169.74,
        ("expenditure_by_purpose", "basic_expenditure"): 15844.04,
        ("expenditure_by_purpose", "reserve_expenditure"): 3990.40,
    },
    "shenzhen-longhua/2022年深圳市龙华区政务服务数据管理局部门预算.pdf": {
        ("revenue", "total_revenue"): 22070,
        ("expenditure", "total_expenditure"): 22070,
        ("revenue", "current_year_revenue"): 22070,
        ("revenue", "fiscal_appropriation"): 22070,
        ("revenue", "general_public_budget"): 22070,
        ("revenue", "government_fund"): 0,
        ("expenditure", "carry_forward"): 0,
    },
}

# file -> (table type, code) -> {measure: amount}
FUNCTION_ROWS = {
    "jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf": {
        ("function_fiscal_appropriation", "2013101"): {"total": 9370.12},
        ("function_general_public", "221"): {"total": 3894.09},
    },
    "jiangsu/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开表.pdf": {
        ("function_fiscal_appropriation", "2013101"): {"total": 8072.29},
        ("function_fiscal_appropriation", "2210202"): {"total": 2299.88},
    },
    "jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf": {
        ("function_fiscal_appropriation", "2013101"): {"total": 6106.99},
    },
    "jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf": {
        ("function_general_public", "2010201"): {"total": 3233.03},
    },
    "jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年预算公开表.pdf": {
        ("function_fiscal_appropriation", "201"): {"total": 10191.56},
    },
    "jiangsu/江苏省人民检察院/2017年省检察院部门预算.pdf": {
        ("function_fiscal_appropriation", "2040401"): {"total": 7968.14},
        ("function_general_public", "2210202"): {"total": 1534.94},
    },
    "jiangsu/江苏省人民检察院/2018年省检察院部门预算公开.pdf": {
        ("function_fiscal_appropriation", "2040401"): {"total": 10883.36},
        ("function_fiscal_appropriation", "2210202"): {"total": 2586.61},  # p16, after the page break
    },
    "jiangsu/江苏省人民检察院/2019年度部门预算公开.pdf": {
        ("function_fiscal_appropriation", "2040401"): {"total": 12268.62},
        ("function_general_public", "2210202"): {"total": 4243.61},
    },
    "shenzhen-longhua/2022年深圳市龙华区政务服务数据管理局部门预算.pdf": {
        ("function_general_public", "2010301"): {"total": 3149, "basic": 2807, "project": 342},
        ("function_general_public", "212"): {"total": 5000, "basic": 0, "project": 5000},
        ("function_general_public", "2210203"): {"total": 100, "basic": 100, "project": 0},
    },
}


@pytest.fixture(scope="module")
def extracted() -> dict[str, DocumentExtraction]:
    out = {}
    for rel in FACTS:
        out[rel] = extract_document(CORPUS / rel, rel)
    return out


def _table(doc: DocumentExtraction, table_type: str):
    tables = [t for t in doc.tables if t.table_type == table_type]
    assert len(tables) == 1, f"{doc.source_file}: expected one {table_type}, got {len(tables)}"
    return tables[0]


def test_corpus_files_are_all_covered():
    found = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.pdf")}
    assert found == set(FACTS)


@pytest.mark.parametrize("rel", sorted(FACTS))
def test_document_facts(extracted, rel):
    doc = extracted[rel]
    department, year, role = FACTS[rel]
    assert doc.department_name == department
    assert doc.fiscal_year == year
    assert doc.role == role
    assert doc.unit == "万元"
    if rel.startswith("jiangsu/"):
        assert (doc.template, doc.region) == ("jiangsu_provincial", "江苏省")
    else:
        assert (doc.template, doc.region) == ("shenzhen_district", "深圳市龙华区")
    if role == "narrative":
        assert doc.tables == []
        assert {"overall", "function_general_public", "function_fiscal_appropriation"} <= set(
            doc.listed_tables
        )
    else:
        types = {t.table_type for t in doc.tables}
        assert {"overall", "function_general_public", "function_government_fund"} <= types
        if rel.startswith("jiangsu/"):
            assert "function_fiscal_appropriation" in types


@pytest.mark.parametrize("rel", sorted(OVERALL))
def test_overall_figures(extracted, rel):
    table = _table(extracted[rel], "overall")
    for (section, item), amount in OVERALL[rel].items():
        lines = [ln for ln in table.lines if ln.item == item and ln.section == section]
        assert lines, f"{rel}: no {section}/{item} line"
        assert (
            lines[0].values["amount"] == pytest.approx(amount)
            if amount is not None
            else lines[0].values["amount"] is None
        )


@pytest.mark.parametrize("rel", sorted(FUNCTION_ROWS))
def test_function_rows(extracted, rel):
    doc = extracted[rel]
    for (table_type, code), expected in FUNCTION_ROWS[rel].items():
        lines = [ln for ln in _table(doc, table_type).lines if ln.code == code]
        assert len(lines) == 1, f"{rel}: {table_type} {code}"
        for measure, amount in expected.items():
            assert lines[0].values[measure] == pytest.approx(amount)


def test_longhua_expenditure_summary_and_stitching(extracted):
    doc = extracted["shenzhen-longhua/2022年深圳市龙华区政务服务数据管理局部门预算.pdf"]
    summary = _table(doc, "expenditure_summary")
    assert summary.pages == [22]
    assert summary.lines[0].values == {"total": 22070, "basic": 3219, "project": 18851}
    overall = _table(doc, "overall")
    assert overall.pages == [19, 20, 21]
    assert [ln.source_page for ln in overall.lines if ln.item == "total_revenue"] == [21]
    function = _table(doc, "function_general_public")
    assert function.pages == [25, 26]
    total = [ln for ln in function.lines if ln.item == "total"]
    assert len(total) == 1 and total[0].code is None
    assert total[0].values == {"total": 22070, "basic": 3219, "project": 18851}
    assert len(doc.listed_tables) == 11


def test_jiangsu_overall_continues_over_page_break(extracted):
    doc = extracted["jiangsu/江苏省人民检察院/2018年省检察院部门预算公开.pdf"]
    overall = _table(doc, "overall")
    assert overall.pages == [13, 14]
    names = [ln.name for ln in overall.lines if ln.section == "expenditure"]
    assert "国土海洋气象等支出" in names  # the label's last character is printed on p14
    assert "出" not in names
    fiscal = _table(doc, "function_fiscal_appropriation")
    assert fiscal.pages == [15, 16]


@pytest.mark.parametrize("rel", sorted(r for r, f in FACTS.items() if f[2] != "narrative"))
def test_function_tables_add_up(extracted, rel):
    doc = extracted[rel]
    for table in doc.tables:
        if table.table_type not in FUNCTION_TYPES:
            continue
        totals = [ln for ln in table.lines if ln.item == "total"]
        assert len(totals) == 1, f"{rel}: {table.table_type} has {len(totals)} total lines"
        coded = [ln for ln in table.lines if ln.code]
        assert all(ln.item is None for ln in coded)
        for measure, total in totals[0].values.items():
            by_level: dict[int, float] = defaultdict(float)
            counts: dict[int, int] = defaultdict(int)
            for ln in coded:
                by_level[len(ln.code)] += ln.values.get(measure) or 0.0
                counts[len(ln.code)] += 1
            for level, amount in by_level.items():
                tolerance = 0.011 + 0.5 * counts[level] * (doc.unit == "万元" and total == int(total or 0))
                assert amount == pytest.approx(total or 0.0, abs=tolerance), (
                    f"{rel}: {table.table_type} {measure} level {level}: {amount} vs {total}"
                )
        # every 5- and 7-digit code sits under its parent
        codes = {ln.code for ln in coded}
        for code in codes:
            if len(code) > 3:
                assert code[:-2] in codes, f"{rel}: {code} has no parent"


@pytest.mark.parametrize("rel", sorted(r for r, f in FACTS.items() if f[2] != "narrative"))
def test_no_header_text_in_lines(extracted, rel):
    registry = get_registry()
    for table in extracted[rel].tables:
        for ln in table.lines:
            assert not registry.is_header_text(ln.name) or ln.item is not None, f"{rel}: header leaked: {ln}"
            for marker in ("单位：", "单位:", "部门：", "部门名称", "项目名称", "科目名称", "金额", "预算数"):
                assert marker not in ln.name, f"{rel}: header text {marker!r} leaked into {ln}"
            assert ln.source_page in table.pages
        assert [ln.line_no for ln in table.lines] == list(range(len(table.lines)))


def test_raw_values_kept(extracted):
    doc = extracted["jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf"]
    line = next(ln for ln in _table(doc, "overall").lines if ln.item == "total_revenue")
    assert line.raw_values["amount"] == "27,664.22"


def test_structural_errors(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(StructuralError):
        extract_document(bad, "broken.pdf")
    with pytest.raises(StructuralError):
        extract_document(tmp_path / "missing.pdf", "missing.pdf")


def test_whole_corpus_is_fast_enough():
    start = time.perf_counter()
    pages = 0
    for path in sorted(CORPUS.rglob("*.pdf")):
        pages += extract_document(path, str(path.relative_to(CORPUS))).pages
    elapsed = time.perf_counter() - start
    assert pages > 250
    assert elapsed < 60, f"corpus extraction took {elapsed:.1f}s"
