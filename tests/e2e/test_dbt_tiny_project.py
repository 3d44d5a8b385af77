"""dbt's own `table` materialization with an enforced contract, and the project's `unique_combination_of_columns`
test, in a one-model dbt project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")
PROJECT = """
name: tiny
profile: tiny
config-version: 2
test-paths: ["tests"]
models:
  tiny:
    +materialized: table
"""
PROFILES = """
tiny:
  target: local
  outputs:
    local:
      type: duckdb
      path: "{warehouse}"
      threads: 1
"""


@pytest.fixture()
def tiny_project(tmp_path: Path) -> Path:
    (tmp_path / "dbt_project.yml").write_text(PROJECT)
    (tmp_path / "profiles.yml").write_text(PROFILES.format(warehouse=tmp_path / "tiny.duckdb"))
    (tmp_path / "tests" / "generic").mkdir(parents=True)
    (tmp_path / "tests" / "generic" / "unique_combination.sql").symlink_to(
        DBT_PROJECT_DIR / "tests" / "generic" / "unique_combination.sql"
    )
    (tmp_path / "models").mkdir()
    return tmp_path


def write_model(project: Path, sql: str) -> None:
    (project / "models" / "figures.sql").write_text(sql)


def dbt_run(project: Path, command: str = "run") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DBT), command, "--project-dir", str(project), "--profiles-dir", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        timeout=300,
    )


def rows(project: Path) -> list[tuple]:
    with duckdb.connect(str(project / "tiny.duckdb"), read_only=True) as con:
        return con.execute("select * from main.figures order by 1").fetchall()


def test_it_replaces_a_view_of_the_same_name_and_keeps_the_table_when_the_sql_fails(tiny_project):
    with duckdb.connect(str(tiny_project / "tiny.duckdb")) as con:
        con.execute("create view main.figures as select 0 as amount")
    write_model(tiny_project, "select 13377.11::double as amount union all select 25.5")

    built = dbt_run(tiny_project)
    assert built.returncode == 0, built.stdout[-2000:]
    assert rows(tiny_project) == [(25.5,), (13377.11,)]
    with duckdb.connect(str(tiny_project / "tiny.duckdb"), read_only=True) as con:
        kind = con.execute("select table_type from information_schema.tables where table_name = 'figures'")
        assert kind.fetchall() == [("BASE TABLE",)]

    write_model(tiny_project, "select amount from a_table_that_does_not_exist")
    failed = dbt_run(tiny_project)
    assert failed.returncode == 1
    assert "a_table_that_does_not_exist" in failed.stdout
    assert rows(tiny_project) == [(25.5,), (13377.11,)]  # the previous table, whole


CONTRACT = """
models:
  - name: figures
    config:
      contract: {enforced: true}
    columns:
      - name: amount
        data_type: decimal(24, 6)
"""


def test_an_enforced_contract_refuses_another_type_and_keeps_the_previous_table(tiny_project):
    (tiny_project / "models" / "schema.yml").write_text(CONTRACT)
    write_model(tiny_project, "select cast(25.5 as decimal(24, 6)) as amount")
    assert dbt_run(tiny_project).returncode == 0

    write_model(tiny_project, "select sum(cast(25.5 as decimal(24, 6))) as amount")  # a sum widens to decimal(38, 6)
    result = dbt_run(tiny_project)

    assert result.returncode == 1
    assert "contract" in result.stdout and "DECIMAL(38,6)" in result.stdout, result.stdout[-2000:]
    assert rows(tiny_project) == [(25.5,)]


def test_unique_combination_of_columns_returns_each_shared_key_with_its_row_count(tiny_project):
    write_model(
        tiny_project,
        "select * from (values ('a', 2019, 1), ('a', 2019, 2), ('a', 2020, 3), (null, 2019, 4), (null, 2019, 5))"
        " as t(department_id, fiscal_year, amount)",
    )
    (tiny_project / "models" / "schema.yml").write_text(
        "models:\n"
        "  - name: figures\n"
        "    data_tests:\n"
        "      - unique_combination_of_columns:\n"
        "          name: unique_key_figures\n"
        "          arguments:\n"
        "            combination_of_columns: [department_id, fiscal_year]\n"
    )
    assert dbt_run(tiny_project).returncode == 0

    result = dbt_run(tiny_project, "test")

    assert result.returncode == 1
    assert "Failure in test unique_key_figures" in result.stdout and "Got 2 results" in result.stdout
