"""Jobs: extraction per document partition, the warehouse build, and both in one run for the CLI."""

import dagster as dg

from orchestration.defs.dbt import budget_dbt_models
from orchestration.defs.extract import extract_documents
from orchestration.defs.report import analyst_report

extract_job = dg.define_asset_job(
    "extract_documents_job",
    selection=dg.AssetSelection.assets(extract_documents),
    description="Extract, validate and land the PDFs of the given document partitions.",
)

warehouse_job = dg.define_asset_job(
    "build_warehouse_job",
    selection=dg.AssetSelection.assets(budget_dbt_models, analyst_report),
    description="dbt build: staging, marts, ops tables and their tests, from everything landed; then the report.",
)

# One run instead of an extraction run followed by a build run: a run's creation, planning and event
# bookkeeping cost about a second, which is most of what a daily run of a few new files pays.
ingest_and_build_job = dg.define_asset_job(
    "ingest_and_build_job",
    selection=dg.AssetSelection.assets(extract_documents, budget_dbt_models, analyst_report),
    description="Extract the given document partitions, dbt build the warehouse from everything landed, the report.",
)
