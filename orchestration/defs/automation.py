"""Triggers and run health: what runs by itself under `dagster dev` (all on by default).

- `raw_folder_sensor` (every 30 s): a PDF whose content is new gets a `documents` partition and an
  extraction run. The partition key is the content hash (`ingest.discovery`), and it is the run key,
  so a file seen before with the same bytes does nothing, whatever its name; changed bytes are a
  new document.
- `daily_rescan` (03:00 UTC): the backstop. Re-scans the folder and requests extraction for every
  document on disk whose `landing/documents` partition was never materialized (a run that crashed,
  files dropped while the sensor was stopped). Partitions with an extraction in flight are skipped.
- `warehouse_automation_sensor` (every 30 s): evaluates the dbt assets' automation condition, set in
  `BudgetDbtTranslator.get_asset_spec`, so the warehouse rebuilds after extraction lands Parquet.
- `run_failure_recorder`: every failed run of this code location becomes Parquet rows in
  `<landing>/run_failures/<run_id>.parquet` (columns: `warehouse.landing.RUN_FAILURE_COLUMNS`),
  read by dbt's `ops` models.

Why the dbt condition is not plain `AutomationCondition.eager()`: the dbt assets are unpartitioned
and depend on every partition of the dynamic-partitioned `landing/documents`, so eager's
`~any_deps_missing` would block every rebuild for as long as one document has never been
materialized (a crashed extraction); and eager's reset on `newly_updated` drops an extraction that
finished while a dbt build was already running (that build may not have read its Parquet). The
condition used is: some landing (or upstream dbt) asset updated since the warehouse was last
*requested*, no upstream run in progress (a batch of extractions is built once, after the last one),
and no dbt build in progress. dbt seeds have no upstream: they load when first seen missing (once,
so a failing seed does not launch a run every tick) and whenever their CSV's checksum changes.

Concurrency: dbt is the only writer of the `.duckdb` file, and every asset that writes it is in the
`duckdb_warehouse` pool (`defs/dbt.py`). The instance must give that pool one slot:
`orchestration/dagster_home/dagster.yaml` (copied into `$DAGSTER_HOME` by `make dagster-home`, which
`make run` and `make ui` call) sets `concurrency: pools: default_limit: 1` -- dagster.yaml in 1.13 has
no per-pool entry, and `duckdb_warehouse` is the only pool -- and `make dagster-home` also runs
`dagster instance concurrency set duckdb_warehouse 1` before any run: the limit holds even if more
pools appear, and two runs never both allocate the first slot of an unconfigured pool.
Extraction writes only Parquet and is not in the pool, so documents extract in parallel.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.dbt import budget_dbt_models
from orchestration.defs.jobs import extract_job
from orchestration.defs.landing_tables import landing_key
from orchestration.defs.partitions import document_partitions, register_documents
from orchestration.defs.report import analyst_report
from orchestration.defs.resources import WarehousePaths
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.warehouse.landing import write_run_failure

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
DAGSTER_WRAPPERS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"}
DBT_ERRORS_HEADER = "Errors parsed from dbt logs:"  # in dagster-dbt's DagsterDbtCliRuntimeError message
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
DOT_LEADER = re.compile(r"\s*\.{3,}\s*")
UNFINISHED_RUN_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dg.sensor(
    job=extract_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds a `documents` partition and requests its extraction for each new PDF content in the raw folder.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, warehouse_paths: WarehousePaths):
    paths = warehouse_paths.paths()
    if not paths.raw_dir.is_dir():
        return dg.SkipReason(f"raw folder {paths.raw_dir} does not exist")
    known = content_ids(context.instance.get_dynamic_partitions(document_partitions.name))
    documents = scan_raw_dir(paths.raw_dir, paths.state_dir)
    new_keys = [doc.partition_key for doc in documents if content_id(doc.partition_key) not in known]
    if not new_keys:
        return dg.SkipReason(f"no new PDF content among {len(documents)} document(s) in {paths.raw_dir}")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=key, run_key=key) for key in new_keys],
        dynamic_partitions_requests=[document_partitions.build_add_request(new_keys)],
    )


@dg.schedule(
    job=extract_job,
    cron_schedule="0 3 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Backstop: extract every document on disk whose landing partition was never materialized.",
)
def daily_rescan(context: dg.ScheduleEvaluationContext, warehouse_paths: WarehousePaths):
    paths = warehouse_paths.paths()
    if not paths.raw_dir.is_dir():
        return dg.SkipReason(f"raw folder {paths.raw_dir} does not exist")
    instance = context.instance
    on_disk = [doc.partition_key for doc in scan_raw_dir(paths.raw_dir, paths.state_dir)]
    done = content_ids(instance.get_materialized_partitions(landing_key("documents")))
    done |= content_ids(partitions_in_flight(instance, extract_job.name))
    todo = [key for key in on_disk if content_id(key) not in done]
    if not todo:
        return dg.SkipReason(f"all {len(on_disk)} document(s) on disk have been extracted or are extracting")
    known = set(instance.get_dynamic_partitions(document_partitions.name))
    unregistered = [key for key in todo if key not in known]
    if unregistered:
        # Files the sensor never saw (it was stopped); a schedule cannot return partition requests.
        register_documents(instance, unregistered)
    day = context.scheduled_execution_time.strftime("%Y-%m-%d") if context.scheduled_execution_time else "manual"
    # One attempt per partition per day: a run key per day, so a failure is retried tomorrow.
    return [dg.RunRequest(partition_key=key, run_key=f"rescan-{day}-{key}") for key in todo]


def content_id(partition_key: str) -> str:
    """The content-hash suffix of a partition key (`ingest.discovery.partition_key_for`).

    Triggers compare documents by content, not by the readable prefix: that prefix comes from the
    document's first path in sort order, so a copy of a known file under a name that sorts first
    would otherwise look like a new document (and be extracted twice).
    """
    return partition_key.rsplit("-", 1)[-1]


def content_ids(partition_keys) -> set[str]:
    return {content_id(key) for key in partition_keys}


def partitions_in_flight(instance: dg.DagsterInstance, job_name: str) -> set[str]:
    runs = instance.get_runs(dg.RunsFilter(job_name=job_name, statuses=UNFINISHED_RUN_STATUSES))
    return {run.tags[PARTITION_TAG] for run in runs if PARTITION_TAG in run.tags}


warehouse_automation_sensor = dg.AutomationConditionSensorDefinition(
    "warehouse_automation_sensor",
    target=dg.AssetSelection.assets(budget_dbt_models, analyst_report),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Rebuilds the warehouse after extraction lands new Parquet (see the dbt translator), then the report.",
)


RUN_FAILURES_KEY = dg.AssetKey(["landing", "run_failures"])


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each failed run as rows of `<landing>/run_failures/<run_id>.parquet`.",
)
def run_failure_recorder(context: dg.RunFailureSensorContext, warehouse_paths: WarehousePaths):
    rows = run_failure_rows(context)
    target = write_run_failure(warehouse_paths.paths().landing_dir, context.dagster_run.run_id, rows)
    # the landing table changed outside any run: say so, so ops.run_failures is rebuilt by automation
    context.instance.report_runless_asset_event(
        dg.AssetMaterialization(asset_key=RUN_FAILURES_KEY, metadata={"run_id": context.dagster_run.run_id})
    )
    context.log.info(f"recorded {len(rows)} failure row(s) of run {context.dagster_run.run_id} in {target}")


def run_failure_rows(context: dg.RunFailureSensorContext) -> list[dict]:
    """One row per failed step; one row for the run itself if it failed outside any step."""
    run = context.dagster_run
    instance = context.instance
    planned = instance.get_records_for_run(
        run_id=run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
    ).records
    assets_by_step: dict[str | None, set[str]] = {}
    for record in planned:
        event = record.event_log_entry.dagster_event
        if event and event.asset_key:
            assets_by_step.setdefault(event.step_key, set()).add(event.asset_key.to_user_string())
    base = {"run_id": run.run_id, "job_name": run.job_name, "partition_key": run_partition(run.tags)}
    rows = []
    failures = instance.get_records_for_run(run_id=run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    for record in failures:
        entry = record.event_log_entry
        event = entry.dagster_event
        error_type, error = error_summary(event.step_failure_data.error if event else None)
        rows.append(
            base
            | {
                "step_key": entry.step_key,
                "asset_keys": joined(assets_by_step.get(entry.step_key, set())),
                "error_type": error_type,
                "error": error or first_line(entry.user_message),
                "failed_at": utc(entry.timestamp),
            }
        )
    if not rows:
        failure = context.failure_event
        error_type, error = error_summary(getattr(failure.event_specific_data, "error", None))
        rows.append(
            base
            | {
                "step_key": None,
                "asset_keys": joined(set().union(*assets_by_step.values())),
                "error_type": error_type,
                "error": error or first_line(failure.message),
                "failed_at": datetime.now(UTC).replace(tzinfo=None),
            }
        )
    return rows


def joined(asset_keys: set[str]) -> str | None:
    return ", ".join(sorted(asset_keys)) or None


def run_partition(tags: dict[str, str]) -> str | None:
    if PARTITION_TAG in tags:
        return tags[PARTITION_TAG]
    if RANGE_START_TAG in tags:
        return f"{tags[RANGE_START_TAG]}...{tags.get(RANGE_END_TAG, '')}"
    return None


def error_summary(error) -> tuple[str | None, str | None]:
    """The user's error (unwrapped from Dagster's step-execution wrappers): class and first line."""
    if error is None:
        return None, None
    while error.cause is not None and error.cls_name in DAGSTER_WRAPPERS:
        error = error.cause
    return error.cls_name, first_line(error.message)


def first_line(text: str | None) -> str | None:
    """First non-blank line; for a dbt failure, the first error dbt logged (it names the model)."""
    text = ANSI_ESCAPE.sub("", text or "")
    if DBT_ERRORS_HEADER in text:
        text = text.split(DBT_ERRORS_HEADER, 1)[1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return DOT_LEADER.sub(" ", lines[0]) if lines else None


def utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


sensors = [raw_folder_sensor, warehouse_automation_sensor, run_failure_recorder]
run_failures_landing = dg.AssetSpec(
    RUN_FAILURES_KEY,
    description="Landing Parquet `run_failures`: one file per failed run, written by `run_failure_recorder`.",
    group_name="ingest",
    kinds={"parquet"},
)
schedules = [daily_rescan]
