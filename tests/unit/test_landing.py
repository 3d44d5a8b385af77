import os
import signal
import time

import duckdb
import pandas as pd
import pytest

from orchestration.warehouse import landing
from orchestration.warehouse.landing import ensure_schema_files, schema_file, write_document


def read(landing_dir, table):
    return duckdb.sql(
        f"select * from read_parquet('{landing_dir}/{table}/*.parquet', union_by_name=true) order by all"
    ).df()


def current_lines(landing_dir, table):
    """What staging sees: only rows of each document's committed extraction."""
    return duckdb.sql(
        f"select lines.amount from read_parquet('{landing_dir}/{table}/*.parquet', union_by_name=true) as lines "
        f"join read_parquet('{landing_dir}/documents/*.parquet', union_by_name=true) as documents "
        "using (partition_key, extraction_id) order by all"
    ).fetchall()


def frames(extraction_id: str, amount: float, year: int = 2022) -> dict[str, pd.DataFrame]:
    key = {"partition_key": "k", "extraction_id": extraction_id}
    return {
        "table_lines": pd.DataFrame(
            [key | {"table_type": "function_general_public", "source_page": 3, "code": "2010301", "amount": amount}]
        ),
        "documents": pd.DataFrame([key | {"fiscal_year": year, "status": "loaded"}]),
    }


def test_empty_schema_files_keep_dbt_globs_valid(tmp_path):
    ensure_schema_files(tmp_path, ["documents", "table_lines"])
    assert (tmp_path / "table_lines" / schema_file("table_lines")).exists()
    assert len(read(tmp_path, "table_lines")) == 0
    columns = duckdb.sql(f"describe select * from '{tmp_path}/documents/{schema_file('documents')}'").df()
    assert dict(zip(columns.column_name, columns.column_type))["fiscal_year"] == "INTEGER"


def test_a_column_added_to_a_landing_table_reaches_a_landing_zone_written_before_it(tmp_path, monkeypatch):
    ensure_schema_files(tmp_path, ["document_tables"])
    before = schema_file("document_tables")
    narrower = {k: v for k, v in landing.DOCUMENT_TABLE_COLUMNS.items() if k != "pages_not_read"}
    monkeypatch.setitem(landing.NON_LINE_TABLES, "document_tables", narrower)
    old_schema = schema_file("document_tables")
    ensure_schema_files(tmp_path, ["document_tables"])  # the zone as an earlier version left it
    assert old_schema != before
    monkeypatch.undo()

    ensure_schema_files(tmp_path, ["document_tables"])

    assert sorted(p.name for p in (tmp_path / "document_tables").iterdir()) == [before]
    assert "pages_not_read" in read(tmp_path, "document_tables").columns


def test_document_rows_round_trip_with_types_and_nulls(tmp_path):
    written = frames("e1", 3149.0)
    written["table_lines"] = pd.concat(
        [written["table_lines"], pd.DataFrame([{"partition_key": "k", "extraction_id": "e1"}])]
    )
    write_document(tmp_path, "k", written)
    landed = read(tmp_path, "table_lines")
    assert landed["amount"].tolist()[0] == 3149.0
    assert landed["code"].isna().sum() == 1
    assert read(tmp_path, "documents")["fiscal_year"].tolist() == [2022]
    assert not list(tmp_path.rglob("*.tmp.parquet"))


def test_a_new_extraction_replaces_the_old_one_and_its_old_files(tmp_path):
    write_document(tmp_path, "k", frames("e1", 1.0, 2018))
    old = tmp_path / "table_lines" / "k~e1.parquet"
    long_ago = old.stat().st_mtime - landing.STALE_AFTER_SECONDS - 1
    os.utime(old, (long_ago, long_ago))
    write_document(tmp_path, "k", frames("e2", 2.0, 2019))
    assert read(tmp_path, "documents")["fiscal_year"].tolist() == [2019]
    assert current_lines(tmp_path, "table_lines") == [(2.0,)]
    assert [p.name for p in (tmp_path / "table_lines").iterdir()] == ["k~e2.parquet"]


def test_a_table_without_rows_writes_no_file_and_leaves_no_rows_of_the_extraction_before(tmp_path):
    write_document(tmp_path, "k", frames("e1", 1.0))
    emptied = frames("e2", 2.0)
    emptied["table_lines"] = emptied["table_lines"].iloc[0:0]
    emptied["reconciliation_failures"] = pd.DataFrame()
    write_document(tmp_path, "k", emptied)
    assert sorted(p.name for p in (tmp_path / "table_lines").iterdir()) == ["k~e1.parquet"]  # e1's, recent: kept
    assert not (tmp_path / "reconciliation_failures").exists()
    assert current_lines(tmp_path, "table_lines") == []  # staging reads e2's rows: none
    assert read(tmp_path, "documents")["extraction_id"].tolist() == ["e2"]


def test_recent_files_of_another_extraction_are_kept_for_a_concurrent_writer(tmp_path):
    write_document(tmp_path, "k", frames("e1", 1.0))
    write_document(tmp_path, "k", frames("e2", 2.0))
    assert sorted(p.name for p in (tmp_path / "table_lines").iterdir()) == ["k~e1.parquet", "k~e2.parquet"]
    assert current_lines(tmp_path, "table_lines") == [(2.0,)]


def test_a_crash_before_the_commit_leaves_the_previous_extraction_in_force(tmp_path, monkeypatch):
    write_document(tmp_path, "k", frames("e1", 1.0))
    real_write = landing._write_parquet

    def crash_on_commit(frame, columns, target, con=None):
        if target.parent.name == "documents":
            raise OSError("disk full")
        real_write(frame, columns, target, con)

    monkeypatch.setattr(landing, "_write_parquet", crash_on_commit)
    with pytest.raises(OSError, match="disk full"):
        write_document(tmp_path, "k", frames("e2", 2.0))
    assert current_lines(tmp_path, "table_lines") == [(1.0,)]
    assert read(tmp_path, "documents")["extraction_id"].tolist() == ["e1"]


def test_a_process_that_may_fork_keeps_no_duckdb_open_and_a_worker_reuses_its_own(tmp_path):
    """A process forked while a DuckDB database is open hangs in its next `duckdb.connect`."""
    write_document(tmp_path, "k", frames("parent", 1.0))
    assert landing._WORKER_ENGINE is None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # an extraction worker: one engine for every document it lands
        try:
            landing.keep_engine_in_this_worker()
            engine = landing._WORKER_ENGINE
            write_document(tmp_path, "k", frames("worker-1", 2.0))
            write_document(tmp_path, "k", frames("worker-2", 3.0))
            os.write(write_end, b"1" if landing._WORKER_ENGINE is engine else b"0")
        finally:
            os._exit(0)
    deadline = time.monotonic() + 60
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the forked worker hung while landing a document")
        time.sleep(0.05)
    assert os.read(read_end, 1) == b"1"
    assert current_lines(tmp_path, "table_lines") == [(3.0,)]
