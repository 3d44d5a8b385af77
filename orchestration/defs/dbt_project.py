"""The one DbtProject of the code location, and how its manifest gets built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR, dbt_project_files

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in dbt_project_files(project_dir))


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """`prepare_if_dev()` only runs under `dagster dev`; the CLI and tests call this instead."""
    if manifest_is_stale(project_dir):
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [str(dbt), "parse", "--quiet", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)],
            check=True,
            cwd=project_dir,
        )
    return project_dir / "target" / "manifest.json"
