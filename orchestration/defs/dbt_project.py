"""The one DbtProject of the code location; its parse state is kept by defs/dbt_parse_state.py."""

from __future__ import annotations

from orchestration.defs.dagster_dbt_only import DbtProject
from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
