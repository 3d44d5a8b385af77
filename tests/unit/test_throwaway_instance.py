"""The CLI's throwaway Dagster instance keeps what a run stores, like Dagster's ephemeral one."""

from __future__ import annotations

import dagster as dg

from orchestration.throwaway_instance import HeldConnectionEventLogStorage, throwaway_instance


@dg.asset(check_specs=[dg.AssetCheckSpec("has_rows", asset="numbers")])
def numbers() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3}, check_results=[dg.AssetCheckResult(passed=True)])


def test_runs_materializations_and_check_results_read_back_from_the_throwaway_instance():
    instance = throwaway_instance()
    assert isinstance(instance.event_log_storage, HeldConnectionEventLogStorage)
    runs = [dg.materialize([numbers], instance=instance) for _ in range(2)]
    assert all(run.success for run in runs)

    assert [instance.get_run_by_id(run.run_id).status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
    records = instance.fetch_materializations(dg.AssetKey("numbers"), limit=10).records
    assert sorted(r.run_id for r in records) == sorted(run.run_id for run in runs)
    assert records[0].asset_materialization.metadata["rows"] == dg.IntMetadataValue(3)
    checks = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(dg.AssetKey("numbers"), "has_rows"), limit=10
    )
    assert [c.run_id for c in checks] == [run.run_id for run in reversed(runs)]
