"""The analysts' report as an asset: rebuilt from the published warehouse copy after every warehouse build."""

import dagster as dg

from orchestration.defs.dbt import budget_dbt_models
from orchestration.defs.resources import WarehousePaths

REPORT_KEY = dg.AssetKey(["reports", "analyst_report"])
# the tables the report reads: every mart, and the ops tables of documents, checks and tables read
OPS_READ = {"ops_documents", "ops_check_results", "ops_reconciliation_failures", "ops_document_tables"}
REPORT_SOURCES = [
    key
    for key in budget_dbt_models.keys
    if key.path[0] == "marts" or (key.path[0] == "ops" and key.path[-1] in OPS_READ)
]

_condition = dg.AutomationCondition


@dg.asset(
    key=REPORT_KEY,
    deps=REPORT_SOURCES,
    group_name="marts",
    kinds={"html", "altair"},
    owners=["team:analytics"],
    description=(
        "Static HTML report with Vega-Lite charts (overview, one page per department, comparison, data quality), "
        "written beside the warehouse (`<warehouse dir>/report/index.html`) from the analysts' copy."
    ),
    # under `dagster dev`: once the build has updated the marts and nothing upstream is still running
    automation_condition=(
        _condition.any_deps_updated().since(_condition.newly_requested() | _condition.initial_evaluation())
        & ~_condition.any_deps_in_progress()
        & ~_condition.in_progress()
    ).with_label("rebuild_after_warehouse_build"),
)
def analyst_report(context: dg.AssetExecutionContext, warehouse_paths: WarehousePaths) -> dg.MaterializeResult:
    from orchestration.report.build import build_report  # altair and vl-convert: only when the report is built

    paths = warehouse_paths.paths()
    if not paths.analysts_warehouse.exists():
        raise dg.Failure(f"no published warehouse at {paths.analysts_warehouse}: build the warehouse first")
    report = build_report(paths.analysts_warehouse, paths.report_dir, paths.raw_dir)
    context.log.info(f"report written: {report.index}")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(report.index)),
            "pages": len(report.pages),
            "departments": sum(1 for page in report.pages if page.name.startswith("department-")),
        }
    )
