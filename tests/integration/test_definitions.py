"""The code location loads as `dagster dev` would load it, with the lineage analysts rely on."""

import subprocess
import sys
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

DAGSTER = Path(sys.executable).with_name("dagster")


def test_workspace_validates_with_the_dagster_cli(tmp_path):
    result = subprocess.run(
        [str(DAGSTER), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={"PATH": str(DAGSTER.parent), "DAGSTER_HOME": str(tmp_path), "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "All code locations passed validation" in result.stderr + result.stdout


def asset_graph():
    from orchestration.definitions import defs

    return defs.resolve_asset_graph()


def test_asset_keys_and_groups_snapshot():
    graph = asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw/budget_pdfs"] == "ingest"
    assert groups["raw/fetched_from_publishers"] == "ingest"
    assert groups["landing/table_lines"] == "extract"
    assert groups["staging/stg_landing__table_lines"] == "warehouse"
    assert groups["marts/fct_budget_summary"] == "marts"
    assert groups["marts/fct_expenditure_by_function"] == "marts"
    assert groups["ops/ops_documents"] == "warehouse"
    assert graph.get(dg_key("marts/fct_budget_summary")).owners == ["team:analytics"]
    assert graph.get(dg_key("landing/documents")).owners == ["team:data-engineering"]


def test_lineage_runs_from_pdf_through_landing_and_staging_to_marts():
    graph = asset_graph()

    def upstream(key: str) -> set[str]:
        seen, todo = set(), [key]
        while todo:
            for parent in graph.get(dg_key(todo.pop())).parent_keys:
                name = parent.to_user_string()
                if name not in seen:
                    seen.add(name)
                    todo.append(name)
        return seen

    ancestors = upstream("marts/fct_expenditure_by_function")
    assert {"raw/fetched_from_publishers", "raw/budget_pdfs", "landing/table_lines"} <= ancestors
    assert "landing/documents" in ancestors
    assert "raw/fetched_from_publishers" in upstream("ops/ops_fetches")  # the fetch log is a dbt source
    assert "staging/stg_landing__table_lines" in ancestors


def test_extraction_carries_the_pandera_contract_checks():
    checks = {key.to_user_string() for key in asset_graph().asset_check_keys}
    assert "landing/documents:document_contract" in checks
    assert "landing/documents:table_line_contract" in checks
    assert "landing/documents:readable_budget_disclosure" in checks
    assert "landing/documents:reconciliation" in checks
    assert "landing/documents:extraction" in checks
    assert "landing/documents:extraction_warnings" in checks


def dg_key(name: str):
    import dagster as dg

    return dg.AssetKey(name.split("/"))


def test_dbt_reads_every_line_table_the_registry_extracts():
    """Adding a table type to the registry must come with dbt's list of line tables, or its rows would fail
    staging's accepted_values test; every landing table the extraction writes is a dbt source."""
    import yaml

    from orchestration.defs.landing_tables import LANDING_TABLES, LINE_TABLES

    project = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((PROJECT_ROOT / "dbt_project/models/staging/_sources.yml").read_text(encoding="utf-8"))
    declared = {table["name"]: table for table in sources["sources"][0]["tables"]}
    assert sorted(project["vars"]["line_tables"]) == sorted(LINE_TABLES)
    assert set(LANDING_TABLES) <= declared.keys()
    # each read from its own folder, the source's default location
    assert not any("external_location" in declared[table].get("meta", {}) for table in LANDING_TABLES)


def test_every_dbt_data_test_is_an_asset_check():
    """dagster-dbt logs a singular test that reads two nodes as an observation unless its meta names the asset."""
    import json

    from orchestration.defs.dbt_project import dbt_project

    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    tests = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    checks = {key.name for key in asset_graph().asset_check_keys}
    assert len(tests) == 157  # one per rule (152 generic: not_null, unique, accepted_values, relationships,
    # unique_combination_of_columns) and the 5 singular cross-table tests, the printed-budget warning among them
    assert tests - checks == set()


def test_the_report_is_rebuilt_after_the_marts_by_every_build():
    from orchestration.definitions import defs

    graph = asset_graph()
    report = graph.get(dg_key("reports/analyst_report"))
    assert report.group_name == "marts"
    parents = {key.to_user_string() for key in report.parent_keys}
    assert {"marts/fct_budget_summary", "marts/mart_function_cross_department", "ops/ops_documents"} <= parents
    assert all(parent.split("/")[0] in ("marts", "ops") for parent in parents)
    assert "ops/ops_run_failures" not in parents  # not shown in the report: a failed run does not rebuild it
    for job in ("build_warehouse_job", "ingest_and_build_job"):
        selected = {key.to_user_string() for key in defs.resolve_job_def(job).asset_layer.executable_asset_keys}
        assert "reports/analyst_report" in selected, job
