"""Is the warehouse already built from exactly what is landed? Then a rebuild would change nothing.

The fingerprint covers the landing Parquet files (names, sizes, modification times), the raw
folder's current documents and the dbt project's own files, so new data, a removed file or changed
models all trigger a build.
"""

from __future__ import annotations

import hashlib
import json

from orchestration.ingest.discovery import read_json
from orchestration.settings import Paths, dbt_project_files

STATE_FILE = "warehouse_build.json"


def build_fingerprint(paths: Paths, partition_keys: list[str]) -> str:
    """Landing files, the raw folder's current documents (a removal changes nothing landed) and dbt's files."""
    digest = hashlib.sha256()
    digest.update("\n".join(sorted(partition_keys)).encode())
    for path in sorted(paths.landing_dir.rglob("*.parquet")):
        stat = path.stat()
        digest.update(f"{path.relative_to(paths.landing_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    for path in dbt_project_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_up_to_date(paths: Paths, partition_keys: list[str]) -> bool:
    state = read_json(paths.state_dir / STATE_FILE)
    return paths.warehouse.exists() and state.get(str(paths.warehouse)) == build_fingerprint(paths, partition_keys)


def record_build(paths: Paths, partition_keys: list[str]) -> None:
    state_file = paths.state_dir / STATE_FILE
    state = read_json(state_file)
    state[str(paths.warehouse)] = build_fingerprint(paths, partition_keys)
    paths.state_dir.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, indent=1))
