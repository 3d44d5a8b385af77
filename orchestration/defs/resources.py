"""Resources: where the raw PDFs and the warehouse are, and the dbt CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.dbt_project import dbt_project
from orchestration.settings import Paths, paths_from_env


class WarehousePaths(dg.ConfigurableResource):
    """Raw folder and warehouse file; empty strings fall back to BUDGET_RAW_DIR / BUDGET_WAREHOUSE / defaults."""

    raw_dir: str = ""
    warehouse: str = ""

    def paths(self) -> Paths:
        paths = paths_from_env(self.raw_dir or None, self.warehouse or None)
        paths.export_env()
        return paths


def build_resources(raw_dir: str = "", warehouse: str = "") -> dict:
    return {
        "warehouse_paths": WarehousePaths(raw_dir=raw_dir, warehouse=warehouse),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.project_dir),
            # the venv's dbt, whether or not the venv is activated (make, CI, the UI)
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
        ),
    }
