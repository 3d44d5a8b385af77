"""Resources: where the raw PDFs and the warehouse are, and the dbt CLI."""

from __future__ import annotations

import importlib.metadata
import os
import sys
from functools import cached_property
from pathlib import Path

import dagster as dg
from packaging import version

from orchestration.defs.dagster_dbt_only import (
    DAGSTER_DBT_EXCLUDE_METADATA_KEY,
    DAGSTER_DBT_SELECT_METADATA_KEY,
    DAGSTER_DBT_SELECTOR_METADATA_KEY,
    DBT_INDIRECT_SELECTION_ENV,
    DbtCliInvocation,
    DbtCliResource,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)
from orchestration.defs.dbt_fork import ForkedDbtProcess, take_warm_child
from orchestration.defs.dbt_parse_state import SAVED_PARSE, ensure_manifest
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
    """dagster-dbt's dbt resource, building through `cli_in_fork` (dbt in a forked child, not a subprocess).

    dagster-dbt would ask `dbt --version` in a subprocess (seconds per build) for the version that
    decides how it reads dbt's events; dbt-core is a dependency of this package, so its installed
    version is read instead.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def cli_in_fork(self, args: list[str], *, context: dg.AssetExecutionContext, target_path: Path) -> DbtCliInvocation:
        """`cli(args, context=context, target_path=...)`, with dbt in a forked child (see defs/dbt_fork.py).

        The selection is dagster-dbt's own for the assets and checks this step materializes; it is
        passed to dbt as plain `--select/--exclude` (dagster-dbt switches to a generated selectors file
        for long selections only because a subprocess command line has a length limit).
        """
        manifest, translator, project = get_manifest_and_translator_from_dbt_assets([context.assets_def])
        selection_args, indirect_selection = get_subset_selection_for_context(
            context=context,
            manifest=manifest,
            select=context.op_execution_context.op.tags.get(DAGSTER_DBT_SELECT_METADATA_KEY),
            exclude=context.op_execution_context.op.tags.get(DAGSTER_DBT_EXCLUDE_METADATA_KEY),
            selector=context.op_execution_context.op.tags.get(DAGSTER_DBT_SELECTOR_METADATA_KEY),
            dagster_dbt_translator=translator,
            current_dbt_indirect_selection_env=os.getenv(DBT_INDIRECT_SELECTION_ENV),
        )
        project_dir = Path(self.project_dir)
        target_path = project_dir / target_path
        env = {
            **os.environ,
            "DAGSTER_DBT_CLI": "true",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_LOG_FORMAT": "json",  # what DbtCliInvocation reads from stdout
            # dbt.log as text at info level: what ran, how long, warnings and errors. Logging every SQL
            # statement (dbt's default, debug) cost about 0.4 s of a one-document build; the SQL of each
            # node is in <target>/run/ and <target>/compiled/. Override with DBT_LOG_LEVEL_FILE=debug.
            "DBT_LOG_FORMAT_FILE": "text",
            "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
            "DBT_TARGET_PATH": os.fspath(target_path),
            "DBT_LOG_PATH": os.fspath(target_path),
            "DBT_PROFILES_DIR": os.fspath(self.profiles_dir or project_dir),
            "DBT_PROJECT_DIR": os.fspath(project_dir),
            **({DBT_INDIRECT_SELECTION_ENV: indirect_selection} if indirect_selection else {}),
        }
        # parsed here only if a dbt file changed since the last parse (or `dagster dev` parsed without the stamp)
        ensure_manifest(project_dir)
        saved_parse = project_dir / "target" / SAVED_PARSE
        dbt_args = [*self.global_config_flags, *args, *selection_args]
        warm = take_warm_child(project_dir)
        process = warm.start(dbt_args, env) if warm else ForkedDbtProcess.fork(dbt_args, env, project_dir, saved_parse)
        context.log.info(
            f"Running dbt command in a {'pre-' if warm else ''}forked process: `{' '.join(process.args)}`."
        )
        return DbtCliInvocation(
            process=process,  # type: ignore[arg-type]  # the Popen interface DbtCliInvocation reads
            manifest=manifest,
            dagster_dbt_translator=translator,
            project_dir=project_dir,
            target_path=target_path,
            raise_on_error=True,
            cli_version=self._cli_version,
            project=project,
            context=context,
        )


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
