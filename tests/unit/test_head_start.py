"""What a CLI run forks before it imports Dagster: dbt's warm child when a core would idle until the build,
the extraction child for a lone new document, nothing when there is nothing to do."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from orchestration.head_start import run_outlook
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.ingest.process import process_document
from orchestration.samples.shenzhen import ShenzhenSample, write_shenzhen_sample
from orchestration.settings import Paths
from orchestration.warehouse.freshness import record_build


@pytest.fixture()
def paths(tmp_path):
    write_shenzhen_sample(tmp_path / "raw" / "sample.pdf")
    return Paths(raw_dir=tmp_path / "raw", warehouse=tmp_path / "warehouse" / "budget.duckdb")


@pytest.fixture()
def two_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


def test_one_new_document_is_read_early_and_dbt_warms_up_beside_it(paths, two_cores):
    [doc] = scan_raw_dir(paths.raw_dir, paths.state_dir)
    outlook = run_outlook(paths)
    assert outlook.pending == [doc] and outlook.builds
    assert outlook.lone_pending() == doc and outlook.core_to_spare()


def test_as_many_new_documents_as_cores_leave_every_core_to_the_extraction(paths, two_cores):
    write_shenzhen_sample(paths.raw_dir / "second.pdf", ShenzhenSample(department="深圳市龙华区示例第二局"))
    outlook = run_outlook(paths)
    assert len(outlook.pending) == 2 and outlook.builds
    assert outlook.lone_pending() is None and not outlook.core_to_spare()


def test_a_landed_document_never_built_is_a_build_with_nothing_to_extract(paths, two_cores):
    [doc] = scan_raw_dir(paths.raw_dir, paths.state_dir)
    process_document(paths.raw_dir, doc, paths.landing_dir)
    outlook = run_outlook(paths)
    assert outlook.pending == [] and outlook.builds and outlook.core_to_spare()
    assert outlook.lone_pending() is None


def test_nothing_new_since_the_last_build_forks_nothing(paths, two_cores):
    [doc] = scan_raw_dir(paths.raw_dir, paths.state_dir)
    process_document(paths.raw_dir, doc, paths.landing_dir)
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    paths.warehouse.touch()
    record_build(paths, [doc.partition_key])
    outlook = run_outlook(paths)
    assert outlook.pending == [] and not outlook.builds


def test_a_landing_folder_it_cannot_read_leaves_the_document_to_the_run(paths, two_cores):
    [doc] = scan_raw_dir(paths.raw_dir, paths.state_dir)
    (paths.landing_dir / "documents").mkdir(parents=True)
    (paths.landing_dir / "documents" / f"{doc.partition_key}.parquet").write_bytes(b"not parquet")
    outlook = run_outlook(paths)
    assert outlook.pending is None and outlook.builds
    assert outlook.lone_pending() is None and not outlook.core_to_spare()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing idles, nothing is forked early")
def test_both_children_are_forked_before_dagster_or_dbt_is_imported(paths):
    script = "\n".join(
        [
            "import sys",
            "from pathlib import Path",
            "from orchestration.defs.dbt_fork import has_warm_child",
            "from orchestration.head_start import head_start",
            "from orchestration.ingest import early",
            "from orchestration.settings import DBT_PROJECT_DIR, Paths",
            f"paths = Paths(raw_dir=Path({str(paths.raw_dir)!r}), warehouse=Path({str(paths.warehouse)!r}))",
            "with head_start(paths):",
            "    print(has_warm_child(DBT_PROJECT_DIR), early._EARLY is not None,",
            "          [name for name in ('dagster', 'dbt') if name in sys.modules])",
            "print(has_warm_child(DBT_PROJECT_DIR), early._EARLY is not None)",
        ]
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split("\n")[:2] == ["True True []", "False False"]
