"""The CLI's early extraction of a lone new document: read before the run (the child learns where to land it
only from the asset), landed as the asset would land it, or not at all."""

from __future__ import annotations

import dataclasses

import pytest

from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.early import early_extraction, take_early_extraction
from orchestration.ingest.process import process_document
from orchestration.samples.shenzhen import write_shenzhen_sample


@pytest.fixture()
def raw(tmp_path):
    write_shenzhen_sample(tmp_path / "raw" / "sample.pdf")
    return tmp_path / "raw"


def landed_files(landing):
    return sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*.parquet"))


def test_the_document_is_landed_when_the_asset_asks_and_as_the_asset_would_land_it(raw, tmp_path):
    [doc] = scan_raw_dir(raw)
    landing = tmp_path / "landing"
    with early_extraction(raw, doc):
        early = take_early_extraction(doc)
        assert early is not None and take_early_extraction(doc) is None  # handed over once
        outcome = early.land(landing)
    expected = process_document(raw, doc, tmp_path / "by_the_asset")
    assert outcome is not None
    assert (outcome.status, outcome.tables, outcome.rows_landed) == (
        expected.status,
        expected.tables,
        expected.rows_landed,
    )
    assert landed_files(landing) and len(landed_files(landing)) == len(landed_files(tmp_path / "by_the_asset"))


def test_a_child_never_asked_lands_nothing(raw, tmp_path):
    [doc] = scan_raw_dir(raw)
    with early_extraction(raw, doc):
        pass  # the run never reached the asset
    assert take_early_extraction(doc) is None
    assert not (tmp_path / "landing").exists()


def test_another_content_of_the_partition_is_not_handed_over(raw):
    [doc] = scan_raw_dir(raw)
    with early_extraction(raw, doc):
        assert take_early_extraction(dataclasses.replace(doc, sha256="0" * 64)) is None
        assert take_early_extraction(doc) is not None
