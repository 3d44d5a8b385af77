"""The code location imports dagster-dbt without dbt-core (defs/dagster_dbt_only.py): nothing of dbt is loaded
in the Dagster process, the asset graph is the one dagster-dbt builds with dbt-core, and dbt's results
still become Dagster's materializations and check results, failures included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from orchestration.samples import write_samples

ASSET_GRAPH = """
import sys
if sys.argv[1] == "with-dbt-core":
    import dbt.version  # dbt imported first: dagster-dbt is imported as usual
import orchestration.definitions as code_location
from dagster_dbt.compat import DBT_PYTHON_VERSION
graph = code_location.defs.resolve_asset_graph()
for key in sorted(graph.get_all_asset_keys(), key=str):
    node = graph.get(key)
    condition = node.automation_condition
    print(key.to_user_string(), sorted(p.to_user_string() for p in node.parent_keys), node.group_name,
          sorted(node.tags.items()), node.code_version, condition and condition.get_label())
print(sorted(str(check) for check in graph.asset_check_keys))
print("dbt-core:", DBT_PYTHON_VERSION, sorted(name for name in sys.modules if name.split(".")[0] == "dbt"))
"""

RUN_AND_REPORT_CHECKS = """
import json, sys
from pathlib import Path
import dagster as dg
from orchestration.runner import run_pipeline
from orchestration.settings import Paths
instance = dg.DagsterInstance.ephemeral()
result = run_pipeline(Paths(raw_dir=Path(sys.argv[1]), warehouse=Path(sys.argv[2])), instance)
evaluations = [
    record.event_log_entry.dagster_event.event_specific_data
    for run_id in result.run_ids
    for record in instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
]
from dagster_dbt.compat import DBT_PYTHON_VERSION
print(json.dumps({
    "built": result.warehouse_built,
    "error": result.warehouse_error,
    "checks": {e.check_name: [e.passed, e.severity.value] for e in evaluations if e.asset_key.path[0] != "landing"},
    "dagster_dbt_with_dbt_core": DBT_PYTHON_VERSION is not None,
}))
"""


def last_line_json(printed: str) -> dict:
    return json.loads(printed.strip().splitlines()[-1])  # after what dbt itself printed


def run_python(*args: str) -> str:
    out = subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_the_asset_graph_is_the_one_dagster_dbt_builds_with_dbt_core():
    without = run_python(ASSET_GRAPH, "without").splitlines()
    with_core = run_python(ASSET_GRAPH, "with-dbt-core").splitlines()
    assert without[-1] == "dbt-core: None []"
    assert with_core[-1].startswith("dbt-core: 1.11")
    assert without[:-1] == with_core[:-1]
    assert len(without) == 62 + 2  # every asset (fetch, report, budget vs actual too), check keys, the dbt line


def run_and_report_checks(root) -> dict:
    warehouse = root / "warehouse" / "budget.duckdb"
    return last_line_json(run_python(RUN_AND_REPORT_CHECKS, str(root / "raw"), str(warehouse)))


@pytest.fixture(scope="module")
def built_samples(tmp_path_factory):
    root = tmp_path_factory.mktemp("dagster_dbt_only")
    write_samples(root / "raw")
    return root, run_and_report_checks(root)


def test_dbt_results_become_passed_checks_without_dbt_core_in_dagster_dbt(built_samples):
    _, first = built_samples
    # seven documents: dbt's child is forked for the build, from this process, which imports dbt for it then
    assert first["built"] and not first["dagster_dbt_with_dbt_core"]
    assert len(first["checks"]) == 35 and all(passed for passed, _ in first["checks"].values())


def test_a_failing_dbt_test_is_a_failed_check_of_error_severity(built_samples):
    root, _ = built_samples
    documents = root / "warehouse" / "landing" / "documents"
    landed = sorted(documents.glob("*.parquet"))[-1]
    shutil.copy(landed, landed.with_name(f"{landed.stem}-again.parquet"))  # the same partition landed twice

    after = run_and_report_checks(root)

    assert not after["built"] and "valid_rows_stg_landing__documents" in after["error"]
    assert after["checks"]["valid_rows_stg_landing__documents"] == [False, "ERROR"]
    assert after["checks"]["valid_rows_stg_landing__table_lines"] == [True, "ERROR"]
