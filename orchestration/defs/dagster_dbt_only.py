"""dagster-dbt for the Dagster process, imported without dbt-core: dbt itself runs in a child process.

dagster-dbt 0.29 needs dbt-core only as an optional extra (`dagster-dbt[dbt-core]`): without it, it reads the
manifest and the JSON events of a dbt CLI it runs elsewhere, the set-up its docs give for dbt in an
environment of its own. With dbt-core importable it imports it at once (`dagster_dbt.compat`, ≈ 1.3-2.2 s of
every run process and code server) and uses it for one thing here: evaluating the asset selection, whose
default (every node) the manifest answers as well. Every build runs dbt in a child (defs/dbt_fork.py), and
the CLI forks that child before it imports Dagster, so the run process never needs dbt-core.

dbt-core stays installed in the same environment, for that child and for `make`; it is hidden from
dagster-dbt only while dagster-dbt is imported. Where dbt is already imported (a test that ran dbt in
process first), dagster-dbt is imported as usual: either way it reads the same events
(tests/integration/test_dagster_dbt_only.py).
"""

from __future__ import annotations

import sys


def _import_dagster_dbt_without_dbt_core() -> None:
    if "dagster_dbt" in sys.modules or "dbt" in sys.modules:
        return
    sys.modules["dbt"] = None  # type: ignore[assignment]  # any `import dbt…` raises ImportError meanwhile
    try:
        import dagster_dbt  # noqa: F401
    finally:
        del sys.modules["dbt"]


_import_dagster_dbt_without_dbt_core()

from dagster_dbt import (  # noqa: E402
    DagsterDbtTranslator,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.asset_utils import (  # noqa: E402
    DAGSTER_DBT_EXCLUDE_METADATA_KEY,
    DAGSTER_DBT_SELECT_METADATA_KEY,
    DAGSTER_DBT_SELECTOR_METADATA_KEY,
    DBT_INDIRECT_SELECTION_ENV,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)

__all__ = [
    "DAGSTER_DBT_EXCLUDE_METADATA_KEY",
    "DAGSTER_DBT_SELECTOR_METADATA_KEY",
    "DAGSTER_DBT_SELECT_METADATA_KEY",
    "DBT_INDIRECT_SELECTION_ENV",
    "DagsterDbtTranslator",
    "DbtCliInvocation",
    "DbtCliResource",
    "DbtProject",
    "dbt_assets",
    "get_manifest_and_translator_from_dbt_assets",
    "get_subset_selection_for_context",
]
