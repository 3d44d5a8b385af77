"""Jobs: extraction per document partition, and the warehouse build."""

import dagster as dg

from orchestration.defs.dbt import budget_dbt_models
from orchestration.defs.extract import extract_documents

extract_job = dg.define_asset_job(
    "extract_documents_job",
    selection=dg.AssetSelection.assets(extract_documents),
    description="Extract, validate and land the PDFs of the given document partitions.",
)

warehouse_job = dg.define_asset_job(
    "build_warehouse_job",
    selection=dg.AssetSelection.assets(budget_dbt_models),
    description="dbt build: staging, marts, ops tables and their tests, from everything landed.",
)
