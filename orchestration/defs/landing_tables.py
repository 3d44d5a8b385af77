"""The landing tables the extraction asset writes (Parquet folders), and the Dagster assets they make up."""

from __future__ import annotations

import dagster as dg

from orchestration.extraction.registry import get_registry
from orchestration.warehouse.landing import LINE_TABLES_FOLDER

# Line tables are the registry's extracted table types; dbt_project.yml's `line_tables` names the same
# (tests/integration/test_definitions.py keeps the two in step). A document's line tables land together,
# in one file of the `table_lines` folder (warehouse/landing.py).
LINE_TABLES = [key for key, spec in get_registry().tables.items() if spec.extract]

# The landing tables the extraction writes, one folder each, and as many Dagster assets: Dagster stores one
# event per asset and partition, so a run over N documents records 6 N materializations (a bare multi-asset over
# 300 partitions took 20.8 s with 15 assets and 8.3 s with 6 on an ephemeral instance, 84 s with 15 on a SQLite
# DAGSTER_HOME). dagster-dbt maps each dbt source to an asset key of its own, so six is the fewest.
LANDING_TABLES = [
    LINE_TABLES_FOLDER,
    "narrative_figures",
    "document_tables",
    "check_results",
    "reconciliation_failures",
    "documents",
]


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])
