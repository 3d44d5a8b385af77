"""A publisher's web site served on 127.0.0.1 for the fetch tests: pages, PDFs honouring conditional GET,
redirects, errors, a flaky and a slow route. It records what it served, so tests can count downloads."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


def fake_pdf(label: str, size: int = 0) -> bytes:
    """Enough of a PDF for the fetcher (it is never extracted): the header, some bytes, the end marker."""
    body = f"%PDF-1.4\n% {label}\n".encode() + b"0" * size
    return body + b"\n%%EOF\n"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    validators: bool = False  # ETag / Last-Modified, answered with 304 when the client has them
    failures_left: int = 0  # answer 500 this many times first
    delay_s: float = 0.0


@dataclass
class Served:
    path: str
    status: int
    pdf_body: bool
    at: float
    user_agent: str


@dataclass
class PublisherSite:
    server: HTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    served: list[Served] = field(default_factory=list)
    # guards `served` and `in_flight`; notified when a request is answered
    answered: threading.Condition = field(default_factory=threading.Condition)
    in_flight: int = 0

    def __post_init__(self):
        self.server.expect_request(re.compile(r"^/.*")).respond_with_handler(self.handle)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def page(self, path: str, links: list[tuple[str, str]], extra: str = "") -> None:
        anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
        html = f"<!DOCTYPE html><html><head><title>{path}</title></head><body><ul>{anchors}</ul>{extra}</body></html>"
        self.routes[path] = Route(html.encode())

    def pdf(self, path: str, body: bytes, **options) -> None:
        self.routes[path] = Route(body, "application/pdf", validators=True, **options)

    def redirect(self, path: str, location: str) -> None:
        self.routes[path] = Route(status=302, location=location)

    def handle(self, request: Request) -> Response:
        with self.answered:
            self.in_flight += 1
        route = self.routes.get(request.path)
        if route is None:
            return self._log(request, Response("not found", status=404))
        if route.delay_s:
            time.sleep(route.delay_s)
        if route.failures_left:
            route.failures_left -= 1
            return self._log(request, Response("server error", status=500))
        if route.location:
            return self._log(request, Response(status=route.status, headers={"Location": route.location}))
        headers = {}
        if route.validators:
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if request.headers.get("If-None-Match") == etag:
                return self._log(request, Response(status=304, headers=headers))
        response = Response(route.body, status=route.status, content_type=route.content_type, headers=headers)
        return self._log(request, response, pdf_body=route.status == 200 and route.content_type == "application/pdf")

    def _log(self, request: Request, response: Response, pdf_body: bool = False) -> Response:
        with self.answered:
            agent = request.headers.get("User-Agent", "")
            self.served.append(Served(request.path, response.status_code, pdf_body, time.monotonic(), agent))
            self.in_flight -= 1
            self.answered.notify_all()
        return response

    def pdf_downloads(self) -> list[str]:
        """Paths whose PDF body was sent (a 200 of a PDF route), in order; then forget them.

        Waits for requests still being answered first: a client that gave up on the slow route returns
        before the server has finished answering it."""
        with self.answered:
            self.answered.wait_for(lambda: self.in_flight == 0, timeout=30)
            paths = [s.path for s in self.served if s.pdf_body]
            self.served.clear()
        return paths


def start_site() -> PublisherSite:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)  # threaded: a slow route blocks no other
    server.start()
    return PublisherSite(server)
