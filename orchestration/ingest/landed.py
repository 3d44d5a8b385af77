"""Which raw documents the landing zone already holds as the current extractor would land them.

Apart from process.py, which imports the pandera contracts: deciding "nothing new" loads neither
them nor the PDF libraries (only the extractor's version digest).
"""

from __future__ import annotations

from pathlib import Path

from orchestration.extraction.version import extractor_version
from orchestration.ingest.discovery import RawDocument
from orchestration.warehouse.landing import landed_documents


def already_landed(landing_dir: Path, documents: list[RawDocument]) -> list[RawDocument]:
    """The documents whose landed copy is current: extracting them again would change nothing."""
    landed = landed_documents(landing_dir, [doc.partition_key for doc in documents])
    return [doc for doc in documents if is_current(doc, landed.get(doc.partition_key))]


def is_current(doc: RawDocument, landed: dict | None) -> bool:
    """Same content, same extractor version, landed before.

    `failed` documents are retried (the failure may have been transient or a fixed bug).
    """
    return bool(
        landed
        and landed["sha256"] == doc.sha256
        and landed.get("extractor_version") == extractor_version()
        and landed["status"] in ("loaded", "quarantined")
        and landed["source_files"] == "; ".join(doc.paths)
    )
