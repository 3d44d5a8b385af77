"""dbt models as Dagster assets: staging, intermediate and marts, built with `dbt build` so tests run too."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.dbt_project import dbt_project
from orchestration.defs.landing_tables import LANDING_TABLES
from orchestration.defs.resources import WarehousePaths
from orchestration.ingest.discovery import scan_raw_dir
from orchestration.progress import progress_bar
from orchestration.warehouse.connect import exclusive_writer, publish_copy, wait_until_writable
from orchestration.warehouse.landing import ensure_schema_files, write_raw_inventory

# DuckDB allows one writing process per file: every asset that writes the warehouse joins this pool.
WAREHOUSE_WRITER_POOL = "duckdb_warehouse"


class BudgetDbtTranslator(DagsterDbtTranslator):
    """Marts in group `marts`, everything else dbt builds in `warehouse`.

    Sources need no code here: `meta.dagster.asset_key` in `_sources.yml` maps each one to its landing
    asset (defs/landing_tables.py), so the lineage PDF → landing → staging → marts is one graph.
    """

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        fqn = props.get("fqn", [])
        folder = fqn[1] if len(fqn) > 2 else None
        # Evaluated by `warehouse_automation_sensor`; defs/automation.py explains why not `eager()`.
        condition = dg.AutomationCondition
        if props.get("resource_type") == "seed":
            # No upstream: load when first seen missing (once, even if that run fails) or when the CSV changes.
            automation = (
                (condition.missing().newly_true() | condition.code_version_changed()).since(
                    condition.newly_requested() | condition.newly_updated()
                )
                & ~condition.in_progress()
            ).with_label("load_seed")
        else:
            # Rebuild after extraction lands new Parquet.
            automation = (
                condition.any_deps_updated().since(condition.newly_requested() | condition.initial_evaluation())
                & ~condition.any_deps_in_progress()
                & ~condition.in_progress()
            ).with_label("rebuild_after_landing")
        return spec.replace_attributes(
            group_name="marts" if folder == "marts" else "warehouse",
            owners=["team:analytics"] if folder == "marts" else ["team:data-engineering"],
            tags={**spec.tags, "layer": folder or "seed"},
            automation_condition=automation,
        )


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    # dbt's advice: unit tests check model logic on fixed inputs, so they belong in CI (`make test` runs
    # them, tests/e2e/test_dbt_generic_tests.py), not in every production build, whose data they never read.
    args = ["build", "--exclude-resource-type", "unit_test"]
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
    paths.files_dir.mkdir(parents=True, exist_ok=True)
    ensure_schema_files(paths.landing_dir, [*LANDING_TABLES, "run_failures", "fetches"])
    write_raw_inventory(paths.landing_dir, scan_raw_dir(paths.raw_dir, paths.state_dir))
    with exclusive_writer(paths.warehouse):
        wait_until_writable(paths.warehouse)
        # the warehouse's own target folder, not a new one per invocation: the compiled SQL and dbt.log of the
        # last build are in one place, and dbt's partial parse saved there serves the next build
        build = dbt.cli(dbt_build_args(), context=context, target_path=paths.dbt_target_dir)
        nodes = len(context.selected_asset_keys) + len(context.selected_asset_check_keys)
        with progress_bar(nodes, "dbt build", "node") as bar:
            for event in build.stream():
                bar.update(1)
                yield event
        publish_copy(paths.warehouse, paths.analysts_warehouse)
    context.log.info(f"published {paths.analysts_warehouse} for analysts")
