"""The project's `replace_table` materialization and `valid_rows` test, in a one-model dbt project."""

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
macro-paths: ["macros"]
test-paths: ["tests"]
models:
  tiny:
    +materialized: replace_table
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
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "replace_table.sql").symlink_to(DBT_PROJECT_DIR / "macros" / "replace_table.sql")
    (tmp_path / "tests" / "generic").mkdir(parents=True)
    (tmp_path / "tests" / "generic" / "valid_rows.sql").symlink_to(
        DBT_PROJECT_DIR / "tests" / "generic" / "valid_rows.sql"
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


def test_it_refuses_settings_it_would_otherwise_ignore(tiny_project):
    write_model(tiny_project, "{{ config(grants={'select': ['analyst']}) }} select 1 as amount")

    result = dbt_run(tiny_project)

    assert result.returncode == 1
    assert "materialized='replace_table' does not support grants (model model.tiny.figures)" in result.stdout


def test_valid_rows_says_how_a_malformed_reference_should_read(tiny_project):
    write_model(tiny_project, "select 1 as department_id")
    (tiny_project / "models" / "schema.yml").write_text(
        "models:\n"
        "  - name: figures\n"
        "    data_tests:\n"
        "      - valid_rows:\n"
        "          arguments:\n"
        "            references: {department_id: dim_department}\n"
    )

    result = dbt_run(tiny_project, "parse")

    assert result.returncode != 0
    assert "references.department_id is 'dim_department', expected 'model.column'" in result.stdout
