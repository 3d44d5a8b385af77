"""One poll of every source: crawl each, remember what was learnt, return the fetch log's rows."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from orchestration.fetch.client import PoliteClient
from orchestration.fetch.crawl import crawl_source
from orchestration.fetch.download import Poll
from orchestration.fetch.record import FetchRecord
from orchestration.fetch.sources import Source
from orchestration.fetch.state import FetchState
from orchestration.ingest.discovery import scan_raw_dir


def poll_sources(
    sources: list[Source],
    raw_dir: Path,
    state_dir: Path,
    client: PoliteClient | None = None,
    on_record: Callable[[FetchRecord], None] | None = None,
) -> list[FetchRecord]:
    """Fetch what is new from every source into `raw_dir`; a source that breaks never stops the others."""
    if not sources:
        return []
    raw_dir.mkdir(parents=True, exist_ok=True)
    state = FetchState.load(state_dir)
    # content already in the raw folder (fetched or dropped by hand) is never saved a second time
    known = {doc.sha256: doc.source_file for doc in scan_raw_dir(raw_dir, state_dir)}
    records: list[FetchRecord] = []
    with nullcontext(client) if client is not None else PoliteClient() as http:
        poll = Poll(http, raw_dir, state, known)
        for source in sources:
            try:
                for record in crawl_source(poll, source):
                    records.append(record)
                    if on_record is not None:
                        on_record(record)
            except Exception as error:  # a bug or an unforeseen page: this source stops, the others go on
                reason = f"source stopped: {type(error).__name__}: {error}".splitlines()[0][:300]
                records.append(FetchRecord(source.name, source.start_urls[0], None, "failed", reason))
            finally:
                state.save()
    return records
