"""Extraction worker processes: a standard process pool, each worker bounded in memory.

Workers are spawned, not forked: each starts a fresh interpreter that imports only the extraction code,
so a worker never carries the run process's Dagster and dbt heap, and nothing depends on what the parent
held when it forked. A fetched PDF may be hostile, so every document is read in a worker whose memory is
capped (`BUDGET_EXTRACT_MEMORY_MB`, ingest/bounds.py): an allocation over the cap fails inside that worker
and the document is quarantined with the reason; a worker that dies outright loses only its own document.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from orchestration.ingest.bounds import DocumentLimits, limits_from_env
from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.outcome import DocumentOutcome


def start_worker(memory_bytes: int) -> None:
    """Cap the worker's memory, then import the extraction code once for all its documents.

    RLIMIT_DATA counts what the worker writes (heap and private mappings), not the address space that
    libraries reserve and never touch, so the cap is close to the memory a document really takes.
    """
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    import orchestration.ingest.process  # noqa: F401  pandas, pandera, pdfplumber, pypdfium2
    from orchestration.warehouse.landing import keep_engine_in_this_worker

    keep_engine_in_this_worker()


def extract_in_worker(raw_dir: Path, doc: RawDocument, landing_dir: Path) -> DocumentOutcome:
    """`process_document`, named here so that submitting it does not import it into the run process."""
    from orchestration.ingest.process import process_document

    return process_document(raw_dir, doc, landing_dir)


def extraction_pool(workers: int, memory_bytes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(memory_bytes,),
    )


def extract_documents_in_pool(
    raw_dir: Path,
    landing_dir: Path,
    documents: list[RawDocument],
    on_outcome: Callable[[DocumentOutcome], None] = lambda outcome: None,
) -> list[DocumentOutcome]:
    """Every document extracted and landed by the pool, largest first so the workers finish together.

    A worker that dies (killed, or crashed in native code) breaks the whole pool: the documents it
    left unfinished are tried again one at a time in a pool of their own, so the one that killed
    its worker is found and quarantined, and the others still load.
    """
    limits = limits_from_env()
    workers = max(1, min(len(documents), os.cpu_count() or 1))
    outcomes: dict[str, DocumentOutcome] = {}
    unfinished = _run_pool(raw_dir, landing_dir, documents, workers, limits.memory_bytes, outcomes, on_outcome)
    for doc in unfinished:
        if _run_pool(raw_dir, landing_dir, [doc], 1, limits.memory_bytes, outcomes, on_outcome):
            outcome = _land_worker_death(raw_dir, landing_dir, doc, limits)
            outcomes[doc.partition_key] = outcome
            on_outcome(outcome)
    return [outcomes[doc.partition_key] for doc in documents]


def _run_pool(
    raw_dir: Path,
    landing_dir: Path,
    documents: list[RawDocument],
    workers: int,
    memory_bytes: int,
    outcomes: dict[str, DocumentOutcome],
    on_outcome: Callable[[DocumentOutcome], None],
) -> list[RawDocument]:
    """Run the documents on a new pool; return those a dead worker left without an outcome."""
    ordered = sorted(documents, key=lambda d: d.size, reverse=True)
    broken: list[RawDocument] = []
    with extraction_pool(workers, memory_bytes) as pool:
        futures: dict[Future, RawDocument] = {
            pool.submit(extract_in_worker, raw_dir, doc, landing_dir): doc for doc in ordered
        }
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken.append(futures[future])
                continue
            outcomes[outcome.partition_key] = outcome
            on_outcome(outcome)
    return broken


def _land_worker_death(raw_dir: Path, landing_dir: Path, doc: RawDocument, limits: DocumentLimits) -> DocumentOutcome:
    from orchestration.ingest.process import land_document, prepare_unreadable

    cause = f"out of memory under its limit of {limits.memory_mib} MiB, " if limits.memory_bytes else ""
    reason = f"the extraction process died while reading this document ({cause}or a crash in native code)"
    return land_document(landing_dir, prepare_unreadable(raw_dir, doc, reason))
