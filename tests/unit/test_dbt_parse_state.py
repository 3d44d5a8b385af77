"""The saved dbt parse serves runs only while it describes every dbt file as it is now."""

import shutil

from orchestration.defs.dbt_parse_state import PARSED_FILES_STAMP, parse_state_is_current, project_files_digest
from orchestration.settings import DBT_PROJECT_DIR


def copy_project(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    (project / "target").mkdir()
    for name in ("manifest.json", "partial_parse.msgpack"):
        (project / "target" / name).write_text("{}")
    (project / "target" / PARSED_FILES_STAMP).write_text(project_files_digest(project))
    return project


def test_a_stamped_parse_is_current(tmp_path):
    assert parse_state_is_current(copy_project(tmp_path))


def test_an_edited_model_or_profile_makes_it_stale(tmp_path):
    project = copy_project(tmp_path)
    model = project / "models" / "marts" / "fct_budget_summary.sql"
    model.write_text(model.read_text() + "\n-- edited\n")
    assert not parse_state_is_current(project)

    project = copy_project(tmp_path / "again")
    (project / "profiles.yml").write_text((project / "profiles.yml").read_text().replace("threads: 4", "threads: 2"))
    assert not parse_state_is_current(project)


def test_a_new_test_file_or_a_missing_parse_makes_it_stale(tmp_path):
    project = copy_project(tmp_path)
    (project / "tests" / "singular" / "assert_new.sql").write_text("select 1 where false")
    assert not parse_state_is_current(project)

    project = copy_project(tmp_path / "again")
    (project / "target" / "partial_parse.msgpack").unlink()
    assert not parse_state_is_current(project)
