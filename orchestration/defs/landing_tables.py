"""The landing tables the extraction asset writes (Parquet folders), and the Dagster assets they make up."""

from __future__ import annotations

import dagster as dg

from orchestration.extraction.registry import get_registry

# Line tables are the registry's extracted table types; dbt's _sources.yml declares the same names
# (tests/integration/test_definitions.py keeps the two in step).
LINE_TABLES = [key for key, spec in get_registry().tables.items() if spec.extract]
LANDING_TABLES = [
    *LINE_TABLES,
    "narrative_figures",
    "document_tables",
    "check_results",
    "reconciliation_failures",
    "documents",
]


# The Dagster assets of the landing zone: the line tables are one asset, `table_lines` (dbt reads their folders
# as one source), so that a run over N documents records N materializations per asset for six assets, not
# nineteen: Dagster stores one event per asset and partition (a bare multi-asset over 300 partitions took 20.8 s
# with 15 assets and 8.3 s with 6 on an ephemeral instance, 84 s with 15 on a SQLite DAGSTER_HOME).
LANDING_ASSETS = ["table_lines", *(name for name in LANDING_TABLES if name not in LINE_TABLES)]


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])
