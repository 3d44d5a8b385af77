"""Untrusted (fetched) PDFs stay bounded: over a limit, a document is quarantined with the true reason, fast,
and the run goes on. The hostile files are written by the test: a content stream that inflates to 80 MiB
and a page of 150,000 drawn rectangles (both were quarantined as "no text layer" before)."""

from __future__ import annotations

import resource
import shutil
import time
import zlib
from pathlib import Path

import pytest

from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.process import process_document
from orchestration.samples import build_sample_budgets, write_samples


def one_page_pdf(path: Path, content: bytes) -> Path:
    """A valid one-page PDF whose page content is `content`, deflated."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def quarantine_reason(raw: Path, tmp_path: Path) -> tuple[str, str, float]:
    (doc,) = scan_raw_dir(raw)
    started = time.perf_counter()
    outcome = process_document(raw, doc, tmp_path / "landing")
    return outcome.status, outcome.reason, time.perf_counter() - started


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_content_stream_bomb_is_quarantined_as_such_without_inflating_it(tmp_path):
    bomb = one_page_pdf(tmp_path / "raw" / "bomb.pdf", b"BT ET " + b" " * (80 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    before = peak_rss_mib()
    status, reason, seconds = quarantine_reason(tmp_path / "raw", tmp_path)
    assert (status, reason) == (
        "quarantined",
        "page 1's content inflates to more than 64 MiB (a decompression bomb or a page too large to extract safely)",
    )
    assert peak_rss_mib() - before < 60  # the 80 MiB were never held
    assert seconds < 5


def test_a_page_of_150000_rectangles_is_quarantined_as_too_complex(tmp_path):
    rectangles = b"".join(b"%d %d 3 3 re S\n" % (20 + i % 500, 20 + (i // 500) % 800) for i in range(150_000))
    one_page_pdf(tmp_path / "raw" / "rectangles.pdf", rectangles)
    status, reason, seconds = quarantine_reason(tmp_path / "raw", tmp_path)
    assert status == "quarantined"
    assert reason.startswith("page 1 draws more than 200,000 path segments (")
    assert reason.endswith(" counted): too complex to extract safely")
    assert seconds < 10


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("bounded") / "raw"
    write_samples(raw, [next(b for b in build_sample_budgets() if not b.split_files)])
    return raw


def test_extraction_over_its_time_limit_is_quarantined_with_that_reason(sample_raw, tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGET_EXTRACT_SECONDS", "0.05")
    status, reason, seconds = quarantine_reason(sample_raw, tmp_path)
    assert (status, reason) == ("quarantined", "extraction took longer than the limit of 0.05 s")
    assert seconds < 2


def test_a_document_over_the_page_limit_is_quarantined_and_within_it_loads(sample_raw, tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGET_MAX_PAGES", "3")
    status, reason, _ = quarantine_reason(sample_raw, tmp_path)
    assert status == "quarantined"
    assert reason.endswith(" pages, over the limit of 3")
    monkeypatch.delenv("BUDGET_MAX_PAGES")
    assert quarantine_reason(sample_raw, tmp_path)[:2] == ("loaded", None)


def pool_outcomes(raw: Path, tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    """Every document of `raw` through the extraction asset's pool of worker processes."""
    from orchestration.ingest.pool import extract_documents_in_pool

    outcomes = extract_documents_in_pool(raw, tmp_path / "landing", scan_raw_dir(raw))
    return {Path(o.source_file).name: (o.status, o.reason) for o in outcomes}


def test_a_document_over_the_memory_limit_is_quarantined_and_the_others_load(sample_raw, tmp_path, monkeypatch):
    # past the content check (raised to 1 GiB here), the 300 MiB a page inflates to meet the worker's memory
    # cap; pdfium, counting the page's drawings, ends its process when an allocation fails: the pool sees a
    # dead worker, tries the documents it held alone, and quarantines the one that kills its worker again
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    one_page_pdf(raw / "bomb.pdf", b"BT ET " + b" " * (300 * 1024 * 1024))
    monkeypatch.setenv("BUDGET_MAX_PAGE_CONTENT_MB", "1024")
    monkeypatch.setenv("BUDGET_EXTRACT_MEMORY_MB", "600")
    outcomes = pool_outcomes(raw, tmp_path)
    assert outcomes.pop("bomb.pdf") == (
        "quarantined",
        "the extraction process died while reading this document "
        "(out of memory under its limit of 600 MiB, or a crash in native code)",
    )
    assert set(outcomes.values()) == {("loaded", None)}


def test_a_worker_that_dies_costs_its_own_document_only_and_names_the_reason(sample_raw, tmp_path, monkeypatch):
    # a cap too small for a worker even to start: every worker dies, each document is tried alone, then quarantined
    monkeypatch.setenv("BUDGET_EXTRACT_MEMORY_MB", "40")
    outcomes = pool_outcomes(sample_raw, tmp_path)
    assert outcomes and set(outcomes.values()) == {
        (
            "quarantined",
            "the extraction process died while reading this document "
            "(out of memory under its limit of 40 MiB, or a crash in native code)",
        )
    }
    landed = list((tmp_path / "landing" / "documents").glob("*.parquet"))
    assert len(landed) == len(outcomes)  # recorded in the landing zone, as any quarantined document
