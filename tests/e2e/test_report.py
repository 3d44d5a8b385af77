"""The analysts' report: built by every `budget-etl run`, its numbers are the marts' numbers, read back from the pages.

The warehouse is built from the project's own samples (two Jiangsu departments over two years, a
Shenzhen department of one year). Variants of it (null figures, columns the marts will gain, a
budget-against-actual mart) are copies changed in place, reported on with `build_report`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import altair as alt
import duckdb
import pytest
from conftest import run_cli
from headless_chromium import Chromium, chromium_executable
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from orchestration.report.build import NOT_PRINTED, build_report, department_page
from orchestration.samples import write_samples
from orchestration.samples.shenzhen import ShenzhenSample, write_shenzhen_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`budget-etl run` over the samples of both templates; the report is written beside the warehouse."""
    root = tmp_path_factory.mktemp("report")
    raw = root / "raw"
    write_samples(raw / "samples")
    sample = ShenzhenSample()
    write_shenzhen_sample(raw / "samples" / "shenzhen" / f"2022年{sample.department}部门预算.pdf", sample)
    warehouse = root / "warehouse" / "budget.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "root": root,
        "raw": raw,
        "warehouse": warehouse,
        "report": warehouse.parent / warehouse.stem / "report",
        "stdout": result.stdout,
    }


@pytest.fixture(scope="module")
def db(built):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        yield con


