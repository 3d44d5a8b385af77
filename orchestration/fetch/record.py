"""What a poll did with each URL: one row of the fetch log (landing `fetches`, dbt `ops.fetches`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

# saved: a new PDF written to the raw folder; unchanged: the URL still serves what was saved before
# (HTTP 304, or the same bytes); duplicate: content already in the raw folder under another name/URL;
# not_pdf / too_large: the response was not kept; refused: never requested (scheme, host, robots.txt);
# failed: the server or the network failed (after the retries), or the download was incomplete.
OUTCOMES = ("saved", "unchanged", "duplicate", "not_pdf", "too_large", "refused", "failed")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class FetchRecord:
    source: str
    url: str
    parent_url: str | None
    outcome: str
    reason: str | None = None
    http_status: int | None = None
    final_url: str | None = None  # after redirects
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    saved_as: str | None = None  # path relative to the raw folder (saved, unchanged, duplicate)
    fetched_at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown fetch outcome {self.outcome!r}")

    def describe(self) -> str:
        where = f" -> {self.saved_as}" if self.saved_as else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.outcome}: {self.url}{where}{why}"
