"""`budget-etl fetch` then `budget-etl run`: a disclosure published on a site (served on 127.0.0.1) reaches
the marts, with its URL in ops.documents and every fetch in ops.fetches; a poll with nothing new saves
nothing, and one after a new attachment appeared saves exactly it."""

from __future__ import annotations

import duckdb
import pytest
from conftest import run_cli
from publisher_site import Route, start_site

from orchestration.samples import build_sample_budgets, write_samples


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("fetch_e2e")
    first, second = [b for b in build_sample_budgets() if not b.split_files][:2]
    (first_pdf,) = write_samples(root / "publisher", [first])
    (second_pdf,) = write_samples(root / "publisher", [second])
    site = start_site()
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow:\n", "text/plain")
    site.page("/yusuan/index.html", [("/yusuan/art1.html", first.department)])
    site.page("/yusuan/art1.html", [("/files/2019/budget-1.pdf", "附件"), ("/files/2019/withdrawn.pdf", "已撤回")])
    site.pdf("/files/2019/budget-1.pdf", first_pdf.read_bytes())
    sources = root / "sources.yaml"
    sources.write_text(
        f"sources:\n  - name: demo-portal\n    start_urls: [{site.url('/yusuan/index.html')}]\n    min_interval_s: 0\n",
        encoding="utf-8",
    )
    paths = {"raw": root / "raw", "warehouse": root / "warehouse" / "budget.duckdb", "sources": sources}
    yield {"site": site, "paths": paths, "budgets": (first, second), "second_pdf": second_pdf}
    site.server.stop()


def cli(command: str, paths: dict):
    args = ["--raw-dir", str(paths["raw"]), "--warehouse", str(paths["warehouse"])]
    if command == "fetch":
        args += ["--sources", str(paths["sources"])]
    result = run_cli(command, *args)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    return result.stdout


def query(paths: dict, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(paths["warehouse"]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def first_poll(published):
    fetched = cli("fetch", published["paths"])
    ran = cli("run", published["paths"])
    return fetched, ran


def test_fetch_prints_what_it_saved_and_what_failed_and_exits_0(first_poll, published):
    fetched, _ = first_poll
    site = published["site"]
    assert (
        f"saved     {site.url('/files/2019/budget-1.pdf')} -> fetched/demo-portal/127.0.0.1_files_2019_budget-1-"
        in fetched
    )
    assert f"failed    {site.url('/files/2019/withdrawn.pdf')} (HTTP 404)" in fetched
    assert "fetch: 1 saved, 1 failed (1 source(s) of" in fetched


def test_the_fetched_disclosure_reaches_the_marts_with_its_url(first_poll, published):
    first = published["budgets"][0]
    paths = published["paths"]
    assert query(
        paths,
        "select total_expenditure from marts.fct_budget_summary where department_name = ? and fiscal_year = ?",
        [first.department, first.fiscal_year],
    ) == [(first.total,)]
    assert query(paths, "select status, source_url from ops.documents") == [
        ("loaded", published["site"].url("/files/2019/budget-1.pdf"))
    ]
    assert query(paths, "select outcome, http_status from ops.fetches order by url") == [
        ("saved", 200),
        ("failed", 404),
    ]


@pytest.fixture(scope="module")
def second_poll(first_poll, published):
    published["site"].pdf_downloads()
    return cli("fetch", published["paths"]), published["site"].pdf_downloads()


def test_a_second_poll_saves_nothing_and_downloads_no_pdf(second_poll, published):
    fetched, downloads = second_poll
    assert downloads == []
    assert "unchanged " + published["site"].url("/files/2019/budget-1.pdf") in fetched
    assert "fetch: 1 unchanged, 1 failed" in fetched
    assert len(list(published["paths"]["raw"].rglob("*.pdf"))) == 1


def test_a_new_attachment_is_fetched_alone_and_reaches_the_marts(second_poll, published):
    site, paths = published["site"], published["paths"]
    second = published["budgets"][1]
    site.page("/yusuan/index.html", [("/yusuan/art1.html", "一"), ("/yusuan/art2.html", second.department)])
    site.page("/yusuan/art2.html", [("/files/2020/budget-2.pdf", "附件")])
    site.pdf("/files/2020/budget-2.pdf", published["second_pdf"].read_bytes())
    fetched = cli("fetch", paths)
    assert site.pdf_downloads() == ["/files/2020/budget-2.pdf"]
    assert "fetch: 1 saved, 1 unchanged, 1 failed" in fetched
    cli("run", paths)
    assert query(
        paths,
        "select total_expenditure from marts.fct_budget_summary where department_name = ? and fiscal_year = ?",
        [second.department, second.fiscal_year],
    ) == [(second.total,)]
    assert sorted(query(paths, "select source_url from ops.documents")) == [
        (site.url("/files/2019/budget-1.pdf"),),
        (site.url("/files/2020/budget-2.pdf"),),
    ]
    assert query(paths, "select count(distinct run_id), count(*) from ops.fetches") == [(3, 7)]
