"""Fetching from the publishers: the asset upstream of `raw/budget_pdfs`, its job and its daily schedule.

The asset downloads what is new from the sources in sources.yaml into `<raw>/fetched/<source>/` and writes
the poll's log to `<landing>/fetches/<run_id>.parquet` (dbt: `ops.fetches`). What it saves is registered
like any PDF dropped into the raw folder: by `raw_folder_sensor`, or by the next `budget-etl run`.
"""

import os
from collections import Counter
from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.defs.resources import WarehousePaths
from orchestration.settings import PROJECT_ROOT

FETCHED_KEY = dg.AssetKey(["raw", "fetched_from_publishers"])
SOURCES_ENV = "BUDGET_SOURCES"
MAX_RECORDS_IN_METADATA = 100


def sources_file(configured: str = "") -> Path:
    """The run's sources file: as configured, else $BUDGET_SOURCES, else sources.yaml at the project root."""
    return Path(configured or os.environ.get(SOURCES_ENV) or PROJECT_ROOT / "sources.yaml").resolve()


class FetchConfig(dg.Config):
    sources: str = Field(default="", description="YAML file of sources; default $BUDGET_SOURCES or sources.yaml")


@dg.asset(
    key=FETCHED_KEY,
    description="New disclosure PDFs downloaded from the publishers' pages listed in sources.yaml into "
    "<raw>/fetched/<source>/ (politely: robots.txt, conditional GET, one request at a time per host), "
    "and the poll's log (landing `fetches`, dbt `ops.fetches`).",
    group_name="ingest",
    kinds={"python", "pdf", "parquet"},
    owners=["team:data-engineering"],
    tags={"layer": "raw"},
)
def fetch_from_publishers(
    context: dg.AssetExecutionContext, config: FetchConfig, warehouse_paths: WarehousePaths
) -> dg.MaterializeResult:
    """Poll every source once; a URL that fails is logged as failed and the poll goes on."""
    from orchestration.fetch.log import write_fetch_log  # httpx and selectolax: only when a poll runs
    from orchestration.fetch.poll import poll_sources
    from orchestration.fetch.sources import SourcesError, load_sources

    paths = warehouse_paths.paths()
    path = sources_file(config.sources)
    try:
        sources = load_sources(path)
    except SourcesError as error:
        raise dg.Failure(str(error)) from error
    records = poll_sources(sources, paths.raw_dir, paths.state_dir, on_record=lambda r: context.log.info(r.describe()))
    metadata = {
        "sources_file": str(path),
        "sources": len(sources),
        "outcomes": dg.MetadataValue.json(dict(Counter(record.outcome for record in records))),
    }
    if records:
        log = write_fetch_log(paths.landing_dir, context.run_id, records)
        metadata["fetch_log"] = dg.MetadataValue.path(str(log))
        metadata["records"] = dg.MetadataValue.md(
            "\n".join(f"- {record.describe()}" for record in records[:MAX_RECORDS_IN_METADATA])
        )
    return dg.MaterializeResult(metadata=metadata)


fetch_job = dg.define_asset_job(
    "fetch_from_publishers_job",
    selection=dg.AssetSelection.assets(fetch_from_publishers),
    description="Poll the publishers in sources.yaml; new PDFs land in the raw folder.",
)

fetch_daily = dg.ScheduleDefinition(
    name="fetch_daily",
    job=fetch_job,
    cron_schedule="0 2 * * *",  # before `daily_rescan` (03:00): anything fetched is extracted the same night
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Poll the publishers once a day; raw_folder_sensor then extracts what arrived.",
)


def fetch_run_config(sources: str | Path | None) -> dict:
    """Run config of `fetch_job` for a sources file (the CLI's --sources)."""
    return {"ops": {fetch_from_publishers.op.name: {"config": {"sources": str(sources or "")}}}}
