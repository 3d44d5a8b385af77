"""The processes that extract documents, and starting them before the run process gets heavy.

A worker forked by the extraction asset is a copy of the run process at that moment: Dagster, dagster-dbt,
the code location. Its resident memory starts where the run process's stands
(≈ 300 MiB) before it opens a PDF, and the process tree holds that once per worker. The CLI knows
how many documents are pending before it imports any of that (`runner.run_pipeline`), so when there
is more than one it forks the workers then (`preforked_workers`); they import the extraction code
themselves while the run process imports the rest, and the extraction asset takes them over
(`take_preforked_workers`). A run without them (the UI, the sensor's runs) gets its pool from the
asset. A single document is extracted in the run process, unless the CLI read it early (ingest/early.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.outcome import DocumentOutcome

_PREFORKED: ProcessPoolExecutor | None = None


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers (no re-import of the parent's modules), each set up by `_start_worker`."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
    )


def extract_in_worker(raw_dir: Path, doc: RawDocument, landing_dir: Path) -> DocumentOutcome:
    """`process_document`, named here so that submitting it does not import it into the run process."""
    from orchestration.ingest.process import process_document

    return process_document(raw_dir, doc, landing_dir)


def _start_worker() -> None:
    import orchestration.extraction.extract  # noqa: F401  pandas, pandera, pdfplumber, pypdfium2: once per worker
    import orchestration.ingest.process  # noqa: F401
    from orchestration.warehouse.landing import keep_engine_in_this_worker

    gc.freeze()  # the worker's collections skip the heap it was forked with
    gc.enable()  # the CLI forks the workers while its own collector is paused
    keep_engine_in_this_worker()


@contextmanager
def preforked_workers(count: int) -> Iterator[ProcessPoolExecutor]:
    """Within the block, the next extraction in this process runs on `count` workers forked now.

    Fork nothing else from this process while the pool lives (dbt's warm child, if any, goes
    first): from its first task on the pool keeps threads of its own here, and a child forked
    then could inherit one of their locks held.
    """
    global _PREFORKED
    pool = _PREFORKED = extraction_pool(count)
    pool.submit(os.getpid)  # a ProcessPoolExecutor forks its workers at the first task
    try:
        yield pool
    finally:
        if _PREFORKED is pool:
            _PREFORKED = None
        pool.shutdown(cancel_futures=True)  # the asset's own `with` already did, if it took the pool


def take_preforked_workers() -> ProcessPoolExecutor | None:
    global _PREFORKED
    pool, _PREFORKED = _PREFORKED, None
    return pool


def discard_preforked_workers() -> None:
    """Stop workers no extraction took (it failed before it got to them), so that forking is safe again."""
    pool = take_preforked_workers()
    if pool is not None:
        pool.shutdown(cancel_futures=True)
