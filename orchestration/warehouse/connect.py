"""Open the warehouse for reading, waiting briefly while a writer (dbt) releases its lock; one writer at a time."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

LOCK_WAIT_SECONDS = 30.0
RETRY_DELAY_SECONDS = 0.25


def connect_read_only(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """DuckDB refuses even read-only opens while another process holds the write lock: retry, then fail."""
    return _connect_waiting(path, read_only=True, wait_seconds=wait_seconds)


def wait_until_writable(path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> None:
    """A reader's lock would make dbt fail at once: wait for readers of the warehouse file to let go first."""
    if path.exists():
        _connect_waiting(path, read_only=False, wait_seconds=wait_seconds).close()


@contextmanager
def exclusive_writer(path: Path) -> Iterator[None]:
    """Hold `<warehouse>.writer.lock` while writing the warehouse: DuckDB allows one writing process per file.

    Dagster's `duckdb_warehouse` pool serializes only the runs of one instance, and on SQLite storage
    two runs can still take its one slot at once (the claim's `SELECT … FOR UPDATE` does nothing
    there): seen as two dbt builds starting in the same second, one failing with "Could not set lock"
    (tests/e2e/test_concurrency.py). An OS file lock is atomic across processes, whatever their
    instance, and goes away with a process that dies; a child forked inside the block holds it too.
    """
    lock = path.with_name(f"{path.name}.writer.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _connect_waiting(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(RETRY_DELAY_SECONDS)


def publish_copy(warehouse: Path, published: Path) -> Path:
    """Copy the just-built warehouse and swap it in atomically: readers of `published` never see a half file
    and never meet the builder's write lock."""
    if warehouse.with_name(f"{warehouse.name}.wal").exists():
        # writes still in the write-ahead log are not in the file yet: fold them in before copying
        with duckdb.connect(str(warehouse)) as con:
            con.execute("CHECKPOINT")
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    tmp.replace(published)
    return published
