"""The runner's choice of runs: one run extracts and builds; a failed extraction still gets its build."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from orchestration.runner import run_pipeline
from orchestration.samples import write_samples
from orchestration.settings import Paths


@pytest.fixture()
def sample_paths(tmp_path, monkeypatch):
    for name in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "BUDGET_LANDING_DIR"):
        monkeypatch.setenv(name, "")  # run_pipeline exports the paths; monkeypatch puts the old values back
    write_samples(tmp_path / "raw")
    return Paths(raw_dir=tmp_path / "raw", warehouse=tmp_path / "warehouse" / "budget.duckdb")


def job_names(instance: dg.DagsterInstance, run_ids: list[str]) -> list[str]:
    return [instance.get_run_by_id(run_id).job_name for run_id in run_ids]


def test_new_documents_are_extracted_and_built_in_one_run(sample_paths):
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(sample_paths, instance)
    assert result.extract_succeeded and result.warehouse_built and result.warehouse_rebuilt
    assert job_names(instance, result.run_ids) == ["ingest_and_build_job"]
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        loaded = con.execute("select count(*) from ops.documents where status = 'loaded'").fetchone()[0]
    assert loaded == len(result.documents)

    again = run_pipeline(sample_paths, instance)
    assert again.run_ids == [] and not again.warehouse_rebuilt


def test_a_failed_extraction_still_builds_the_warehouse_in_a_run_of_its_own(sample_paths, monkeypatch):
    import orchestration.defs.extract as extract

    def broken_pool(*args, **kwargs):
        raise RuntimeError("the worker pool died")

    monkeypatch.setattr(extract, "run_documents", broken_pool)
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(sample_paths, instance)
    assert not result.extract_succeeded
    assert result.warehouse_built, result.warehouse_error
    assert job_names(instance, result.run_ids) == ["ingest_and_build_job", "build_warehouse_job"]
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_budget_summary").fetchone()[0] == 0
