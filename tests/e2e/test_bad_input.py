"""Bad input never stops the other documents, never loses anything, and always says why."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from decimal import Decimal

import duckdb
import pytest
from bad_pdfs import encrypted_pdf, not_a_budget_pdf, scanned_pdf, truncated_copy
from conftest import run_cli

from orchestration.samples import build_sample_budgets, generator, write_samples
from orchestration.samples.layout import build_pdf

ODD_NAME = "修订版 #2 [final] & 'copy' (1).pdf"
UNRULED_DEPARTMENT = "江苏省样例测绘局"


def fingerprint(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def revised(budget):
    """The same department-year republished with one project amount changed (consistently)."""
    items = list(budget.items)
    index = next(i for i, item in enumerate(items) if item.project > 0)
    items[index] = dataclasses.replace(items[index], project=items[index].project + Decimal("100.00"))
    return dataclasses.replace(budget, items=items)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    raw = root / "raw"
    good = write_samples(raw / "good")
    good_budgets = build_sample_budgets()
    archive_2019 = next(b for b in build_sample_budgets() if b.split_files and b.fiscal_year == 2019)
    [_, revised_tables] = write_samples(root / "revision", [revised(archive_2019)])
    revised_path = raw / "revisions" / ODD_NAME
    revised_path.parent.mkdir(parents=True)
    shutil.copy(revised_tables, revised_path)
    newer = max(p.stat().st_mtime for p in good) + 3600
    os.utime(revised_path, (newer, newer))
    (raw / "copies").mkdir()
    shutil.copy(good[0], raw / "copies" / "same content, other name.pdf")
    bad = raw / "bad"
    bad.mkdir()
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "error-page.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    truncated_copy(good[0], bad / "truncated.pdf")
    encrypted_pdf(bad / "encrypted.pdf")
    scanned_pdf(bad / "scan.pdf")
    not_a_budget_pdf(bad / "meeting-notice.pdf")
    # a department whose “三公” table is printed without ruling lines: the rest of it loads, the gap is named
    unruled = dataclasses.replace(good_budgets[0], department=UNRULED_DEPARTMENT)
    build_pdf(
        raw / "incomplete" / "unruled.pdf", generator.tables_story(unruled, (generator.three_public_table,)), "unruled"
    )
    before = fingerprint(raw)
    warehouse = root / "warehouse" / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = {
            row[0]: row[1:]
            for row in con.execute("select source_file, status, reason, source_files from ops.documents").fetchall()
        }
        summary = con.execute(
            "select department_name, fiscal_year, project_expenditure from marts.fct_budget_summary"
        ).fetchall()
        checks = con.execute(
            'select source_file, "check", severity, passed, detail from ops.check_results order by all'
        ).fetchall()
        three_public = con.execute("select distinct department_name from marts.fct_three_public_expenses").fetchall()
        unread_tables = con.execute(
            "select table_type, status, lines, pages_not_read from ops.document_tables"
            " where status not in ('found', 'found_not_listed') and department_name = ?",
            [UNRULED_DEPARTMENT],
        ).fetchall()
    return {
        "result": result,
        "documents": documents,
        "summary": summary,
        "checks": checks,
        "unread_tables": unread_tables,
        "three_public_departments": {name for (name,) in three_public},
        "raw": raw,
        "before": before,
        "archive_2019": archive_2019,
        "good": good,
    }


def test_the_run_finishes_and_reports_the_quarantined(bad_run):
    result = bad_run["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "quarantined: 6" in result.stdout
    assert "quarantined: bad/empty.pdf: the file is empty (0 bytes)" in result.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad/empty.pdf", "the file is empty (0 bytes): probably a failed download"),
        ("bad/error-page.pdf", "the file is an HTML/XML page saved as .pdf"),
        ("bad/truncated.pdf", "corrupt or truncated"),
        ("bad/encrypted.pdf", "the PDF is encrypted (password-protected); it cannot be read"),
        ("bad/scan.pdf", "the PDF has no text layer (an image-only scan); OCR is out of scope"),
        ("bad/meeting-notice.pdf", "not a budget disclosure"),
    ],
)
def test_each_bad_file_is_quarantined_with_a_plain_reason(bad_run, name, reason):
    status, text, _ = bad_run["documents"][name]
    assert status == "quarantined"
    assert reason in text


def test_every_good_document_still_loads(bad_run):
    loaded = [name for name, (status, _, _) in bad_run["documents"].items() if status == "loaded"]
    assert len(loaded) == 7  # 6 samples, one of them replaced by its revision, and the unruled one
    assert len(bad_run["summary"]) == 5


def test_a_table_that_cannot_be_read_is_named_and_the_rest_loads(bad_run):
    status, _, _ = bad_run["documents"]["incomplete/unruled.pdf"]
    assert status == "loaded"
    [(severity, passed, detail)] = [
        c[2:] for c in bad_run["checks"] if c[:2] == ("incomplete/unruled.pdf", "extraction_warnings")
    ]
    assert (severity, passed) == ("warn", False)
    assert detail.startswith("8 tables read, 1 warnings; three_public: page ")
    assert detail.endswith(": the title is printed with amounts under it, but no table was read (no ruled grid found)")
    assert (
        "incomplete: incomplete/unruled.pdf: 8 tables read, 1 warnings; three_public: page " in bad_run["result"].stdout
    )
    assert UNRULED_DEPARTMENT in {name for name, _, _ in bad_run["summary"]}
    assert UNRULED_DEPARTMENT not in bad_run["three_public_departments"]
    [(table_type, status, lines, pages)] = bad_run["unread_tables"]
    assert (table_type, status, lines) == ("three_public", "printed_not_read", 0)
    assert f"three_public: page {pages}: the title is printed" in detail
    assert bad_run["three_public_departments"]  # the other departments' tables were read
    good_checks = [c for c in bad_run["checks"] if c[0].startswith("good/") and c[1] == "extraction_warnings"]
    assert good_checks and all(passed for _, _, _, passed, _ in good_checks)


def test_the_same_content_twice_is_one_document(bad_run):
    [(status, _, files)] = [v for k, v in bad_run["documents"].items() if "same content, other name.pdf" in v[2]]
    assert files.split("; ") == sorted(
        ["copies/same content, other name.pdf", bad_run["good"][0].relative_to(bad_run["raw"]).as_posix()]
    )
    assert status == "loaded"


def test_a_revision_supersedes_the_older_file_and_wins_in_the_marts(bad_run):
    documents = bad_run["documents"]
    assert documents[f"revisions/{ODD_NAME}"][0] == "loaded"
    superseded = [k for k, v in documents.items() if v[0] == "superseded"]
    assert superseded == ["good/jiangsu/江苏省样例档案馆/江苏省样例档案馆2019年度部门预算公开表格.pdf"]
    budget = bad_run["archive_2019"]
    [(project,)] = [(p,) for name, year, p in bad_run["summary"] if name == budget.department and year == 2019]
    assert project == budget.project_total + Decimal("100.00")


def test_nothing_in_raw_is_moved_or_changed(bad_run):
    assert fingerprint(bad_run["raw"]) == bad_run["before"]


@pytest.fixture(scope="module")
def tampered_run(tmp_path_factory):
    """Samples whose 一般公共预算 tables print one 项 figure 0.10 (10 units of the last digit) too high."""
    root = tmp_path_factory.mktemp("tampered")
    budget = next(b for b in build_sample_budgets() if b.split_files and b.fiscal_year == 2019)
    target = next(r for r in budget.function_rows("general") if len(r.code) == 7 and r.total > 0)
    original_amount = generator.amount

    def tampered(value):
        return original_amount(value + Decimal("0.10") if value == target.total else value)

    generator.amount = tampered
    try:
        write_samples(root / "raw", [budget])
    finally:
        generator.amount = original_amount
    warehouse = root / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(root / "raw"), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-2000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failures = con.execute(
            "select table_type, code, measure, expected, found from ops.reconciliation_failures"
        ).fetchall()
        status = con.execute("select quality_status from marts.fct_budget_summary").fetchall()
        line = con.execute(
            "select amount_total, quality_status from marts.fct_expenditure_by_function "
            "where function_code = ? and fund_scope = 'general_public_budget'",
            [target.code],
        ).fetchone()
    return {"failures": failures, "status": status, "line": line, "target": target, "stdout": result.stdout}


def test_a_tampered_figure_is_flagged_not_hidden(tampered_run):
    target = tampered_run["target"]
    parent = [f for f in tampered_run["failures"] if f[:3] == ("function_general_public", target.code[:5], "total")]
    assert parent, tampered_run["failures"]
    [(_, _, _, expected, found)] = parent
    assert round(expected - found, 2) == 0.10
    assert tampered_run["status"] == [("failed_checks",)]
    assert tampered_run["line"] == (target.total + Decimal("0.10"), "failed_checks")
    assert "flagged:" in tampered_run["stdout"]
