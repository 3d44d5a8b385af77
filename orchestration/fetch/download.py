"""One PDF link: conditional GET, streamed to a temporary file, kept only if it is a whole PDF under the limit."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from orchestration.fetch.client import FetchFailed, PoliteClient, Refused
from orchestration.fetch.naming import saved_path
from orchestration.fetch.record import FetchRecord
from orchestration.fetch.sources import Source
from orchestration.fetch.state import FetchState

PDF_MAGIC = b"%PDF"
EOF_MARKER = b"%%EOF"
HEAD_BYTES = 40  # kept to quote in the reason when a body is not a PDF
TAIL_BYTES = 2048  # a PDF ends with %%EOF, give or take trailing whitespace or a little junk
TEMP_DIR = ".fetching"  # inside the raw folder (same file system: the final move is a rename); never *.pdf


class NotKept(Exception):
    def __init__(self, outcome: str, reason: str):
        super().__init__(reason)
        self.outcome = outcome


@dataclass
class Poll:
    """What one poll shares between downloads: where files go, what is known, what the client is."""

    client: PoliteClient
    raw_dir: Path
    state: FetchState
    known_content: dict[str, str]  # sha256 -> a file of the raw folder holding it (relative path)


def fetch_pdf(poll: Poll, source: Source, url: str, parent_url: str | None) -> FetchRecord:
    record = FetchRecord(source.name, url, parent_url, outcome="failed")
    temp_dir = poll.raw_dir / TEMP_DIR
    temp_dir.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=temp_dir, suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            _download(poll, source, url, out, record)
        if record.outcome == "failed":  # downloaded in full: decide what it is
            _keep(poll, source, url, temp, record)
    except Refused as error:
        record.outcome, record.reason = "refused", str(error)
    except FetchFailed as error:
        record.outcome, record.reason, record.http_status = "failed", str(error), error.status or record.http_status
    except NotKept as error:
        record.outcome, record.reason = error.outcome, str(error)
    finally:
        temp.unlink(missing_ok=True)
    return record


def _download(poll: Poll, source: Source, url: str, out, record: FetchRecord) -> None:
    """Stream the body into `out`; sets `record` to `unchanged` on 304, else leaves it `failed` until kept."""
    headers = poll.state.conditional_headers(url, poll.raw_dir)
    with poll.client.get(source, url, headers) as response:
        record.http_status = response.status_code
        record.final_url = str(response.url) if str(response.url) != url else None
        record.etag = response.headers.get("etag")
        record.last_modified = response.headers.get("last-modified")
        if response.status_code == 304:
            known = poll.state.urls[url]
            record.outcome, record.reason = "unchanged", "not modified since the last poll (HTTP 304)"
            record.sha256, record.saved_as = known.sha256, known.saved_as
            record.etag, record.last_modified = record.etag or known.etag, record.last_modified or known.last_modified
            return
        if response.status_code != 200:
            raise FetchFailed(f"HTTP {response.status_code}", response.status_code)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > source.max_bytes:
            raise NotKept("too_large", f"Content-Length {int(declared):,} bytes is over max_bytes {source.max_bytes:,}")
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            for chunk in response.iter_bytes():  # decoded: max_bytes bounds what a gzip body inflates to
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                    if len(head) >= len(PDF_MAGIC) and not head.startswith(PDF_MAGIC):
                        raise NotKept("not_pdf", _not_pdf_reason(response, head))
                size += len(chunk)
                if size > source.max_bytes:
                    raise NotKept("too_large", f"over max_bytes {source.max_bytes:,} (download stopped)")
                digest.update(chunk)
                out.write(chunk)
        except httpx.HTTPError as error:  # the connection broke or stalled mid-body
            raise FetchFailed(f"incomplete download after {size:,} bytes: {type(error).__name__}") from error
        encoded = response.headers.get("content-encoding", "identity") != "identity"
        if declared and declared.isdigit() and not encoded and size != int(declared):
            raise FetchFailed(f"incomplete download: {size:,} of {int(declared):,} bytes")
        if size < len(PDF_MAGIC):
            raise NotKept("not_pdf", f"only {size} bytes, no %PDF header")
        record.sha256, record.bytes = digest.hexdigest(), size


def _not_pdf_reason(response: httpx.Response, head: bytes) -> str:
    served = response.headers.get("content-type", "no content type").split(";")[0]
    start = head.decode("utf-8", "replace").split("\n")[0].strip()
    return f"served {served}, starting {start!r} instead of %PDF"


def _keep(poll: Poll, source: Source, url: str, temp: Path, record: FetchRecord) -> None:
    """Save a complete PDF as a new file, unless its content is what this URL served last or already on disk."""
    with temp.open("rb") as handle:
        handle.seek(max(0, record.bytes - TAIL_BYTES))
        if EOF_MARKER not in handle.read():
            raise FetchFailed(f"incomplete PDF: no {EOF_MARKER.decode()} marker at its end ({record.bytes:,} bytes)")
    previous = poll.state.urls.get(url)
    validators = {"etag": record.etag, "last_modified": record.last_modified}
    if (
        previous is not None
        and previous.sha256 == record.sha256
        and (poll.raw_dir / (previous.saved_as or "")).is_file()
    ):
        record.outcome, record.reason, record.saved_as = "unchanged", "same content as the last poll", previous.saved_as
        poll.state.remember(url, **validators)
        return
    existing = poll.known_content.get(record.sha256)
    if existing is not None and (poll.raw_dir / existing).is_file():
        record.outcome, record.reason, record.saved_as = "duplicate", f"same content as {existing}", existing
        poll.state.remember(url, sha256=record.sha256, saved_as=existing, **validators)
        return
    relative = saved_path(source.name, url, record.sha256)
    target = poll.raw_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(temp, target)  # never replaces a file: an existing name raises FileExistsError
    except FileExistsError:
        pass  # the name carries the content hash: the file there holds these bytes already
    record.outcome, record.saved_as = "saved", relative.as_posix()
    if previous is not None and previous.sha256 and previous.sha256 != record.sha256:
        record.reason = f"a revision: this URL served other content before ({previous.saved_as})"
    poll.known_content[record.sha256] = record.saved_as
    poll.state.remember(url, sha256=record.sha256, saved_as=record.saved_as, **validators)
