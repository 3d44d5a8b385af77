"""Run the code location's jobs in-process: the path shared by the CLI, the tests and the benchmark."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import dagster as dg

from orchestration.defs.dbt_project import ensure_manifest
from orchestration.ingest.discovery import RawDocument, scan_raw_dir
from orchestration.ingest.process import already_landed
from orchestration.settings import Paths
from orchestration.warehouse.freshness import is_up_to_date, record_build

# The CLI prints its own summary; Dagster's console logger would bury it under DEBUG events.
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def default_instance() -> dg.DagsterInstance:
    """The instance in $DAGSTER_HOME (run history and pool limits shared with the UI), else a throwaway one."""
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


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
    return [key for key in instance.get_dynamic_partitions("documents") if key in pending]


def run_pipeline(paths: Paths, instance: dg.DagsterInstance | None = None) -> PipelineResult:
    paths.export_env()
    ensure_manifest()
    from orchestration.definitions import defs  # needs the dbt manifest
    from orchestration.defs.automation import first_line

    instance = instance or default_instance()
    documents = scan_raw_dir(paths.raw_dir, paths.state_dir)
    run_ids = []
    extract_ok = True
    if documents:
        instance.add_dynamic_partitions("documents", [doc.partition_key for doc in documents])
    pending = pending_partitions(instance, paths, documents)
    if pending:
        extract = defs.resolve_job_def("extract_documents_job").execute_in_process(
            instance=instance,
            run_config=QUIET_LOGS,
            tags={
                "dagster/asset_partition_range_start": pending[0],
                "dagster/asset_partition_range_end": pending[-1],
            },
            raise_on_error=False,
        )
        run_ids.append(extract.run_id)
        extract_ok = extract.success
    current_keys = [doc.partition_key for doc in documents]
    if is_up_to_date(paths, current_keys):
        return PipelineResult(documents, extract_ok, True, None, run_ids, warehouse_rebuilt=False)
    build = defs.resolve_job_def("build_warehouse_job").execute_in_process(
        instance=instance, run_config=QUIET_LOGS, raise_on_error=False
    )
    run_ids.append(build.run_id)
    error = None
    if build.success:
        record_build(paths, current_keys)
    else:
        failures = [event for event in build.all_events if event.is_step_failure]
        error = (first_line(failures[0].step_failure_data.error.message) if failures else None) or "unknown error"
    return PipelineResult(documents, extract_ok, build.success, error, run_ids)
