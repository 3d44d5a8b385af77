"""A dbt build that fails: the CLI says which model, exits 1, and analysts keep the last good copy."""

from __future__ import annotations

import duckdb
from conftest import run_cli

from orchestration.samples import write_samples


def test_a_failing_model_is_named_and_the_published_copy_is_kept(tmp_path):
    write_samples(tmp_path / "raw" / "samples")
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    published = warehouse.with_name("budget_analysts.duckdb")
    args = ("run", "--raw-dir", str(tmp_path / "raw"), "--warehouse", str(warehouse))
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr[-3000:]
    good_copy = published.read_bytes()

    # a landing file that is not Parquet: the staging table over that source cannot be built
    (warehouse.parent / warehouse.stem / "landing" / "documents" / "zz-not-parquet.parquet").write_text("not parquet")
    second = run_cli(*args)

    assert second.returncode == 1
    error_line = [line for line in second.stderr.splitlines() if line.startswith("budget-etl: warehouse build failed")]
    assert error_line and "ERROR creating sql table model staging.stg_landing__documents" in error_line[0]
    assert published.read_bytes() == good_copy
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_budget_summary").fetchone()[0] == 4
    assert not warehouse.with_name("budget.duckdb.wal").exists()  # the failed build left nothing half-written
