"""How one document's outcome depends on what extraction raised."""

import pytest

from orchestration.extraction import extract
from orchestration.extraction.model import StructuralError
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.process import process_document


@pytest.fixture()
def document(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "x.pdf").write_bytes(b"%PDF-1.4 not really")
    [doc] = scan_raw_dir(tmp_path / "raw")
    return doc


def run_with(monkeypatch, tmp_path, document, error):
    def raising(path, source_file):
        raise error

    monkeypatch.setattr(extract, "extract_document", raising)
    return process_document(tmp_path / "raw", document, tmp_path / "landing")


def test_a_structural_problem_quarantines_with_its_reason(monkeypatch, tmp_path, document):
    outcome = run_with(monkeypatch, tmp_path, document, StructuralError("the PDF has no pages"))
    assert (outcome.status, outcome.reason) == ("quarantined", "the PDF has no pages")
    [check] = outcome.checks
    assert (check.name, check.passed, check.failures) == ("readable_budget_disclosure", False, ["the PDF has no pages"])


def test_an_unexpected_error_fails_this_document_only(monkeypatch, tmp_path, document):
    outcome = run_with(monkeypatch, tmp_path, document, ValueError("unexpected layout"))
    assert (outcome.status, outcome.reason) == ("failed", "ValueError: unexpected layout")
    assert (tmp_path / "landing" / "documents" / f"{document.partition_key}.parquet").exists()


def test_an_io_error_propagates_so_the_step_is_retried(monkeypatch, tmp_path, document):
    with pytest.raises(OSError, match="share unavailable"):
        run_with(monkeypatch, tmp_path, document, OSError("share unavailable"))


def test_a_sample_document_records_its_validation_time_within_its_extraction_time(tmp_path):
    import duckdb

    from orchestration.samples import write_samples

    written = write_samples(tmp_path / "raw")
    doc = next(
        d for d in scan_raw_dir(tmp_path / "raw") if d.source_file == str(written[0].relative_to(tmp_path / "raw"))
    )
    outcome = process_document(tmp_path / "raw", doc, tmp_path / "landing")
    assert outcome.status == "loaded"
    path = tmp_path / "landing" / "documents" / f"{doc.partition_key}.parquet"
    with duckdb.connect() as con:
        query = f"select extract_seconds, validate_seconds from '{path}'"
        extract_seconds, validate_seconds = con.execute(query).fetchone()
    assert 0 < validate_seconds < extract_seconds


def test_a_document_s_line_tables_land_in_one_file_told_apart_by_table_type(tmp_path):
    import duckdb

    from orchestration.samples import write_samples

    written = write_samples(tmp_path / "raw")
    tables_pdf = next(path for path in written if path.name.endswith("表格.pdf") or "公开.pdf" in path.name)
    doc = next(
        d for d in scan_raw_dir(tmp_path / "raw") if d.source_file == str(tables_pdf.relative_to(tmp_path / "raw"))
    )
    outcome = process_document(tmp_path / "raw", doc, tmp_path / "landing")
    assert outcome.status == "loaded" and len(outcome.tables) >= 5

    files = list((tmp_path / "landing" / "table_lines").glob("*.parquet"))
    assert [path.name.split("~")[0] for path in files] == [doc.partition_key]
    with duckdb.connect() as con:
        query = f"select table_type, count(distinct line_no) from '{files[0]}' group by all"
        landed = dict(con.execute(query).fetchall())
    assert landed.keys() == outcome.tables.keys()  # every table type read is in the one file
    assert all(landed[table_type] == lines for table_type, lines in outcome.tables.items())
    assert not any((tmp_path / "landing" / table_type).exists() for table_type in outcome.tables)