def page(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def figures(tree: HTMLParser, selector: str) -> dict[str, Decimal | None]:
    """The amounts a table shows, by their `data-figure` key, parsed back from the text a reader sees."""
    shown = {}
    for cell in tree.css(f"{selector} td[data-figure]"):
        text = cell.text(strip=True)
        shown[cell.attributes["data-figure"]] = None if text == NOT_PRINTED else Decimal(text.replace(",", ""))
    return shown


def links(tree: HTMLParser, selector: str) -> dict[str, str]:
    return {
        cell.attributes["data-figure"]: cell.css_first("a").attributes["href"]
        for cell in tree.css(f"{selector} td[data-figure]")
        if cell.css_first("a")
    }


def chart_specs(tree: HTMLParser) -> dict[str, dict]:
    """The Vega-Lite specs the page hands to vega-embed (the last inline script)."""
    script = [s.text() for s in tree.css("script") if "const specs" in s.text()][0]
    return json.loads(script.split("const specs = ", 1)[1].split(";\n", 1)[0])


def plotted(spec: dict) -> list[dict]:
    """The records a chart draws (altair moves inline data into the spec's `datasets`)."""
    data = spec["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def departments(db) -> list[tuple[str, str]]:
    return db.execute("select department_id, department_name from marts.dim_department order by all").fetchall()


# -- the run builds it --------------------------------------------------------------------------


def test_every_run_writes_the_report_beside_the_warehouse_and_says_where(built, db):
    index = built["report"] / "index.html"
    assert f"report:       {index}" in built["stdout"]
    pages = sorted(p.name for p in built["report"].glob("*.html"))
    expected = ["comparison.html", "index.html", "quality.html", *(department_page(d) for d, _ in departments(db))]
    assert pages == sorted(expected)
    # the Vega runtime is a local file from the vl-convert package, and no link or script leads to the network
    # (the specs' "$schema" URL names the Vega-Lite version; nothing fetches it: see the browser test)
    for path in built["report"].glob("*.html"):
        tree = page(path)
        sources = [s.attributes.get("src") for s in tree.css("script") if s.attributes.get("src")]
        assert len(sources) == 1 and sources[0].startswith("assets/vega-embed-"), path.name
        assert (built["report"] / sources[0]).stat().st_size > 500_000
        referred = [n.attributes.get("src") or n.attributes.get("href") for n in tree.css("[src], [href]")]
        assert referred and not [url for url in referred if url.startswith(("http:", "https:", "//"))], path.name


def test_budget_etl_report_writes_the_same_pages_elsewhere(built, tmp_path):
    out = tmp_path / "elsewhere"
    result = run_cli(
        "report", "--warehouse", str(built["warehouse"]), "--raw-dir", str(built["raw"]), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert f"report: {out / 'index.html'} (6 pages" in result.stdout
    assert figures(page(out / "index.html"), "#totals") == figures(page(built["report"] / "index.html"), "#totals")


def test_budget_etl_report_without_a_warehouse_says_so(tmp_path):
    result = run_cli("report", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"no warehouse at {tmp_path / 'none.duckdb'}" in result.stderr


# -- the numbers are the marts' numbers ----------------------------------------------------------


def test_overview_totals_and_coverage_equal_the_marts(built, db):
    tree = page(built["report"] / "index.html")
    summary = db.execute(
        "select department_id, fiscal_year, total_expenditure from marts.fct_budget_summary"
    ).fetchall()
    shown = figures(tree, "#totals")
    assert {key: value for key, value in shown.items() if value is not None} == {
        f"{department}/{year}/total_expenditure": total for department, year, total in summary
    }
    assert len(shown) == len(departments(db)) * 3  # 2018, 2019, 2022: a department's missing years show "—"
    coverage = db.execute(
        "select count(*) filter (where status in ('found', 'found_not_listed')),"
        " count(*) filter (where status <> 'listed_but_absent')"
        " from ops.document_tables where disclosure_level = 'department' group by department_id, fiscal_year"
    ).fetchall()
    rows = [[int(td.text()) for td in tr.css("td[data-figure]")] for tr in tree.css("#coverage tr") if tr.css("td")]
    assert sorted(map(tuple, rows)) == sorted(coverage)
    assert (8, 9) in coverage  # the Shenzhen sample prints 基本支出表, which the extractor does not read


def test_department_pages_show_the_marts_figures_linked_to_their_pdf_page(built, db):
    for department_id, name in departments(db):
        tree = page(built["report"] / department_page(department_id))
        assert tree.css_first("h1").text() == name
        summary = db.execute(
            "select fiscal_year, total_expenditure, basic_expenditure, project_expenditure, reserve_expenditure"
            " from marts.fct_budget_summary where department_id = ?",
            [department_id],
        ).fetchall()
        shown = figures(tree, "#summary")
        for year, *values in summary:
            for column, value in zip(["total", "basic", "project", "reserve"], values):
                key = f"{year}/{column}_expenditure"
                assert shown.get(key, None) == value, (name, key)
        classes = db.execute(
            "select fiscal_year, function_code, amount_total, source_file, source_page"
            " from marts.fct_expenditure_by_function"
            " where department_id = ? and fund_scope = 'general_public_budget' and function_level = 1",
            [department_id],
        ).fetchall()
        shown, hrefs = figures(tree, "#classes"), links(tree, "#classes")
        assert {k: v for k, v in shown.items() if v is not None} == {f"{y}/{c}": a for y, c, a, _, _ in classes}
        for year, code, _, source_file, source_page in classes:
            href = hrefs[f"{year}/{code}"]
            assert href.endswith(f"#page={source_page}")
            target = (built["report"] / unquote(href.split("#")[0])).resolve()
            assert target == (built["raw"] / source_file).resolve() and target.is_file()
        three = db.execute(
            "select fiscal_year, total, outbound_travel, official_reception, vehicle_total, source_page"
            " from marts.fct_three_public_expenses where department_id = ?",
            [department_id],
        ).fetchall()
        shown, hrefs = figures(tree, "#three-public"), links(tree, "#three-public")
        for year, total, travel, reception, vehicles, source_page in three:
            assert (shown[f"{year}/total"], shown[f"{year}/outbound_travel"]) == (total, travel)
            assert (shown[f"{year}/official_reception"], shown[f"{year}/vehicle_total"]) == (reception, vehicles)
            assert hrefs[f"{year}/total"].endswith(f"#page={source_page}")


def test_every_chart_is_a_valid_vega_lite_spec(built):
    for path in built["report"].glob("*.html"):
        for spec in chart_specs(page(path)).values():
            alt.Chart.from_dict(spec, validate=True)  # raises on a spec Vega-Lite's schema rejects


def test_the_charts_draw_the_same_figures_with_titles_axes_and_units(built, db):
    department_id = departments(db)[0][0]
    specs = chart_specs(page(built["report"] / department_page(department_id)))
    assert set(specs) == {"chart-summary", "chart-classes", "chart-three"}
    for spec in specs.values():
        assert "（万元）" in spec["title"]
        axes = [spec["encoding"][axis]["title"] for axis in ("x", "y")]
        assert any("万元" in title for title in axes) and all(axes)
    drawn = {(r["year"], r["measure"]): Decimal(str(r["amount"])) for r in plotted(specs["chart-summary"])}
    for year, total in db.execute(
        "select fiscal_year, total_expenditure from marts.fct_budget_summary where department_id = ?", [department_id]
    ).fetchall():
        assert drawn[(str(year), "支出总计")] == total


def test_comparison_shows_shares_and_ranks_of_the_cross_department_mart(built, db):
    tree = page(built["report"] / "comparison.html")
    rows = db.execute(
        "select fiscal_year, function_code, department_id, amount, share_of_function_total, rank_in_function,"
        " departments_in_function from marts.mart_function_cross_department"
        " where fund_scope = 'general_public_budget' and function_level <= 2"
    ).fetchall()
    for year, code, department_id, amount, share, rank, of in rows:
        table = tree.css_first(f'table.comparison[data-year="{year}"]')
        cell = table.css_first(f'td[data-figure="{code}/{department_id}"]')
        assert Decimal(cell.text(strip=True).replace(",", "")) == amount
        _, share_cell, _, rank_cell = cell.parent.css("td.num")
        assert share_cell.text(strip=True) == f"{Decimal(str(share)) * 100:.2f} %"
        assert rank_cell.text(strip=True) == f"{rank} / {of}"
    assert len(tree.css("table.comparison td[data-figure]")) == len(rows)


def test_quality_page_counts_documents_by_status(built, db):
    tree = page(built["report"] / "quality.html")
    counts = dict(db.execute("select status, count(*) from ops.documents group by status").fetchall())
    shown = {td.attributes["data-figure"]: int(td.text()) for td in tree.css("#by-status td[data-figure]")}
    assert shown == {f"status/{status}": count for status, count in counts.items()}
    not_read = tree.css("table.tables-not-read tr")[1:]
    assert len(not_read) == db.execute("select count(*) from ops.document_tables where status <> 'found'").fetchone()[0]
    assert any("printed_not_extracted" in tr.text() for tr in not_read)


# -- one year, null figures, and the marts' coming columns ---------------------------------------


def test_a_department_of_one_year_gets_its_charts(built, db):
    one_year = db.execute("select department_id from marts.dim_department where years_loaded = 1").fetchall()
    assert one_year, "the samples have a department of one year (Shenzhen 2022)"
    tree = page(built["report"] / department_page(one_year[0][0]))
    specs = chart_specs(tree)
    assert {r["year"] for r in plotted(specs["chart-summary"])} == {"2022"}
    assert len(tree.css("div.chart")) == 3 and not tree.css("[data-no-chart]")


@pytest.fixture()
def variant(built, tmp_path):
    """A writable copy of the built warehouse, and a function that reports on it."""
    copy = tmp_path / "variant.duckdb"
    shutil.copyfile(built["warehouse"], copy)

    def report() -> Path:
        return build_report(copy, tmp_path / "report", built["raw"]).out_dir

    return copy, report


def test_null_figures_show_a_dash_and_leave_the_chart_without_them(variant):
    copy, report = variant
    with duckdb.connect(str(copy)) as con:
        department_id, year = con.execute(
            "select department_id, min(fiscal_year) from marts.fct_budget_summary"
            " group by all having count(*) = 2 order by all limit 1"
        ).fetchone()
        con.execute(
            "update marts.fct_budget_summary set project_expenditure = null"
            " where department_id = ? and fiscal_year = ?",
            [department_id, year],
        )
        con.execute(
            "update marts.fct_three_public_expenses set total = null, outbound_travel = null,"
            " official_reception = null, vehicle_total = null, vehicle_operation = null,"
            " vehicle_purchase = null, meeting = null, training = null where department_id = ?",
            [department_id],
        )
    tree = page(report() / department_page(department_id))
    assert figures(tree, "#summary")[f"{year}/project_expenditure"] is None
    specs = chart_specs(tree)
    drawn = {(r["year"], r["measure"]) for r in plotted(specs["chart-summary"])}
    assert (str(year), "项目支出") not in drawn and (str(year), "支出总计") in drawn
    assert all(r["amount"] is not None for r in plotted(specs["chart-summary"]))
    # every “三公” figure null: no chart at all, a sentence instead, and no column of dashes
    assert "chart-three" not in specs
    assert tree.css_first('[data-no-chart="chart-three"]') is not None
    assert not tree.css("#three-public td[data-figure]")


def test_the_department_editions_budget_is_shown_exactly_beside_a_unit_edition_and_final_accounts(variant):
    """disclosure_level, document_kind (issue 26, added here where the marts lack it), 'incomplete', six decimals."""
    copy, report = variant
    with duckdb.connect(str(copy)) as con:
        department_id, year, total = con.execute(
            "select department_id, fiscal_year, total_expenditure from marts.fct_budget_summary order by all limit 1"
        ).fetchone()
        con.execute("alter table marts.fct_budget_summary alter column total_expenditure type decimal(24, 6)")
        for column, default in [("disclosure_level", "department"), ("document_kind", "budget")]:
            table = "marts.fct_budget_summary"
            con.execute(f"alter table {table} add column if not exists {column} varchar default '{default}'")
        # a 单位预算 of the same body and year, and its 决算: neither is the department's budget
        for level, kind in [("unit", "budget"), ("department", "final_accounts")]:
            con.execute(
                "insert into marts.fct_budget_summary by name select * replace (total_expenditure + 1.000001 as"
                " total_expenditure, ? as disclosure_level, ? as document_kind) from marts.fct_budget_summary"
                " where department_id = ? and fiscal_year = ?"
                " and disclosure_level = 'department' and document_kind = 'budget'",
                [level, kind, department_id, year],
            )
        con.execute(
            "update marts.fct_budget_summary set quality_status = 'incomplete'"
            " where department_id = ? and fiscal_year = ? and disclosure_level = 'department'",
            [department_id, year],
        )
        con.execute(
            "update marts.fct_budget_summary set total_expenditure = total_expenditure + 0.000123"
            " where department_id = ? and fiscal_year = ?"
            " and disclosure_level = 'department' and document_kind = 'budget'",
            [department_id, year],
        )
    out = report()
    tree = page(out / department_page(department_id))
    assert figures(tree, "#summary")[f"{year}/total_expenditure"] == total + Decimal("0.000123")
    assert figures(page(out / "index.html"), "#totals")[f"{department_id}/{year}/total_expenditure"] == total + Decimal(
        "0.000123"
    )
    row = [tr for tr in tree.css("#summary tr") if tr.css_first("td") and tr.css_first("td").text() == str(year)]
    assert len(row) == 1 and "incomplete" in row[0].css_first("span.flag").text()


def test_budget_against_actual_appears_once_its_mart_exists(variant, built):
    copy, report = variant
    with duckdb.connect(str(copy)) as con:
        department_id, year = con.execute(
            "select department_id, max(fiscal_year) from marts.fct_budget_summary group by all order by all limit 1"
        ).fetchone()
    tree = page(report() / department_page(department_id))
    assert "mart_budget_vs_actual 中没有该部门的行" in tree.css_first("#budget-vs-actual").text()  # no 决算 loaded
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "insert into marts.mart_budget_vs_actual"
            " (department_id, fiscal_year, line_kind, line_code, line_name, budgeted, actual, source_file, source_page)"
            " values (?, ?, 'three_public', 'total', '“三公”经费合计', 98.54, 91.20, 'x/决算.pdf', 7)",
            [department_id, year],
        )
    tree = page(report() / department_page(department_id))
    table = tree.css_first("table#budget-vs-actual")
    assert figures(tree, "table#budget-vs-actual") == {"budgeted": Decimal("98.54"), "actual": Decimal("91.20")}
    assert table.css_first("a").attributes["href"].endswith("x/%E5%86%B3%E7%AE%97.pdf#page=7")


# -- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Chromium(chromium_executable(), tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def test_every_page_opens_from_disk_in_chromium_with_its_charts_drawn_and_nothing_fetched(built, db, browser):
    for path in sorted(built["report"].glob("*.html")):
        visit = browser.load(path.as_uri())
        assert visit.console_errors == [], path.name
        assert visit.remote_requests == [], path.name
        assert visit.requests[0] == path.as_uri()
        assert any("/assets/vega-embed-" in url for url in visit.requests), path.name
        assert visit.charts > 0 and visit.charts_drawn == visit.charts, path.name
        assert re.search("[\u4e00-\u9fff]", visit.chart_text), path.name  # Chinese titles and labels were drawn
    department_id, name = departments(db)[0]
    drawn = browser.load((built["report"] / department_page(department_id)).as_uri()).chart_text
    assert f"{name}：“三公”经费（万元）" in drawn and "公务接待费" in drawn and "金额（万元）" in drawn


def test_pages_with_null_figures_draw_in_chromium(variant, browser):
    copy, report = variant
    with duckdb.connect(str(copy)) as con:
        con.execute("update marts.fct_budget_summary set basic_expenditure = null, project_expenditure = null")
        con.execute("update marts.fct_three_public_expenses set outbound_travel = null, total = null")
        con.execute("update marts.fct_expenditure_by_function set amount_total = null where function_code like '2%1'")
    for path in sorted(report().glob("department-*.html")):
        visit = browser.load(path.as_uri())
        assert visit.console_errors == [] and visit.remote_requests == [], path.name
        assert visit.charts_drawn == visit.charts == 3, path.name


def test_the_browser_check_sees_a_request_off_disk_and_a_console_error(browser, tmp_path):
    """The check above can fail: a page that reaches for the network and logs an error is caught."""
    bad = tmp_path / "bad.html"
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): reserved, never routed
    bad.write_text(
        '<html><body><div class="chart"></div><img src="http://192.0.2.1/pixel.png">'
        '<script>console.error("chart failed")</script></body></html>'
    )
    visit = browser.load(bad.as_uri(), timeout=3)
    assert visit.remote_requests == ["http://192.0.2.1/pixel.png"]
    assert any("chart failed" in error for error in visit.console_errors)
    assert (visit.charts, visit.charts_drawn) == (1, 0)


def test_screenshots_of_the_overview_and_a_department_page(built, db, browser):
    """PNGs of the overview and the department with the most years; REPORT_SCREENSHOTS_DIR=docs/report keeps them."""
    department_id = db.execute(
        "select department_id from marts.dim_department order by years_loaded desc, department_name limit 1"
    ).fetchone()[0]
    shots = {"overview.png": "index.html", "department.png": department_page(department_id)}
    keep = os.environ.get("REPORT_SCREENSHOTS_DIR")
    for name, page_name in shots.items():
        visit = browser.load((built["report"] / page_name).as_uri(), screenshot_width=1100)
        assert visit.screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(visit.screenshot) > 50_000
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            Path(keep, name).write_bytes(visit.screenshot)
