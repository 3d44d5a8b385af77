"""Run the code location's jobs in-process: the path shared by the CLI, the tests and the benchmark."""

from __future__ import annotations

import gc
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.defs.dbt_fork import has_warm_child, warm_dbt_child
from orchestration.defs.dbt_parse_state import SAVED_PARSE, ensure_manifest
from orchestration.defs.partitions import document_partitions, register_documents
from orchestration.ingest.discovery import RawDocument, scan_raw_dir
from orchestration.ingest.landed import already_landed
from orchestration.ingest.workers import discard_preforked_workers, preforked_workers
from orchestration.settings import DBT_PROJECT_DIR, Paths
from orchestration.warehouse.freshness import is_up_to_date, record_build

# The CLI prints its own summary; Dagster's console logger would bury it under DEBUG events.
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def default_instance() -> dg.DagsterInstance:
    """The instance in $DAGSTER_HOME (run history and pool limits shared with the UI), else a throwaway one."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    from orchestration.throwaway_instance import throwaway_instance  # Dagster's storage modules: only here

    return throwaway_instance()


@dataclass
class PipelineResult:
    documents: list[RawDocument]
    extract_succeeded: bool
    warehouse_built: bool
    warehouse_error: str | None = None
    run_ids: list[str] = field(default_factory=list)
    warehouse_rebuilt: bool = True


def pending_partitions(instance: dg.DagsterInstance, paths: Paths, documents: list[RawDocument]) -> list[str]:
    """Partitions whose content or extractor changed since they were landed, in the instance's order.

    A run over a range covers every partition between its ends; documents already landed inside it
    are skipped by the asset itself. When nothing is pending there is no extraction run at all.
    """
    current = {doc.partition_key for doc in already_landed(paths.landing_dir, documents)}
    pending = {doc.partition_key for doc in documents} - current
    return [key for key in instance.get_dynamic_partitions(document_partitions.name) if key in pending]


def run_pipeline(
    paths: Paths, instance: dg.DagsterInstance | None = None, *, freeze_start_up_heap: bool = False
) -> PipelineResult:
    """One run extracts what is pending and builds the warehouse; a build alone when only landing changed.

    If extraction fails outright its run skips the build, which then runs on its own over what did land,
    as the automation would. With nothing pending and the warehouse built from what is landed, no run at
    all, and the code location (dagster-dbt, the extraction code) is not even imported.

    `freeze_start_up_heap` is for a process that exists for this one call (the CLI), started with the
    cyclic collector paused: once the code location is loaded, everything loaded so far is frozen out of
    the collector's reach and collection resumes (`resume_collector`).
    """
    paths.export_env()
    instance = instance or default_instance()
    documents = scan_raw_dir(paths.raw_dir, paths.state_dir)
    if documents:
        register_documents(instance, [doc.partition_key for doc in documents])
    pending = pending_partitions(instance, paths, documents)
    current_keys = [doc.partition_key for doc in documents]
    result = PipelineResult(documents, extract_succeeded=True, warehouse_built=True, warehouse_rebuilt=False)
    if not pending and is_up_to_date(paths, current_keys):
        return result
    return _run_jobs(paths, instance, pending, current_keys, result, freeze_start_up_heap)


def _run_jobs(
    paths: Paths,
    instance: dg.DagsterInstance,
    pending: list[str],
    current_keys: list[str],
    result: PipelineResult,
    freeze_start_up_heap: bool,
) -> PipelineResult:
    with ExitStack() as helpers:
        _fork_helpers(helpers, len(pending))
        from orchestration.definitions import defs  # needs the dbt manifest
        from orchestration.defs.dbt import budget_dbt_models
        from orchestration.defs.extract import extract_documents

        if freeze_start_up_heap:
            resume_collector()

        build = None
        if pending:
            run = defs.resolve_job_def("ingest_and_build_job").execute_in_process(
                instance=instance,
                run_config=QUIET_LOGS,
                tags={
                    "dagster/asset_partition_range_start": pending[0],
                    "dagster/asset_partition_range_end": pending[-1],
                },
                raise_on_error=False,
            )
            result.run_ids.append(run.run_id)
            discard_preforked_workers()  # before a build of its own forks dbt's child
            result.extract_succeeded = run.is_node_success(extract_documents.op.name)
            build_step = budget_dbt_models.op.name
            if run.is_node_success(build_step) or run.is_node_failed(build_step):  # else skipped: extraction failed
                build = run
        if build is None:
            if is_up_to_date(paths, current_keys):
                return result
            build = defs.resolve_job_def("build_warehouse_job").execute_in_process(
                instance=instance, run_config=QUIET_LOGS, raise_on_error=False
            )
            result.run_ids.append(build.run_id)
    result.warehouse_rebuilt = True
    result.warehouse_built = build.is_node_success(budget_dbt_models.op.name)
    if result.warehouse_built:
        record_build(paths, current_keys)
    else:
        result.warehouse_error = step_error(build, budget_dbt_models.op.name)
    return result


def _fork_helpers(stack: ExitStack, pending: int) -> None:
    """Fork the processes the run will hand work to before the code location makes this process heavy.

    The extraction workers (ingest/workers.py) then start without dagster-dbt and the code location in
    their memory. When fewer documents than cores leave a core idle until the build, dbt's child warms
    up on that core (defs/dbt_fork.py); the CLI forked it, and the early extraction child for a lone
    document, before it imported Dagster (head_start.py), so here it is forked only for a caller that
    did not. It goes first: a worker pool keeps threads in this process.
    """
    cores = os.cpu_count() or 1
    workers = min(pending, cores)
    ensure_manifest()  # imports neither dbt nor dagster-dbt: a parse, when needed, is a `dbt parse` process
    if 0 < pending < cores and not has_warm_child(DBT_PROJECT_DIR):
        stack.enter_context(warm_dbt_child(DBT_PROJECT_DIR, DBT_PROJECT_DIR, DBT_PROJECT_DIR / "target" / SAVED_PARSE))
    if workers > 1:
        stack.enter_context(preforked_workers(workers))


def resume_collector() -> None:
    """Freeze the heap built so far, then let the cyclic collector run again.

    Loading Dagster, dagster-dbt and the code location allocates about half a million
    objects that live until the process ends. With the collector on, it walked them about 950 times in a
    one-document run, including full passes of 0.2 s each during the run: 1.0 s of that run's 11 s,
    measured with `gc.callbacks`. Frozen objects are still freed by reference counting; only a reference
    cycle among them would stay until exit.
    """
    gc.freeze()
    gc.enable()


def step_error(run: dg.ExecuteInProcessResult, step: str) -> str:
    from orchestration.defs.automation import first_line

    failure = run.failure_data_for_node(step)
    return (first_line(failure.error.message) if failure and failure.error else None) or "unknown error"


@dataclass
class FetchRunResult:
    run_id: str
    succeeded: bool
    records: list[dict]  # the run's fetch log (warehouse/landing.FETCH_COLUMNS)
    error: str | None = None


def run_fetch(paths: Paths, sources_file: Path, instance: dg.DagsterInstance | None = None) -> FetchRunResult:
    """Run `fetch_from_publishers_job` (the asset the daily schedule runs) and read back the run's fetch log."""
    paths.export_env()
    instance = instance or default_instance()
    ensure_manifest()  # the code location loads the dbt assets
    from orchestration.definitions import defs
    from orchestration.defs.fetch import fetch_from_publishers, fetch_run_config
    from orchestration.fetch.log import LOG_TABLE, read_fetch_log

    run = defs.resolve_job_def("fetch_from_publishers_job").execute_in_process(
        instance=instance, run_config=QUIET_LOGS | fetch_run_config(sources_file), raise_on_error=False
    )
    log_file = paths.landing_dir / LOG_TABLE / f"{run.run_id}.parquet"
    records = read_fetch_log(log_file) if log_file.exists() else []
    step = fetch_from_publishers.op.name
    error = None if run.success else step_error(run, step)
    return FetchRunResult(run.run_id, run.success, records, error)
