"""Links of an HTML page, parsed with selectolax (never by searching the text), made absolute."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from orchestration.fetch.sources import Source

NEXT_PAGE_TEXTS = {"下一页", "下页", "后页", "next", "next page", "next »", "›", "»"}


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    rel: str


def page_links(html: str, page_url: str) -> list[Link]:
    """Every `<a href>` in document order, resolved against the page (and its `<base href>`), without fragments."""
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    base_url = urljoin(page_url, base.attributes.get("href") or "") if base is not None else page_url
    links, seen = [], set()
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href:
            continue
        url = urldefrag(urljoin(base_url, href)).url
        if url not in seen:
            seen.add(url)
            links.append(Link(url, anchor.text(strip=True), (anchor.attributes.get("rel") or "").lower()))
    return links


def is_pdf_link(source: Source, link: Link) -> bool:
    if source.pdf_pattern is not None:
        return bool(source.pdf_pattern.search(link.url))
    return urlsplit(link.url).path.lower().endswith(".pdf")


def is_next_page(source: Source, link: Link) -> bool:
    """A link to the listing's next page: rel=next, 下一页/next, or the source's pagination pattern."""
    if source.pagination_pattern is not None and source.pagination_pattern.search(link.url):
        return True
    return "next" in link.rel.split() or link.text.strip().lower() in NEXT_PAGE_TEXTS


def is_followed_page(source: Source, link: Link) -> bool:
    if urlsplit(link.url).scheme not in ("http", "https") or not source.allows_host(link.url):
        return False
    return source.page_pattern is None or bool(source.page_pattern.search(link.url))
