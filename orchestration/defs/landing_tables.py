"""The landing tables the extraction asset writes, one asset key each, read by dbt as sources."""

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


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])
