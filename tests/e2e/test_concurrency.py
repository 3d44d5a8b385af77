"""Two runs launched at once on one warehouse: the pool of one slot serializes the warehouse writers,
both finish, and the marts equal a single run's."""

from __future__ import annotations

import os
import shutil
import subprocess

import duckdb
import pytest
from conftest import BUDGET_ETL

from orchestration.settings import PROJECT_ROOT

MARTS = ["fct_budget_summary", "fct_expenditure_by_function", "fct_three_public_expenses"]


def marts(warehouse) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: con.execute(f"select * from marts.{name} order by all").fetchall() for name in MARTS}


@pytest.fixture(scope="module")
def concurrent_runs(corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("concurrent")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    warehouse = root / "warehouse" / "budget.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    # as `make dagster-home` does in production: the instance and its pool's one slot exist before runs
    # arrive (two first-time inits of one sqlite home race, and so do two first claims of a default pool)
    dagster = str(BUDGET_ETL.with_name("dagster"))
    subprocess.run([dagster, "instance", "info"], env=env, check=True, capture_output=True)
    subprocess.run(
        [dagster, "instance", "concurrency", "set", "duckdb_warehouse", "1"], env=env, check=True, capture_output=True
    )
    command = [str(BUDGET_ETL), "run", "--raw-dir", str(corpus), "--warehouse", str(warehouse)]
    runs = [
        subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=1200) for run in runs]
    return {"codes": [run.returncode for run in runs], "outputs": outputs, "warehouse": warehouse, "home": home}


def test_both_runs_finish_without_lock_errors(concurrent_runs):
    for code, (stdout, stderr) in zip(concurrent_runs["codes"], concurrent_runs["outputs"]):
        assert code == 0, stderr[-2000:]
        assert "loaded: 23, quarantined: 0, failed: 0" in stdout
        assert "Could not set lock" not in stdout + stderr


def test_the_warehouse_writers_never_overlapped(concurrent_runs):
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(concurrent_runs["home"])
    try:
        instance = dg.DagsterInstance.get()
        spans = []
        for run in instance.get_runs():
            stamps = {
                event.dagster_event.event_type_value: event.timestamp
                for event in instance.all_logs(run.run_id)
                if event.dagster_event
                and event.dagster_event.step_key == "budget_dbt_models"
                and event.dagster_event.event_type_value in ("STEP_START", "STEP_SUCCESS")
            }
            if stamps:
                spans.append((stamps["STEP_START"], stamps["STEP_SUCCESS"]))
    finally:
        del os.environ["DAGSTER_HOME"]
    first, second = sorted(spans)
    assert len(spans) == 2 and first[1] <= second[0]


def test_the_marts_equal_a_single_runs(concurrent_runs, corpus_warehouse):
    assert marts(concurrent_runs["warehouse"]) == marts(corpus_warehouse)
