"""Walk one source: listing pages (and their next pages) → article pages → PDF attachments, breadth first."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from orchestration.fetch.client import FetchFailed, Refused
from orchestration.fetch.download import Poll, fetch_pdf
from orchestration.fetch.links import Link, is_followed_page, is_next_page, is_pdf_link, page_links
from orchestration.fetch.record import FetchRecord
from orchestration.fetch.sources import Source

MAX_PAGE_BYTES = 10 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")


def crawl_source(poll: Poll, source: Source) -> Iterator[FetchRecord]:
    """One record per PDF link found (each URL once) and per page that could not be read.

    A start URL is at depth 0, a page it links to at depth 1 …; a PDF is fetched when linked from a page
    above `max_depth`. A listing's next page keeps the listing's depth.
    """
    queue: deque[tuple[str, str | None, int]] = deque((url, None, 0) for url in source.start_urls)
    pages_seen = set(source.start_urls)
    pdfs_seen: set[str] = set()
    pages_read = 0
    while queue:
        url, parent, depth = queue.popleft()
        if is_pdf_link(source, Link(url, "", "")):
            pdfs_seen.add(url)
            yield fetch_pdf(poll, source, url, parent)
            continue
        if pages_read >= source.max_pages:
            yield FetchRecord(source.name, url, parent, "refused", f"max_pages {source.max_pages} reached this poll")
            continue
        pages_read += 1
        links, problem = read_page(poll, source, url, parent)
        if problem is not None:
            yield problem
            continue
        for link in links:
            if is_pdf_link(source, link):
                if link.url not in pdfs_seen and depth + 1 <= source.max_depth:
                    pdfs_seen.add(link.url)
                    yield fetch_pdf(poll, source, link.url, url)  # the client refuses other hosts and schemes
            elif link.url not in pages_seen and is_followed_page(source, link):
                next_depth = depth if is_next_page(source, link) else depth + 1
                if next_depth < source.max_depth:
                    pages_seen.add(link.url)
                    queue.append((link.url, url, next_depth))


def read_page(poll: Poll, source: Source, url: str, parent: str | None) -> tuple[list[Link], FetchRecord | None]:
    """The links of an HTML page, or a `failed`/`refused` record saying why there are none."""
    try:
        with poll.client.get(source, url) as response:
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code}", response.status_code)
            content_type = response.headers.get("content-type", "")
            if not content_type.startswith(HTML_TYPES):
                raise FetchFailed(f"not an HTML page ({content_type or 'no content type'})", 200)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise FetchFailed(f"page over {MAX_PAGE_BYTES:,} bytes", 200)
            return page_links(body.decode(response.encoding or "utf-8", "replace"), str(response.url)), None
    except Refused as error:
        return [], FetchRecord(source.name, url, parent, "refused", str(error))
    except FetchFailed as error:
        return [], FetchRecord(source.name, url, parent, "failed", f"page: {error}", http_status=error.status)
