"""Polling a publisher's site served on 127.0.0.1: every case of issue 27's item 7, then a second poll that
downloads nothing, a third that downloads exactly the new attachment and a fourth after a PDF changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from publisher_site import Route, fake_pdf, start_site

from orchestration.fetch.client import USER_AGENT, PoliteClient
from orchestration.fetch.poll import poll_sources
from orchestration.fetch.sources import parse_source

MAX_BYTES = 50_000
TIMEOUT_S = 0.5


@pytest.fixture(scope="module")
def site():
    site = start_site()
    site.routes.clear()
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.page(
        "/list/index.html",
        [
            ("/art/1.html", "预算公开一"),
            ("/art/2.html", "预算公开二"),
            ("/private/secret.pdf", "内部"),
            ("index_1.html", "下一页"),
        ],
    )
    site.page("/list/index_1.html", [("/art/3.html", "三"), ("/art/4.html", "四"), ("/art/gone.html", "已删除")])
    site.page("/art/1.html", [("/files/a.pdf", "附件A"), ("/files/b.pdf", "附件B"), ("/files/a.pdf#page=2", "再链A")])
    site.page(
        "/art/2.html",
        [("/files/copy-of-b.pdf", "B的副本"), ("/files/moved.pdf", "已迁移"), ("/files/missing.pdf", "缺失")],
    )
    site.page(
        "/art/3.html",
        [("/files/flaky.pdf", "偶尔出错"), ("/files/slow.pdf", "很慢"), ("/files/error-page.pdf", "错误页")],
    )
    site.page(
        "/art/4.html",
        [("/files/huge.pdf", "太大"), ("/files/offsite.pdf", "跳转到别处"), ("http://other.example/y.pdf", "别的网站")],
    )
    site.pdf("/files/a.pdf", fake_pdf("a"))
    site.pdf("/files/b.pdf", fake_pdf("b"))
    site.pdf("/files/copy-of-b.pdf", fake_pdf("b"))
    site.redirect("/files/moved.pdf", "/files/real-c.pdf")
    site.pdf("/files/real-c.pdf", fake_pdf("c"))
    site.pdf("/files/flaky.pdf", fake_pdf("flaky"), failures_left=1)
    site.pdf("/files/slow.pdf", fake_pdf("slow"), delay_s=TIMEOUT_S * 3)
    site.routes["/files/error-page.pdf"] = Route(b"<!DOCTYPE html><html><body>404 page</body></html>")
    site.pdf("/files/huge.pdf", fake_pdf("huge", size=MAX_BYTES))
    site.redirect("/files/offsite.pdf", "http://elsewhere.example/c.pdf")
    site.pdf("/private/secret.pdf", fake_pdf("secret"))
    yield site
    site.server.stop()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fetch")
    return {"raw": root / "raw", "state": root / "state"}


def poll(site, workspace, **overrides):
    source = parse_source(
        {
            "name": "demo",
            "start_urls": [site.url("/list/index.html")],
            "max_bytes": MAX_BYTES,
            "min_interval_s": 0,
            "timeout_s": TIMEOUT_S,
            "retries": 1,
        }
        | overrides,
        0,
    )
    client = PoliteClient(backoff_base_s=0.05)
    records = poll_sources([source], workspace["raw"], workspace["state"], client=client)
    client.close()
    return {record.url.replace(site.url(""), "/"): record for record in records}


def saved_files(workspace) -> list[str]:
    return sorted(p.relative_to(workspace["raw"]).as_posix() for p in workspace["raw"].rglob("*.pdf"))


@pytest.fixture(scope="module")
def first(site, workspace):
    records = poll(site, workspace)
    return records, site.pdf_downloads()


def test_first_poll_saves_each_distinct_pdf_once(first, workspace):
    records, _ = first
    saved = {url for url, r in records.items() if r.outcome == "saved"}
    assert saved == {"/files/a.pdf", "/files/b.pdf", "/files/moved.pdf", "/files/flaky.pdf"}
    assert len(saved_files(workspace)) == 4
    assert all(path.startswith("fetched/demo/") for path in saved_files(workspace))
    a = records["/files/a.pdf"]
    assert (workspace["raw"] / a.saved_as).read_bytes() == fake_pdf("a")
    assert a.http_status == 200 and a.etag and a.last_modified and a.bytes == len(fake_pdf("a"))
    assert a.parent_url.endswith("/art/1.html")


def test_the_same_link_twice_is_fetched_once_and_the_same_pdf_at_two_urls_is_saved_once(first):
    records, downloads = first
    assert downloads.count("/files/a.pdf") == 1
    duplicate = records["/files/copy-of-b.pdf"]
    assert duplicate.outcome == "duplicate"
    assert duplicate.saved_as == records["/files/b.pdf"].saved_as
    assert duplicate.reason == f"same content as {records['/files/b.pdf'].saved_as}"


def test_pagination_reaches_the_second_listing_page(first):
    records, _ = first
    assert records["/files/flaky.pdf"].parent_url.endswith("/art/3.html")  # linked from the next page only
    assert records["/art/gone.html"].outcome == "failed"
    assert records["/art/gone.html"].reason == "page: HTTP 404"


def test_a_redirect_is_followed_on_an_allowed_host(first):
    moved = first[0]["/files/moved.pdf"]
    assert moved.outcome == "saved"
    assert moved.final_url.endswith("/files/real-c.pdf")


def test_a_404_fails_and_a_500_that_recovers_on_retry_is_saved(first, site):
    records, downloads = first
    assert records["/files/missing.pdf"].outcome == "failed"
    assert records["/files/missing.pdf"].http_status == 404
    assert records["/files/missing.pdf"].reason == "HTTP 404"
    assert records["/files/flaky.pdf"].outcome == "saved"
    assert downloads.count("/files/flaky.pdf") == 1


def test_a_response_slower_than_the_timeout_fails_after_its_retries(first):
    slow = first[0]["/files/slow.pdf"]
    assert slow.outcome == "failed"
    assert slow.reason == "ReadTimeout: timed out (after 2 attempts)"


def test_an_html_page_served_as_pdf_is_not_kept(first):
    html = first[0]["/files/error-page.pdf"]
    assert html.outcome == "not_pdf"
    assert html.reason == "served text/html, starting '<!DOCTYPE html><html><body>404 page</bod' instead of %PDF"


def test_a_file_over_max_bytes_is_not_kept(first):
    huge = first[0]["/files/huge.pdf"]
    assert huge.outcome == "too_large"
    assert huge.reason == f"Content-Length {len(fake_pdf('huge', MAX_BYTES)):,} bytes is over max_bytes 50,000"


def test_other_hosts_and_robots_disallowed_paths_are_refused_without_a_request(first, site):
    records, downloads = first
    assert records["/files/offsite.pdf"].reason == "host elsewhere.example is not among the source's allowed hosts"
    assert records["http://other.example/y.pdf"].reason == "host other.example is not among the source's allowed hosts"
    assert records["/private/secret.pdf"].reason == "robots.txt of " + site.url("").split("//")[1].rstrip("/") + (
        " disallows /private/secret.pdf"
    )
    assert {
        records[u].outcome for u in ("/files/offsite.pdf", "http://other.example/y.pdf", "/private/secret.pdf")
    } == {"refused"}
    assert "/private/secret.pdf" not in downloads


def test_every_request_says_who_it_is(site, workspace):
    poll(site, workspace, start_urls=[site.url("/art/1.html")], max_depth=1)
    assert {served.user_agent for served in site.served} == {USER_AGENT}
    site.pdf_downloads()


@pytest.fixture(scope="module")
def second(first, site, workspace):
    return poll(site, workspace), site.pdf_downloads(), saved_files(workspace)


def test_a_second_poll_with_nothing_new_downloads_no_pdf_again(second):
    records, downloads, files = second
    # the server sends again only what was never kept: the file refused for its Content-Length (its body
    # is not read) and the slow one, whose body comes after the client gave up (twice: one retry)
    assert sorted(downloads) == ["/files/huge.pdf", "/files/slow.pdf", "/files/slow.pdf"]
    assert len(files) == 4
    unchanged = {url for url, r in records.items() if r.outcome == "unchanged"}
    assert unchanged == {"/files/a.pdf", "/files/b.pdf", "/files/copy-of-b.pdf", "/files/moved.pdf", "/files/flaky.pdf"}
    assert records["/files/a.pdf"].http_status == 304


@pytest.fixture(scope="module")
def third(second, site, workspace):
    site.page("/list/index_1.html", [("/art/3.html", "三"), ("/art/4.html", "四"), ("/art/5.html", "五")])
    site.page("/art/5.html", [("/files/new.pdf", "新附件"), ("/files/a.pdf", "旧附件")])
    site.pdf("/files/new.pdf", fake_pdf("new"))
    return poll(site, workspace), site.pdf_downloads(), saved_files(workspace)


def test_a_third_poll_downloads_exactly_the_new_attachment(third):
    records, downloads, files = third
    assert [d for d in downloads if d not in ("/files/huge.pdf", "/files/slow.pdf")] == ["/files/new.pdf"]
    assert [url for url, r in records.items() if r.outcome == "saved"] == ["/files/new.pdf"]
    assert len(files) == 5


def test_a_changed_pdf_at_an_old_url_is_a_new_file_and_the_old_one_stays(third, site, workspace):
    before = {path: (workspace["raw"] / path).read_bytes() for path in saved_files(workspace)}
    site.pdf("/files/a.pdf", fake_pdf("a, revised"))
    records = poll(site, workspace)
    revised = records["/files/a.pdf"]
    assert revised.outcome == "saved"
    assert revised.reason.startswith("a revision: this URL served other content before (fetched/demo/")
    assert (workspace["raw"] / revised.saved_as).read_bytes() == fake_pdf("a, revised")
    assert {path: (workspace["raw"] / path).read_bytes() for path in before} == before  # nothing overwritten
    assert len(saved_files(workspace)) == 6


@pytest.fixture()
def small_site():
    site = start_site()
    site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", "text/plain")
    yield site
    site.server.stop()


def test_requests_to_one_host_keep_the_interval(small_site, tmp_path):
    site = small_site
    site.page("/list.html", [(f"/f{i}.pdf", str(i)) for i in range(3)])
    for i in range(3):
        site.pdf(f"/f{i}.pdf", fake_pdf(str(i)))
    source = parse_source({"name": "p", "start_urls": [site.url("/list.html")], "min_interval_s": 0.3}, 0)
    records = poll_sources([source], tmp_path / "raw", tmp_path / "state")
    assert [r.outcome for r in records] == ["saved"] * 3
    times = [served.at for served in site.served]  # robots.txt, the page, three PDFs
    assert len(times) == 5
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.29


def test_an_unreadable_robots_txt_fetches_nothing(small_site, tmp_path):
    site = small_site
    site.routes["/robots.txt"] = Route(b"oops", "text/plain", status=503)
    site.page("/list.html", [("/a.pdf", "a")])
    source = parse_source({"name": "p", "start_urls": [site.url("/list.html")], "min_interval_s": 0, "retries": 0}, 0)
    (record,) = poll_sources([source], tmp_path / "raw", tmp_path / "state")
    assert record.outcome == "refused"
    assert record.reason.endswith("could not be read (HTTP 503 (after 1 attempt)): nothing fetched")
    assert [served.path for served in site.served] == ["/robots.txt"]


def test_a_pdf_cut_short_is_not_kept(small_site, tmp_path):
    site = small_site
    site.page("/list.html", [("/cut.pdf", "cut")])
    site.pdf("/cut.pdf", fake_pdf("cut")[:-8])  # no %%EOF: the publisher's copy is truncated
    source = parse_source({"name": "p", "start_urls": [site.url("/list.html")], "min_interval_s": 0}, 0)
    (record,) = poll_sources([source], tmp_path / "raw", tmp_path / "state")
    assert record.outcome == "failed"
    assert record.reason == f"incomplete PDF: no %%EOF marker at its end ({len(fake_pdf('cut')) - 8} bytes)"
    assert not list((tmp_path / "raw").rglob("*.pdf"))


def test_a_deleted_file_is_fetched_again_without_validators(small_site, tmp_path):
    site = small_site
    site.page("/list.html", [("/a.pdf", "a")])
    site.pdf("/a.pdf", fake_pdf("a"))
    source = parse_source({"name": "p", "start_urls": [site.url("/list.html")], "min_interval_s": 0}, 0)
    (first,) = poll_sources([source], tmp_path / "raw", tmp_path / "state")
    (tmp_path / "raw" / first.saved_as).unlink()
    (again,) = poll_sources([source], tmp_path / "raw", tmp_path / "state")
    assert (again.outcome, again.http_status, again.saved_as) == ("saved", 200, first.saved_as)
