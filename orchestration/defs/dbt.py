"""dbt models as Dagster assets: staging, intermediate and marts, built with `dbt build` so tests run too."""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.dbt_project import dbt_project
from orchestration.defs.landing_tables import LANDING_TABLES
from orchestration.defs.resources import WarehousePaths
from orchestration.warehouse.landing import ensure_schema_files

# DuckDB allows one writing process per file: every asset that writes the warehouse joins this pool.
WAREHOUSE_WRITER_POOL = "duckdb_warehouse"


class BudgetDbtTranslator(DagsterDbtTranslator):
    """Groups dbt models by their folder; sources map to the landing assets via `meta.dagster.asset_key`."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props.get("resource_type") in ("model", "seed", "snapshot"):
            folder = props.get("fqn", ["", "marts"])[1] if len(props.get("fqn", [])) > 2 else "marts"
            spec = spec.replace_attributes(group_name="ops" if folder == "ops" else ("marts" if folder == "marts" else "warehouse"))
        return spec


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=BudgetDbtTranslator(),
    pool=WAREHOUSE_WRITER_POOL,
)
def budget_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse_paths: WarehousePaths):
    """Staging, intermediate and mart models of the warehouse, and their dbt tests."""
    paths = warehouse_paths.paths()
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    ensure_schema_files(paths.landing_dir, LANDING_TABLES)
    yield from dbt.cli(dbt_build_args(), context=context).stream()
