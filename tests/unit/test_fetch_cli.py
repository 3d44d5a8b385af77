"""`budget-etl fetch`: a bad sources file is a usage error said before Dagster starts; no source, no run.
The schedule runs the same job as the CLI."""

from __future__ import annotations

from orchestration.cli import main


def test_a_bad_sources_file_is_a_usage_error(tmp_path, capsys):
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: Bad Name\n    start_urls: [http://127.0.0.1/]\n", encoding="utf-8")
    code = main(["fetch", "--sources", str(sources), "--raw-dir", str(tmp_path / "raw")])
    assert code == 2
    assert capsys.readouterr().err == (
        "budget-etl: source 'Bad Name': `name` must be lowercase letters, digits, _ or - (it names the saved files)\n"
    )


def test_no_sources_means_nothing_to_fetch(tmp_path, capsys):
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    args = ["--raw-dir", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "wh" / "budget.duckdb")]
    assert main(["fetch", "--sources", str(sources), *args]) == 0
    assert capsys.readouterr().out == f"fetch: no sources in {sources}: nothing to fetch\n"
    assert not list((tmp_path / "wh").rglob("*.parquet"))


def test_the_daily_schedule_runs_the_cli_s_job_on_the_fetch_asset():
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("fetch_daily")
    assert schedule.job_name == "fetch_from_publishers_job"
    assert schedule.cron_schedule == "0 2 * * *"
    from orchestration.defs.fetch import fetch_job

    selected = fetch_job.selection.resolve(defs.resolve_asset_graph())
    assert [key.to_user_string() for key in selected] == ["raw/fetched_from_publishers"]
