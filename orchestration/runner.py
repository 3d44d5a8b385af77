"""Run the code location's jobs in-process: the path shared by the CLI, the tests and the benchmark.

It decides only which partitions a run covers and whether a build is due; the jobs, assets and
checks are the ones `dagster dev` loads (orchestration/definitions.py).
"""

from __future__ import annotations

import os
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.defs.dbt_parse_state import ensure_manifest
from orchestration.defs.partitions import document_partitions, register_documents
from orchestration.ingest.discovery import RawDocument, scan_raw_dir
from orchestration.ingest.landed import already_landed
from orchestration.settings import Paths
from orchestration.warehouse.freshness import is_up_to_date, record_build


def run_config(verbose: bool) -> dict:
    """The CLI prints its own summary; Dagster's console logger would bury it under DEBUG events."""
    return {"loggers": {"console": {"config": {"log_level": "INFO" if verbose else "WARNING"}}}}


def default_instance() -> dg.DagsterInstance:
    """The instance in $DAGSTER_HOME (run history and pool limits shared with the UI), else an ephemeral one."""
    if os.environ.get("DAGSTER_HOME"):
        Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


@dataclass
class PipelineResult:
    documents: list[RawDocument]
    extract_succeeded: bool
    warehouse_built: bool
    warehouse_error: str | None = None
    run_ids: list[str] = field(default_factory=list)
    warehouse_rebuilt: bool = True


def pending_partitions(instance: dg.DagsterInstance, paths: Paths, documents: list[RawDocument]) -> list[str]:
    """Partitions not landed in this warehouse with their content and the current extractor, in the
    instance's order.

    The landing zone, not the instance, is asked: partition status is the instance's, shared by every
    warehouse that uses it, while each warehouse lands its own documents. A run over a range covers
    every partition between its ends; documents already landed inside it are skipped by the asset.
    """
    current = {doc.partition_key for doc in already_landed(paths.landing_dir, documents)}
    pending = {doc.partition_key for doc in documents} - current
    return [key for key in instance.get_dynamic_partitions(document_partitions.name) if key in pending]


def run_pipeline(paths: Paths, instance: dg.DagsterInstance | None = None, *, verbose: bool = True) -> PipelineResult:
    """One run extracts what is pending and builds the warehouse; a build alone when only landing changed.

    If extraction fails outright its run skips the build, which then runs on its own over what did land,
    as the automation would. With nothing pending and the warehouse built from what is landed, no run.
    Without `verbose`, what dbt prints (its node-by-node log, also in the target folder's dbt.log) is
    left out of this process's output.
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
    ensure_manifest()  # the code location reads it
    with ExitStack() as stack:
        if not verbose:
            stack.enter_context(redirect_stdout(stack.enter_context(open(os.devnull, "w"))))
        return _run_jobs(paths, instance, pending, current_keys, result, verbose)


def _run_jobs(
    paths: Paths,
    instance: dg.DagsterInstance,
    pending: list[str],
    current_keys: list[str],
    result: PipelineResult,
    verbose: bool,
) -> PipelineResult:
    from orchestration.definitions import defs
    from orchestration.defs.dbt import budget_dbt_models
    from orchestration.defs.extract import extract_documents

    build = None
    if pending:
        run = defs.resolve_job_def("ingest_and_build_job").execute_in_process(
            instance=instance,
            run_config=run_config(verbose),
            tags={
                "dagster/asset_partition_range_start": pending[0],
                "dagster/asset_partition_range_end": pending[-1],
            },
            raise_on_error=False,
        )
        result.run_ids.append(run.run_id)
        result.extract_succeeded = run.is_node_success(extract_documents.op.name)
        build_step = budget_dbt_models.op.name
        if run.is_node_success(build_step) or run.is_node_failed(build_step):  # else skipped: extraction failed
            build = run
    if build is None:
        if is_up_to_date(paths, current_keys):
            return result
        build = defs.resolve_job_def("build_warehouse_job").execute_in_process(
            instance=instance, run_config=run_config(verbose), raise_on_error=False
        )
        result.run_ids.append(build.run_id)
    result.warehouse_rebuilt = True
    result.warehouse_built = build.is_node_success(budget_dbt_models.op.name)
    if result.warehouse_built:
        record_build(paths, current_keys)
    else:
        result.warehouse_error = step_error(build, budget_dbt_models.op.name)
    return result


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
        instance=instance, run_config=run_config(verbose=False) | fetch_run_config(sources_file), raise_on_error=False
    )
    log_file = paths.landing_dir / LOG_TABLE / f"{run.run_id}.parquet"
    records = read_fetch_log(log_file) if log_file.exists() else []
    step = fetch_from_publishers.op.name
    error = None if run.success else step_error(run, step)
    return FetchRunResult(run.run_id, run.success, records, error)
