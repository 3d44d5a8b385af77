"""Triggers and run health: the raw-folder sensor, the daily backstop, the warehouse rebuild, failures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.automation import daily_rescan, raw_folder_sensor, run_failure_recorder
from orchestration.defs.landing_tables import EXTRACTED_TABLE, landing_key
from orchestration.defs.partitions import document_partitions
from orchestration.defs.resources import WarehousePaths
from orchestration.warehouse.landing import RUN_FAILURE_COLUMNS


@pytest.fixture()
def env(tmp_path: Path, monkeypatch):
    """A raw folder and warehouse under tmp_path; BUDGET_* are restored afterwards (paths() exports them)."""
    raw = tmp_path / "raw"
    (raw / "2019").mkdir(parents=True)
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    for name in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "BUDGET_LANDING_DIR"):
        monkeypatch.setenv(name, "")
    return raw, {"warehouse_paths": WarehousePaths(raw_dir=str(raw), warehouse=str(warehouse))}


@pytest.fixture()
def instance(tmp_path: Path):
    # Not `ephemeral()`: a schedule context needs an instance that can be referenced.
    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        yield instance


def tick(instance: dg.DagsterInstance, resources: dict):
    """Evaluate the sensor and apply its partition requests, as the sensor daemon would."""
    result = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources=resources))
    if isinstance(result, dg.SkipReason):
        return [], []
    added = [key for request in result.dynamic_partitions_requests for key in request.partition_keys]
    instance.add_dynamic_partitions(document_partitions.name, added)
    return result.run_requests, added


def test_sensor_requests_each_new_content_once(env, instance):
    raw, resources = env
    (raw / "a.pdf").write_bytes(b"%PDF-1.4 department a")
    (raw / "2019" / "b.PDF").write_bytes(b"%PDF-1.4 department b")
    (raw / "notes.txt").write_bytes(b"not a pdf")

    requests, added = tick(instance, resources)
    assert len(requests) == 2
    assert sorted(added) == sorted(r.partition_key for r in requests)
    assert all(r.run_key == r.partition_key for r in requests)
    assert set(instance.get_dynamic_partitions("documents")) == set(added)

    # Nothing new, and a copy of a known file under another name is the same document.
    (raw / "2019" / "a-copy.pdf").write_bytes(b"%PDF-1.4 department a")
    assert tick(instance, resources) == ([], [])

    (raw / "a.pdf").write_bytes(b"%PDF-1.4 department a, corrected")
    requests, added = tick(instance, resources)
    assert len(requests) == 1 and added == [requests[0].partition_key]
    assert requests[0].partition_key.startswith("a-")
    assert len(instance.get_dynamic_partitions("documents")) == 3  # the old content is still on disk (the copy)


def test_sensor_skips_a_missing_raw_folder(tmp_path, instance, monkeypatch):
    monkeypatch.setenv("BUDGET_RAW_DIR", "")
    resources = {
        "warehouse_paths": WarehousePaths(raw_dir=str(tmp_path / "nowhere"), warehouse=str(tmp_path / "w.duckdb"))
    }
    assert isinstance(raw_folder_sensor(dg.build_sensor_context(instance=instance, resources=resources)), dg.SkipReason)


def test_daily_rescan_requests_only_never_materialized_partitions(env, instance):
    raw, resources = env
    for name in ("a", "b", "c", "d"):
        (raw / f"{name}.pdf").write_bytes(f"%PDF-1.4 {name}".encode())
    requests, _ = tick(instance, resources)
    key = {r.partition_key.split("-")[0]: r.partition_key for r in requests}
    instance.report_runless_asset_event(dg.AssetMaterialization(landing_key("documents"), partition=key["a"]))
    # An extraction of `b` is running: the backstop must not request it a second time.
    instance.add_run(
        dg.DagsterRun(
            job_name="extract_documents_job",
            run_id=str(uuid.uuid4()),
            status=dg.DagsterRunStatus.STARTED,
            tags={"dagster/partition": key["b"]},
        )
    )
    # `e` was dropped while the sensor was stopped: the schedule registers it too.
    (raw / "e.pdf").write_bytes(b"%PDF-1.4 e")

    # `with`: the context makes the instance's defs-state storage the current one until it exits
    with dg.build_schedule_context(
        instance=instance, resources=resources, scheduled_execution_time=datetime(2025, 3, 1, 3, tzinfo=UTC)
    ) as context:
        result = daily_rescan(context)
    requested = sorted(r.partition_key.split("-")[0] for r in result)
    assert requested == ["c", "d", "e"]
    assert all(r.run_key.startswith("rescan-2025-03-01-") for r in result)
    assert {r.partition_key for r in result} <= set(instance.get_dynamic_partitions("documents"))

    for request in result:
        instance.report_runless_asset_event(
            dg.AssetMaterialization(landing_key("documents"), partition=request.partition_key)
        )
    assert isinstance(daily_rescan(context), dg.SkipReason)


def materialize_landing(instance: dg.DagsterInstance, partition_key: str) -> None:
    """What an extraction records: its one asset, `landing/documents` (it writes the other landing tables too)."""
    instance.report_runless_asset_event(dg.AssetMaterialization(landing_key(EXTRACTED_TABLE), partition=partition_key))


def test_warehouse_rebuilds_after_extraction_even_with_a_never_extracted_document(instance):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    dbt_keys = {key for key in graph.get_all_asset_keys() if key.path[0] not in ("raw", "landing")}
    seeds = {key for key in dbt_keys if key.path[0] == "seeds"}
    failure_models = {dg.AssetKey(["staging", "stg_landing__run_failures"]), dg.AssetKey(["ops", "ops_run_failures"])}
    fetch_models = {dg.AssetKey(["staging", "stg_landing__fetches"]), dg.AssetKey(["ops", "ops_fetches"])}
    models = dbt_keys - seeds - failure_models - fetch_models  # the models fed by extraction
    instance.add_dynamic_partitions("documents", ["a-1111111111", "b-2222222222"])

    def requested(result) -> set:
        return {key for key in dbt_keys if result.get_num_requested(key)}

    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert requested(first) == seeds  # nothing landed yet; seeds load as soon as they are seen missing

    materialize_landing(instance, "a-1111111111")  # `b` is never extracted (a crashed run)
    after_landing = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    assert after_landing.get_requested_partitions(dg.AssetKey(["marts", "fct_budget_summary"])) == {None}
    # every model fed by extraction, and no seed (a seed that failed to load is not retried every tick)
    assert models <= requested(after_landing) <= models | failure_models
    assert dg.AssetKey(["reports", "analyst_report"]) in requested(after_landing)  # in the same run, after the marts

    idle = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=after_landing.cursor)
    assert idle.total_requested == 0

    # Extraction lands while that build runs, and the build finishes afterwards: rebuild once more.
    materialize_landing(instance, "b-2222222222")
    for key in dbt_keys:
        instance.report_runless_asset_event(dg.AssetMaterialization(key))
    again = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=idle.cursor)
    assert requested(again) - failure_models - fetch_models == models

    # A failed run recorded by run_failure_recorder rebuilds just ops.run_failures.
    instance.report_runless_asset_event(dg.AssetMaterialization(dg.AssetKey(["landing", "run_failures"])))
    recorded = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=again.cursor)
    assert requested(recorded) & failure_models and requested(recorded) <= failure_models

    # A poll of the publishers (its log is a dbt source) rebuilds ops.fetches and ops.documents (source_url).
    instance.report_runless_asset_event(dg.AssetMaterialization(dg.AssetKey(["raw", "fetched_from_publishers"])))
    fetched = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=recorded.cursor)
    assert fetch_models | {dg.AssetKey(["ops", "ops_documents"])} <= requested(fetched)
    assert dg.AssetKey(["marts", "fct_budget_summary"]) not in requested(fetched)


def test_warehouse_automation_sensor_is_on_by_default():
    from orchestration.definitions import defs

    repo = defs.get_repository_def()
    for name in ("raw_folder_sensor", "warehouse_automation_sensor", "run_failure_recorder"):
        assert repo.get_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
    assert repo.get_schedule_def("daily_rescan").default_status == dg.DefaultScheduleStatus.RUNNING
    assert repo.get_sensor_def("raw_folder_sensor").minimum_interval_seconds == 30


def test_run_failure_recorder_writes_a_readable_row(env, instance):
    _, resources = env
    partitions = dg.StaticPartitionsDefinition(["doc-0123456789"])

    @dg.asset(partitions_def=partitions, key=["landing", "broken"])
    def broken():
        raise ValueError("table 3 has no header\nTraceback detail that should not be kept")

    result = dg.materialize([broken], instance=instance, partition_key="doc-0123456789", raise_on_error=False)
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_recorder",
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources=resources,
    ).for_run_failure()
    run_failure_recorder(context)

    target = Path(resources["warehouse_paths"].paths().landing_dir) / "run_failures" / f"{result.run_id}.parquet"
    with duckdb.connect() as con:
        frame = con.execute("SELECT * FROM read_parquet(?)", [str(target)]).df()
    assert list(frame.columns) == list(RUN_FAILURE_COLUMNS)
    row = frame.iloc[0].to_dict()
    assert len(frame) == 1
    assert row["run_id"] == result.run_id
    assert row["job_name"] == result.dagster_run.job_name
    assert row["partition_key"] == "doc-0123456789"
    assert row["step_key"] == "landing__broken"
    assert row["asset_keys"] == "landing/broken"
    assert row["error_type"] == "ValueError"
    assert row["error"] == "ValueError: table 3 has no header"
    assert abs((datetime.now(UTC).replace(tzinfo=None) - row["failed_at"]).total_seconds()) < 120


def test_failure_summary_of_a_dbt_error_names_the_failing_model():
    from orchestration.defs.automation import first_line

    message = (
        "The dbt CLI process with command\n\n`dbt build --select x`\n\nfailed with exit code `1`.\n\n"
        "Errors parsed from dbt logs:\n\n"
        "13 of 52 ERROR creating sql view model intermediate.int_documents_loaded ....... "
        "[\x1b[31mERROR\x1b[0m in 0.10s]\n\n16 of 52 ERROR creating sql table model ops.documents ... [ERROR]\n"
    )
    assert (
        first_line(message)
        == "13 of 52 ERROR creating sql view model intermediate.int_documents_loaded [ERROR in 0.10s]"
    )
    assert first_line("ValueError: boom\nmore") == "ValueError: boom"
    assert first_line("") is None
