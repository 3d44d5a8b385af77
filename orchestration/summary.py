"""What a person wants to read after a run: documents, their fate, rows per mart, and what next."""

from __future__ import annotations

from orchestration.settings import Paths
from orchestration.warehouse.connect import connect_read_only

MARTS_SCHEMA = "marts"
MAX_DETAIL = 240


def print_summary(paths: Paths, result) -> None:
    print(f"documents found: {len(result.documents)} distinct PDFs in {paths.raw_dir}")
    if not result.warehouse_rebuilt:
        print("nothing new since the last build: warehouse unchanged")
    if not paths.warehouse.exists():
        print("warehouse was not built")
        return
    # the published copy: reading the warehouse itself would hold a lock a concurrent run's dbt needs
    readable = paths.analysts_warehouse if paths.analysts_warehouse.exists() else paths.warehouse
    with connect_read_only(readable) as con:
        statuses = dict(con.execute("select status, count(*) from ops.documents group by status").fetchall())
        shown = ["loaded", "quarantined", "failed", *sorted(set(statuses) - {"loaded", "quarantined", "failed"})]
        print("  " + ", ".join(f"{status}: {statuses.get(status, 0)}" for status in shown))
        for source_file, status, reason in con.execute(
            "select source_file, status, reason from ops.documents where status <> 'loaded' order by source_file"
        ).fetchall():
            print(f"  {status}: {source_file}: {reason}")
        flagged = con.execute(
            "select source_file, count(*) from ops.reconciliation_failures group by all order by all"
        ).fetchall()
        for source_file, count in flagged:
            print(f"  flagged: {source_file}: {count} figure(s) do not add up (see ops.reconciliation_failures)")
        incomplete = con.execute(
            "select source_file, detail from ops.check_results"
            " where \"check\" = 'extraction_warnings' and not passed order by all"
        ).fetchall()
        for source_file, detail in incomplete:
            shown = detail if len(detail) <= MAX_DETAIL else detail[: MAX_DETAIL - 1] + "…"
            print(f"  incomplete: {source_file}: {shown} (see ops.check_results)")
        coverage = con.execute(
            "select source_file,"
            " count(*) filter (where status in ('found', 'found_empty', 'found_not_listed', 'partly_read')),"
            " count(*) filter (where status in ('found', 'found_empty', 'found_not_listed', 'partly_read',"
            " 'printed_not_read'))"
            " from ops.document_tables where source_file is not null group by all order by all"
        ).fetchall()
        for source_file, read, printed in coverage:
            if printed:
                print(f"  tables: {source_file}: {read} of {printed} standard tables printed were read")
        print("rows per mart:")
        marts = con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name",
            [MARTS_SCHEMA],
        ).fetchall()
        for (table,) in marts:
            count = con.execute(f'select count(*) from {MARTS_SCHEMA}."{table}"').fetchone()[0]
            print(f"  {MARTS_SCHEMA}.{table}: {count}")
    query = f"duckdb.connect('{paths.warehouse}', read_only=True).sql('from marts.fct_budget_summary')"
    print(f'query it:     .venv/bin/python -c "import duckdb; print({query})"')
    print(f"analysts:     {paths.analysts_warehouse} is a copy published after each build, never locked by a run")
    if paths.report_dir.joinpath("index.html").exists():
        print(f"report:       {paths.report_dir / 'index.html'} (charts and tables; opens from disk)")
    else:
        print(f"report:       not built yet: budget-etl report --warehouse {paths.warehouse} --out {paths.report_dir}")
    print("open the UI:  make ui   (dagster dev -w workspace.yaml)")
