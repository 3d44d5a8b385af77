from conftest import run_cli


def test_missing_raw_dir_exits_non_zero_with_one_line_reason(tmp_path):
    result = run_cli("run", "--raw-dir", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"budget-etl: raw dir does not exist: {tmp_path / 'nope'}"


def test_unopenable_warehouse_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    result = run_cli("run", "--raw-dir", str(tmp_path), "--warehouse", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"budget-etl: cannot open the warehouse {bad}")
    assert len(result.stderr.strip().splitlines()) == 1
