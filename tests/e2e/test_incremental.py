"""Incremental and idempotent runs: nothing new does nothing, one new PDF extracts one PDF, a removed
file leaves the marts but stays visible in ops.documents."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import run_cli

from orchestration.samples import write_samples


def documents(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            row[0]: row[1:]
            for row in con.execute("select source_file, status, extracted_at from ops.documents").fetchall()
        }


def summary_rows(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select * exclude (source_files) from marts.fct_budget_summary order by all").fetchall()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    written = write_samples(root / "all")
    raw = root / "raw"
    held_back = written[-1]
    for path in written[:-1]:
        target = raw / path.relative_to(root / "all")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    warehouse = root / "warehouse" / "budget.duckdb"
    first = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert first.returncode == 0, first.stderr[-2000:]
    return {"root": root, "raw": raw, "warehouse": warehouse, "held_back": held_back}


def test_a_rerun_with_nothing_new_changes_nothing(workspace):
    before_docs, before_rows = documents(workspace["warehouse"]), summary_rows(workspace["warehouse"])
    again = run_cli("run", "--raw-dir", str(workspace["raw"]), "--warehouse", str(workspace["warehouse"]))
    assert again.returncode == 0
    assert "nothing new since the last build: warehouse unchanged" in again.stdout
    assert documents(workspace["warehouse"]) == before_docs
    assert summary_rows(workspace["warehouse"]) == before_rows


def test_one_new_pdf_extracts_only_that_pdf(workspace):
    before = documents(workspace["warehouse"])
    held_back = workspace["held_back"]
    target = workspace["raw"] / held_back.relative_to(workspace["root"] / "all")
    shutil.copy(held_back, target)
    result = run_cli("run", "--raw-dir", str(workspace["raw"]), "--warehouse", str(workspace["warehouse"]))
    assert result.returncode == 0, result.stderr[-2000:]
    after = documents(workspace["warehouse"])
    new = target.relative_to(workspace["raw"]).as_posix()
    assert set(after) - set(before) == {new}
    assert {name: after[name] for name in before} == before  # same extracted_at: not re-extracted
    assert after[new][0] == "loaded"


def test_a_removed_file_is_marked_and_leaves_the_marts(workspace):
    removed = sorted(p for p in workspace["raw"].rglob("*.pdf") if p.name.endswith("表格.pdf"))[0]
    name = removed.relative_to(workspace["raw"]).as_posix()
    rows_before = len(summary_rows(workspace["warehouse"]))
    removed.unlink()
    result = run_cli("run", "--raw-dir", str(workspace["raw"]), "--warehouse", str(workspace["warehouse"]))
    assert result.returncode == 0, result.stderr[-2000:]
    status, _ = documents(workspace["warehouse"])[name]
    assert status == "removed"
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as con:
        in_marts = con.execute(
            "select count(*) from marts.fct_expenditure_by_function where source_file = ?", [name]
        ).fetchone()[0]
    assert in_marts == 0
    assert len(summary_rows(workspace["warehouse"])) == rows_before  # the narrative file still names the year
