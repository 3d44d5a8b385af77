"""Shared fixtures. The real corpus is read in place from ../shared/corpus (BUDGET_CORPUS_DIR)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import PROJECT_ROOT, corpus_dir

BUDGET_ETL = Path(sys.executable).with_name("budget-etl")


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "jiangsu").is_dir():
        pytest.skip(f"corpus not found at {path} (set BUDGET_CORPUS_DIR)")
    return path


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BUDGET_ETL), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        timeout=1200,
    )


@pytest.fixture(scope="session")
def corpus_warehouse(corpus: Path, tmp_path_factory) -> Path:
    """The whole corpus run once through `budget-etl run` into a temporary warehouse."""
    warehouse = tmp_path_factory.mktemp("corpus") / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(corpus), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    return warehouse


@pytest.fixture()
def corpus_db(corpus_warehouse: Path):
    with duckdb.connect(str(corpus_warehouse), read_only=True) as con:
        yield con
