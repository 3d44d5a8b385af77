"""sources.yaml: which publisher pages to poll, as data. Validated on load, with one-line errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DEFAULT_MAX_DEPTH = 2  # listing → article → attachment
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MIN_INTERVAL_S = 1.0
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRIES = 2
DEFAULT_MAX_PAGES = 200
ALLOWED_SCHEMES = {"http", "https"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KNOWN_KEYS = {
    "name",
    "start_urls",
    "max_depth",
    "pdf_pattern",
    "page_pattern",
    "pagination_pattern",
    "allowed_hosts",
    "max_bytes",
    "min_interval_s",
    "timeout_s",
    "retries",
    "max_pages",
}


class SourcesError(ValueError):
    """sources.yaml is unreadable or an entry is invalid; the message names the entry and the field."""


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    max_depth: int = DEFAULT_MAX_DEPTH
    pdf_pattern: re.Pattern | None = None  # links to download; default: a path ending in .pdf
    page_pattern: re.Pattern | None = None  # HTML links to follow; default: any link on an allowed host
    pagination_pattern: re.Pattern | None = None  # links to the listing's next pages (they keep its depth)
    allowed_hosts: frozenset[str] = frozenset()
    max_bytes: int = DEFAULT_MAX_BYTES
    min_interval_s: float = DEFAULT_MIN_INTERVAL_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    retries: int = DEFAULT_RETRIES
    max_pages: int = DEFAULT_MAX_PAGES  # HTML pages read per poll, a bound on a crawl gone wide

    def allows_host(self, url: str) -> bool:
        return (urlsplit(url).hostname or "").lower() in self.allowed_hosts


def load_sources(path: Path) -> list[Source]:
    """The sources of a YAML file (`sources:` list); an absent or empty list means nothing to fetch."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as error:
        raise SourcesError(f"sources file not found: {path}") from error
    except yaml.YAMLError as error:
        raise SourcesError(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from error
    if not isinstance(document, dict):
        raise SourcesError(f"{path}: expected a mapping with a `sources:` list")
    entries = document.get("sources") or []
    if not isinstance(entries, list):
        raise SourcesError(f"{path}: `sources` must be a list")
    sources = [parse_source(entry, index) for index, entry in enumerate(entries)]
    names = [source.name for source in sources]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SourcesError(f"{path}: source names must be unique: {', '.join(duplicated)}")
    return sources


def parse_source(entry: object, index: int) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"source #{index + 1}: expected a mapping")
    label = f"source {entry.get('name', f'#{index + 1}')!r}"
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise SourcesError(f"{label}: unknown field(s) {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourcesError(f"{label}: `name` must be lowercase letters, digits, _ or - (it names the saved files)")
    start_urls = entry.get("start_urls")
    if isinstance(start_urls, str):
        start_urls = [start_urls]
    if not start_urls or not all(isinstance(url, str) for url in start_urls):
        raise SourcesError(f"{label}: `start_urls` must be a non-empty list of URLs")
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
            raise SourcesError(f"{label}: start URL {url!r} is not an http(s) URL")
    hosts = entry.get("allowed_hosts") or [urlsplit(url).hostname for url in start_urls]
    if not isinstance(hosts, list) or not all(isinstance(host, str) and host for host in hosts):
        raise SourcesError(f"{label}: `allowed_hosts` must be a list of host names")
    return Source(
        name=name,
        start_urls=tuple(start_urls),
        max_depth=_number(entry, "max_depth", DEFAULT_MAX_DEPTH, label, int, minimum=0),
        pdf_pattern=_pattern(entry, "pdf_pattern", label),
        page_pattern=_pattern(entry, "page_pattern", label),
        pagination_pattern=_pattern(entry, "pagination_pattern", label),
        allowed_hosts=frozenset(host.lower() for host in hosts),
        max_bytes=_number(entry, "max_bytes", DEFAULT_MAX_BYTES, label, int, minimum=1),
        min_interval_s=_number(entry, "min_interval_s", DEFAULT_MIN_INTERVAL_S, label, float, minimum=0),
        timeout_s=_number(entry, "timeout_s", DEFAULT_TIMEOUT_S, label, float, minimum=0.01),
        retries=_number(entry, "retries", DEFAULT_RETRIES, label, int, minimum=0),
        max_pages=_number(entry, "max_pages", DEFAULT_MAX_PAGES, label, int, minimum=1),
    )


def _number(entry: dict, key: str, default, label: str, kind: type, minimum: float):
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise SourcesError(f"{label}: `{key}` must be a{'n integer' if kind is int else ' number'}, not {value!r}")
    if value < minimum:
        raise SourcesError(f"{label}: `{key}` must be at least {minimum}, not {value!r}")
    return kind(value)


def _pattern(entry: dict, key: str, label: str) -> re.Pattern | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        return re.compile(value)
    except (re.error, TypeError) as error:
        raise SourcesError(f"{label}: `{key}` is not a valid regular expression: {error}") from error
