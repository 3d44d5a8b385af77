"""The landing tables the extraction asset writes, one asset key each, read by dbt as sources."""

from __future__ import annotations

import dagster as dg

# Line tables, named after the registry's table types; dbt's sources.yml declares the same names.
LINE_TABLES = [
    "overall",
    "expenditure_summary",
    "function_general_public",
    "function_fiscal_appropriation",
    "function_government_fund",
]
LANDING_TABLES = [*LINE_TABLES, "document_tables", "check_results", "reconciliation_failures", "documents"]


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])
