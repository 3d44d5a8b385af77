"""Untrusted PDFs stay bounded: a document too big or too costly to extract is quarantined with the true reason.

Checked before extraction, cheaply: the page count, and per page the size its content streams inflate to
(inflated in chunks up to the limit, never whole) and, for a page whose content is large, the path
segments it draws (pdfium counts them). Extraction itself runs under a time limit, in a worker process
whose memory is capped (ingest/pool.py). Limits come from the environment (`BUDGET_MAX_PAGES`,
`BUDGET_MAX_PAGE_CONTENT_MB`, `BUDGET_MAX_PAGE_SEGMENTS`, `BUDGET_EXTRACT_SECONDS`,
`BUDGET_EXTRACT_MEMORY_MB`); a PDF the checks cannot parse is left to the extractor, which names its fault.
"""

from __future__ import annotations

import os
import signal
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.extraction.model import StructuralError

INFLATE_CHUNK = 1 << 20
DRAWING_CHECK_FROM_BYTES = 1 << 20  # a budget table page's content is tens of kilobytes
FLATE = {"FlateDecode", "Fl"}


@dataclass(frozen=True)
class DocumentLimits:
    max_pages: int = 2000
    max_page_content_bytes: int = 64 * 1024 * 1024
    max_page_segments: int = 200_000  # path segments drawn on one page (a rectangle is 5)
    seconds: float = 600.0  # extraction of one document; 0: no limit
    memory_bytes: int = 2048 * 1024 * 1024  # data memory of one extraction worker; 0: no limit

    @property
    def memory_mib(self) -> int:
        return self.memory_bytes // (1024 * 1024)


def limits_from_env() -> DocumentLimits:
    env = os.environ
    default = DocumentLimits()
    return DocumentLimits(
        max_pages=int(env.get("BUDGET_MAX_PAGES", default.max_pages)),
        max_page_content_bytes=int(float(env.get("BUDGET_MAX_PAGE_CONTENT_MB", 64)) * 1024 * 1024),
        max_page_segments=int(env.get("BUDGET_MAX_PAGE_SEGMENTS", default.max_page_segments)),
        seconds=float(env.get("BUDGET_EXTRACT_SECONDS", default.seconds)),
        memory_bytes=int(float(env.get("BUDGET_EXTRACT_MEMORY_MB", default.memory_mib)) * 1024 * 1024),
    )


class ExtractionTimeout(BaseException):
    """Raised by the timer into the extraction; a BaseException, so no `except Exception` on the way swallows it."""


def check_bounds(path: Path, limits: DocumentLimits) -> None:
    """Raise StructuralError naming the limit a document is over; return quietly otherwise."""
    try:
        pages = _inflated_page_sizes(path, limits.max_page_content_bytes)
    except Exception:  # noqa: BLE001 - unparseable here: the extractor gives the document's real fault
        return
    if len(pages) > limits.max_pages:
        raise StructuralError(f"the document has {len(pages):,} pages, over the limit of {limits.max_pages:,}")
    for number, size in enumerate(pages, start=1):
        if size > limits.max_page_content_bytes:
            raise StructuralError(
                f"page {number}'s content inflates to more than {_mib(limits.max_page_content_bytes)} "
                "(a decompression bomb or a page too large to extract safely)"
            )
    large = [number for number, size in enumerate(pages, start=1) if size > DRAWING_CHECK_FROM_BYTES]
    for number, segments in _path_segments(path, large, limits.max_page_segments):
        if segments > limits.max_page_segments:
            raise StructuralError(
                f"page {number} draws more than {limits.max_page_segments:,} path segments "
                f"({segments:,} counted): too complex to extract safely"
            )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExtractionTimeout into the block after `seconds` (a SIGALRM timer: main thread only, else no limit).

    The timer's exception lands wherever the block is. Where that is a ctypes call into pdfium, ctypes wraps
    it in an `ArgumentError` of its own; where it is a finalizer, Python only prints it. So once the timer
    has fired, the block ends in ExtractionTimeout whatever it raised or returned.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    message = f"extraction took longer than the limit of {seconds:g} s"
    fired = False

    def expire(signum, frame):
        nonlocal fired
        fired = True
        raise ExtractionTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except ExtractionTimeout:
        raise
    except BaseException as error:
        if fired:
            raise ExtractionTimeout(message) from error
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise ExtractionTimeout(message)


def _inflated_page_sizes(path: Path, cap: int) -> list[int]:
    """Per page, the bytes its content streams (and the forms it uses) inflate to, counted up to `cap`."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        if document.encryption:
            return []  # streams are encrypted: the extractor reports the password protection
        return [_page_size(page, cap) for page in PDFPage.create_pages(document)]


def _page_size(page, cap: int) -> int:
    from pdfminer.pdftypes import PDFStream, resolve1

    streams = [resolve1(item) for item in page.contents]
    xobjects = resolve1((resolve1(page.resources) or {}).get("XObject")) or {}
    streams += [resolve1(item) for item in xobjects.values()]
    total = 0
    for stream in streams:
        if isinstance(stream, PDFStream) and _is_content(stream):
            total += _inflated_size(stream, cap - total + 1)
            if total > cap:
                break
    return total


def _is_content(stream) -> bool:
    subtype = stream.attrs.get("Subtype")
    return subtype is None or getattr(subtype, "name", None) == "Form"  # images are not parsed as content


def _inflated_size(stream, cap: int) -> int:
    filters = [getattr(name, "name", name) for name, _params in stream.get_filters()]
    raw = stream.rawdata or b""
    if len(filters) != 1 or filters[0] not in FLATE:
        return len(raw)  # other encodings do not multiply their size like deflate does
    inflater, total, pending = zlib.decompressobj(), 0, raw
    try:
        while pending and total <= cap:
            total += len(inflater.decompress(pending, INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a corrupt stream: the extractor sees it
    return total


def _path_segments(path: Path, page_numbers: list[int], cap: int) -> Iterator[tuple[int, int]]:
    if not page_numbers:
        return
    import pypdfium2
    import pypdfium2.raw as pdfium

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for number in page_numbers:
            page = pdf[number - 1]
            try:
                objects = [
                    pdfium.FPDFPage_GetObject(page.raw, i) for i in range(pdfium.FPDFPage_CountObjects(page.raw))
                ]
                yield number, _segments(pdfium, objects, cap)
            finally:
                page.close()
    finally:
        pdf.close()


def _segments(pdfium, objects, cap: int) -> int:
    total = 0
    for obj in objects:
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_PATH:
            total += max(pdfium.FPDFPath_CountSegments(obj), 0)
        elif kind == pdfium.FPDF_PAGEOBJ_FORM:
            inner = [pdfium.FPDFFormObj_GetObject(obj, i) for i in range(pdfium.FPDFFormObj_CountObjects(obj))]
            total += _segments(pdfium, inner, cap - total)
        if total > cap:
            break
    return total


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"
