"""Resources: where the raw PDFs and the warehouse are, and the dbt CLI."""

from __future__ import annotations

import importlib.metadata
import sys
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

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


class WarehouseDbtCliResource(DbtCliResource):
    """dbt CLI without the two things dagster-dbt does in our process before each command.

    It asks `dbt --version` in a subprocess (seconds of start-up per build), and it opens a dbt adapter
    in-process for optional metadata, which for dbt-duckdb means a connection to the warehouse file
    from the orchestrating process while the dbt subprocess writes it: DuckDB's one-writer rule makes
    that a lock fight. dbt-core is a dependency of this package, so its version is known; the
    metadata it would fetch is not used.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def build_resources(raw_dir: str = "", warehouse: str = "") -> dict:
    return {
        "warehouse_paths": WarehousePaths(raw_dir=raw_dir, warehouse=warehouse),
        "dbt": WarehouseDbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.project_dir),
            # the venv's dbt, whether or not the venv is activated (make, CI, the UI)
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
        ),
    }
