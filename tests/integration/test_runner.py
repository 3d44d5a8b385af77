"""The runner's choice of runs: one run extracts and builds; a failed extraction still gets its build;
warehouses in one folder keep their documents apart."""

from __future__ import annotations

import shutil
import subprocess
import sys

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


def run_in_fresh_interpreter(*lines: str) -> str:
    """What a script prints, run by a new interpreter: nothing imported by other tests is loaded there."""
    out = subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


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


def test_a_run_with_nothing_new_does_not_import_dbt_or_the_extraction_code(sample_paths):
    run_pipeline(sample_paths, dg.DagsterInstance.ephemeral())
    printed = run_in_fresh_interpreter(
        "import sys; from pathlib import Path; from orchestration.runner import run_pipeline",
        "from orchestration.settings import Paths",
        f"result = run_pipeline(Paths(raw_dir=Path({str(sample_paths.raw_dir)!r}),"
        f" warehouse=Path({str(sample_paths.warehouse)!r})))",
        "heavy = ['dagster_dbt', 'dbt', 'pdfplumber', 'pypdfium2', 'pandera', 'orchestration.definitions']",
        "print(result.run_ids, result.warehouse_rebuilt, [m for m in heavy if m in sys.modules])",
    )
    assert printed == "[] False []"


def test_a_failed_extraction_still_builds_the_warehouse_in_a_run_of_its_own(sample_paths, monkeypatch):
    import orchestration.defs.extract as extract

    def broken_pool(*args, **kwargs):
        raise RuntimeError("the worker pool died")

    monkeypatch.setattr(extract, "extract_documents_in_pool", broken_pool)
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(sample_paths, instance)
    assert not result.extract_succeeded
    assert result.warehouse_built, result.warehouse_error
    assert job_names(instance, result.run_ids) == ["ingest_and_build_job", "build_warehouse_job"]
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_budget_summary").fetchone()[0] == 0


def test_one_new_document_is_extracted_and_every_dbt_asset_built_once(sample_paths, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    held_back = tmp_path / "held_back.pdf"
    last = sorted(sample_paths.raw_dir.rglob("*.pdf"))[-1]
    last.rename(held_back)
    first = run_pipeline(sample_paths, instance)
    held_back.rename(last)

    result = run_pipeline(sample_paths, instance)

    assert first.warehouse_built
    assert result.warehouse_built and job_names(instance, result.run_ids) == ["ingest_and_build_job"]
    extracted = [e.user_message for e in instance.all_logs(result.run_ids[0]) if "values in" in e.user_message]
    assert len(extracted) == 1 and last.name in extracted[0]  # only the new document was read
    built = instance.get_records_for_run(result.run_ids[0], of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    keys = [r.event_log_entry.asset_materialization.asset_key for r in built.records]
    dbt_keys = [key for key in keys if key.path[0] not in ("landing", "reports")]
    assert len(dbt_keys) == len(set(dbt_keys)) == 38  # 37 models and the seed, each once
    # the extraction's one asset, for its one partition: a Dagster event per document, not one per landing table
    assert [key for key in keys if key.path[0] == "landing"] == [dg.AssetKey(["landing", "documents"])]
    assert keys.count(dg.AssetKey(["reports", "analyst_report"])) == 1  # then the report, once
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        loaded = con.execute("select count(*) from ops.documents where status = 'loaded'").fetchone()[0]
    assert loaded == len(result.documents)


def test_two_warehouses_in_one_folder_never_see_each_other_s_documents(tmp_path, monkeypatch):
    for name in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "BUDGET_LANDING_DIR"):
        monkeypatch.setenv(name, "")
    write_samples(tmp_path / "raw_a")
    jiangsu_only = tmp_path / "raw_b"
    shutil.copytree(tmp_path / "raw_a" / "jiangsu", jiangsu_only / "jiangsu")
    instance = dg.DagsterInstance.ephemeral()  # one instance for both, as with one DAGSTER_HOME
    a = Paths(raw_dir=tmp_path / "raw_a", warehouse=tmp_path / "warehouses" / "a.duckdb")
    b = Paths(raw_dir=jiangsu_only, warehouse=tmp_path / "warehouses" / "b.duckdb")

    assert run_pipeline(a, instance).warehouse_built
    assert run_pipeline(b, instance).warehouse_built
    again = run_pipeline(a, instance)  # b's run changed nothing of a's: nothing to do

    assert again.run_ids == [] and a.landing_dir != b.landing_dir and a.state_dir != b.state_dir
    for paths, files in ((a, len(list(a.raw_dir.rglob("*.pdf")))), (b, len(list(b.raw_dir.rglob("*.pdf"))))):
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            statuses = dict(con.execute("select status, count(*) from ops.documents group by 1").fetchall())
        assert statuses == {"loaded": files}, paths.warehouse  # nothing `removed` by the other's run
    assert run_pipeline(b, instance).run_ids == []


def test_a_range_spanning_another_raw_folder_s_documents_extracts_only_its_own(tmp_path, monkeypatch):
    for name in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "BUDGET_LANDING_DIR"):
        monkeypatch.setenv(name, "")
    written = write_samples(tmp_path / "samples")
    by_department: dict[str, list] = {}
    for path in written:
        by_department.setdefault(path.parent.name, []).append(path)
    one_file_years, other = sorted(by_department.values(), key=len)  # a department printing one PDF a year first
    a = Paths(raw_dir=tmp_path / "raw_a", warehouse=tmp_path / "a" / "budget.duckdb")
    b = Paths(raw_dir=tmp_path / "raw_b", warehouse=tmp_path / "b" / "budget.duckdb")
    a.raw_dir.mkdir()
    b.raw_dir.mkdir()
    shutil.copy(one_file_years[0], a.raw_dir)
    shutil.copy(other[0], b.raw_dir)
    instance = dg.DagsterInstance.ephemeral()  # one instance, registering a's first document, then b's
    assert run_pipeline(a, instance).warehouse_built and run_pipeline(b, instance).warehouse_built
    # a's first document to be read again and a new one: a range from before b's document to after it
    (a.landing_dir / "documents").joinpath(f"{run_pipeline(a, instance).documents[0].partition_key}.parquet").unlink()
    shutil.copy(one_file_years[-1], a.raw_dir)

    result = run_pipeline(a, instance)

    assert result.extract_succeeded and result.warehouse_built, result.warehouse_error
    logs = [e.user_message for e in instance.all_logs(result.run_ids[0])]
    assert sum("values in" in m for m in logs) == 2
    assert any("1 partition(s) of the range are documents of another raw folder: skipped" in m for m in logs)
    with duckdb.connect(str(a.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from ops.documents where status = 'loaded'").fetchone()[0] == 2
