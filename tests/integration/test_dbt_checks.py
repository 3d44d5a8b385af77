"""dbt's test results become Dagster asset checks through dagster-dbt's own event stream, failures included:
one check per dbt test, with the test's severity."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from orchestration.samples import write_samples

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
print(json.dumps({
    "built": result.warehouse_built,
    "error": result.warehouse_error,
    "checks": {e.check_name: [e.passed, e.severity.value] for e in evaluations if e.asset_key.path[0] != "landing"},
}))
"""


def last_line_json(printed: str) -> dict:
    return json.loads(printed.strip().splitlines()[-1])  # after what dbt itself printed


def run_python(*args: str) -> str:
    out = subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def run_and_report_checks(root) -> dict:
    warehouse = root / "warehouse" / "budget.duckdb"
    return last_line_json(run_python(RUN_AND_REPORT_CHECKS, str(root / "raw"), str(warehouse)))


@pytest.fixture(scope="module")
def built_samples(tmp_path_factory):
    root = tmp_path_factory.mktemp("dbt_checks")
    write_samples(root / "raw")
    return root, run_and_report_checks(root)


def test_dbt_results_become_passed_checks(built_samples):
    _, first = built_samples
    assert first["built"]
    assert len(first["checks"]) == 157 and all(passed for passed, _ in first["checks"].values())


def test_a_failing_dbt_test_is_a_failed_check_of_error_severity(built_samples):
    root, _ = built_samples
    documents = root / "warehouse" / "budget" / "landing" / "documents"
    landed = sorted(documents.glob("*.parquet"))[-1]
    shutil.copy(landed, landed.with_name(f"{landed.stem}-again.parquet"))  # the same partition landed twice

    after = run_and_report_checks(root)

    assert not after["built"] and "unique_stg_landing__documents_partition_key" in after["error"]
    assert after["checks"]["unique_stg_landing__documents_partition_key"] == [False, "ERROR"]  # the rule broken
    assert after["checks"]["not_null_stg_landing__documents_partition_key"] == [True, "ERROR"]  # its neighbours pass
    assert after["checks"]["accepted_values_stg_landing__documents_status"] == [True, "ERROR"]
    assert after["checks"]["not_null_stg_landing__table_lines_partition_key"] == [True, "ERROR"]
