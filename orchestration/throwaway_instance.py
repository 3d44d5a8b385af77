"""The Dagster instance of a CLI run without $DAGSTER_HOME: Dagster's ephemeral instance, one connection.

Dagster's in-memory event log opens a new connection to its in-memory SQLite database, and sets two
pragmas on it, for every read and write. A one-document run stores about 290 events (planned and done
materializations and check evaluations, step outputs), each in up to three such connections: 1.16 s of
the run, 0.72 s on one held connection (`SqlEventLogStorage.store_event` timed over a whole run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage
from sqlalchemy.engine import Connection


class HeldConnectionEventLogStorage(InMemoryEventLogStorage):
    """Every read and write on the connection the storage already holds (it keeps the in-memory database
    alive), one at a time under the storage's lock, each in a transaction of its own as before."""

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn


def throwaway_instance() -> dg.DagsterInstance:
    """What `DagsterInstance.ephemeral()` builds (Dagster 1.13's `create_ephemeral_instance`), but for the event log."""
    return dg.DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=HeldConnectionEventLogStorage(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
