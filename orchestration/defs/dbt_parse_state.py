"""Whether dbt's parse of the project (`target/manifest.json`) is current, and parsing it when not.

The code location reads the manifest when it loads, so it must exist and describe the project's files
before Dagster starts: `make manifest`, the CLI and the tests call `ensure_manifest`, which runs
`dbt parse` only when a file dbt reads has changed (by content). dagster-dbt's `prepare_if_dev()` does the
same under `dagster dev`. The parse also leaves dbt's `partial_parse.msgpack`, which dagster-dbt copies
into each warehouse's target folder so that its first build parses only what changed.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, dbt_project_files

SAVED_PARSE = "partial_parse.msgpack"  # dbt's own serialized parse of the project, in target/
# Beside it: the digest of the files it was parsed from.
PARSED_FILES_STAMP = "parsed_files.sha256"


def project_files_digest(project_dir: Path = DBT_PROJECT_DIR) -> str:
    digest = hashlib.sha256()
    for path in dbt_project_files(project_dir):
        digest.update(f"{path.relative_to(project_dir)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def parse_state_is_current(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """dbt's saved parse of the project still describes every file dbt reads (contents, not times)."""
    target = project_dir / "target"
    stamp = target / PARSED_FILES_STAMP
    return (
        (target / "manifest.json").exists()
        and (target / SAVED_PARSE).exists()
        and stamp.exists()
        and stamp.read_text() == project_files_digest(project_dir)
    )


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Parse the project when its files changed: `make manifest`, the CLI and tests call this."""
    if not parse_state_is_current(project_dir):
        digest = project_files_digest(project_dir)
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [str(dbt), "parse", "--quiet", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)],
            check=True,
            cwd=project_dir,
        )
        (project_dir / "target" / PARSED_FILES_STAMP).write_text(digest)
    return project_dir / "target" / "manifest.json"
