"""The Dagster code location: gathers assets, checks, jobs, triggers and resources from their modules."""

import dagster as dg

from orchestration.defs.automation import run_failures_landing, schedules, sensors
from orchestration.defs.dbt import budget_dbt_models
from orchestration.defs.extract import extract_documents, raw_pdfs
from orchestration.defs.fetch import fetch_daily, fetch_from_publishers, fetch_job
from orchestration.defs.jobs import extract_job, ingest_and_build_job, warehouse_job
from orchestration.defs.landing_tables import written_with_the_documents
from orchestration.defs.report import analyst_report
from orchestration.defs.resources import build_resources

defs = dg.Definitions(
    assets=[
        fetch_from_publishers,
        raw_pdfs,
        extract_documents,
        *written_with_the_documents(),
        run_failures_landing,
        budget_dbt_models,
        analyst_report,
    ],
    jobs=[fetch_job, extract_job, warehouse_job, ingest_and_build_job],
    sensors=sensors,
    schedules=[*schedules, fetch_daily],
    resources=build_resources(),
)
