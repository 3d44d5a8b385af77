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
