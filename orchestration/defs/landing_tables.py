"""The landing tables the extraction asset writes (Parquet folders), and how they appear in Dagster."""

from __future__ import annotations

import dagster as dg

from orchestration.extraction.registry import get_registry
from orchestration.warehouse.landing import LINE_TABLES_FOLDER

# Line tables are the registry's extracted table types; dbt_project.yml's `line_tables` names the same
# (tests/integration/test_definitions.py keeps the two in step). A document's line tables land together,
# in one file of the `table_lines` folder (warehouse/landing.py).
LINE_TABLES = [key for key, spec in get_registry().tables.items() if spec.extract]

# The landing tables the extraction writes, one folder each.
LANDING_TABLES = [
    LINE_TABLES_FOLDER,
    "narrative_figures",
    "document_tables",
    "check_results",
    "reconciliation_failures",
    "documents",
]
# The one asset the extraction materializes, a partition per document: `documents`, the table each document's
# files are committed by (warehouse/landing.py). Dagster records a planned and a materialization event per asset
# and partition, so six materialized landing assets cost 6 N events a run over N documents (300 documents: 49 s
# of a first run on a SQLite DAGSTER_HOME, ≈ 8 s on an ephemeral instance); the other five tables are asset specs
# downstream of it, and the dbt staging models that read them declare `documents` as a dependency (the rows of
# a document count only along with its `documents` row), so a landing rebuilds all of them.
EXTRACTED_TABLE = "documents"


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["landing", table])


def written_with_the_documents() -> list[dg.AssetSpec]:
    """The landing tables other than `documents`: written by the same step, in Dagster's graph downstream of it."""
    return [
        dg.AssetSpec(
            landing_key(table),
            deps=[landing_key(EXTRACTED_TABLE)],
            description=(
                "Landing Parquet of every line table: one file per document, `table_type` telling the tables apart."
                if table == LINE_TABLES_FOLDER
                else f"Landing Parquet `{table}`: a file per document with rows in it."
            )
            + f" Written by the extraction step with `{EXTRACTED_TABLE}`, which it materializes.",
            group_name="extract",
            kinds={"parquet"},
            tags={"layer": "landing"},
        )
        for table in LANDING_TABLES
        if table != EXTRACTED_TABLE
    ]
