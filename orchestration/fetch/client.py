"""One HTTP client for a poll, polite and careful: robots.txt, one request at a time per host with the
source's interval, timeouts, retries with backoff, and redirects followed only to allowed hosts."""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import httpx

from orchestration.fetch.sources import ALLOWED_SCHEMES, Source

ROBOTS_AGENT = "budget-disclosure-warehouse"
USER_AGENT = f"{ROBOTS_AGENT}/0.1 (open-source budget-disclosure warehouse; polls the pages listed in its sources.yaml)"
MAX_REDIRECTS = 5
BACKOFF_BASE_S = 1.0  # 1 s, 2 s, 4 s … between attempts
RETRY_STATUSES = range(500, 600)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class Refused(Exception):
    """The URL may not be fetched: scheme, host outside the source's allowed hosts, or robots.txt."""


class FetchFailed(Exception):
    """The server could not be reached or kept failing after the retries."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


class PoliteClient:
    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        backoff_base_s: float = BACKOFF_BASE_S,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.http = httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=False, transport=transport)
        self.backoff_base_s = backoff_base_s
        self.sleep = sleep
        self.requests = 0
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def get(self, source: Source, url: str, headers: dict[str, str] | None = None) -> Iterator[httpx.Response]:
        """GET `url` (body not read yet: stream it), following redirects hop by hop.

        Every hop is checked before it is requested: http(s) only, a host of the source, allowed by robots.txt.
        `response.url` is where the body came from.
        """
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_allowed(source, url)
            response = self._send(source, url, headers or {})
            if response.status_code not in REDIRECT_STATUSES:  # httpx's `is_redirect` counts 304 in
                try:
                    yield response
                finally:
                    response.close()
                return
            response.close()
            location = response.headers.get("location")
            if not location:
                raise FetchFailed(f"HTTP {response.status_code} redirect without a Location", response.status_code)
            url = urljoin(str(response.url), location)
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")

    def check_allowed(self, source: Source, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise Refused(f"only http and https are fetched, not {parts.scheme or 'a relative URL'}: {url}")
        if not source.allows_host(url):
            raise Refused(f"host {parts.hostname} is not among the source's allowed hosts")
        robots = self._robots_for(source, url)
        if isinstance(robots, str):
            raise Refused(robots)
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise Refused(f"robots.txt of {parts.netloc} disallows {parts.path or '/'}")

    def _robots_for(self, source: Source, url: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's robots.txt: missing (4xx) allows everything, unreachable (5xx, errors) allows nothing."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            robots_url = f"{origin}/robots.txt"
            parser = urllib.robotparser.RobotFileParser(robots_url)
            try:
                response = self._send(source, robots_url, {}, read=True)
            except FetchFailed as error:
                self._robots[origin] = f"robots.txt of {parts.netloc} could not be read ({error}): nothing fetched"
                return self._robots[origin]
            if response.status_code == 200:
                parser.parse(response.text.splitlines())
            else:
                parser.parse([])  # 3xx/4xx: no rules, everything allowed (RFC 9309)
            self._robots[origin] = parser
        return self._robots[origin]

    def _send(self, source: Source, url: str, headers: dict[str, str], read: bool = False) -> httpx.Response:
        """One request, retried with exponential backoff on 5xx and on connection errors and timeouts."""
        attempts = source.retries + 1
        for attempt in range(attempts):
            if attempt:
                self.sleep(self.backoff_base_s * 2 ** (attempt - 1))
            self._wait_turn(source, url)
            request = self.http.build_request("GET", url, headers=headers, timeout=source.timeout_s)
            try:
                response = self.http.send(request, stream=True)
                if read or response.status_code in RETRY_STATUSES:
                    response.read()
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}".rstrip(": ")
                status = None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                response.close()
                problem, status = f"HTTP {response.status_code}", response.status_code
        raise FetchFailed(f"{problem} (after {attempts} attempt{'s' if attempts > 1 else ''})", status)

    def _wait_turn(self, source: Source, url: str) -> None:
        """Requests run one at a time; to one host, at least `min_interval_s` apart."""
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = last + source.min_interval_s - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = time.monotonic()
        self.requests += 1
