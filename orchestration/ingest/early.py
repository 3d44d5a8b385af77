"""A single pending document read on the idle core before the run process has imported Dagster.

An incremental CLI run (one new PDF) spends its first second starting up and importing Dagster on one core
while the other idles; only then does it fork dbt's warm child onto that core, and only after the code
location and the run plan does the extraction asset read the document, on the run's critical path.
`early_extraction` forks a child at the CLI's start that extracts and validates the document then
(`process.prepare_document`: no side effect) and waits. The asset hands it the landing folder
(`take_early_extraction`, `EarlyExtraction.land`): the child writes the landing files then, inside the
Dagster run like any extraction worker, and sends back the outcome. The run process never imports the
extraction code. Whatever goes wrong with the child, the asset extracts the document itself.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.outcome import DocumentOutcome

_EARLY: EarlyExtraction | None = None


class EarlyExtraction:
    def __init__(self, raw_dir: Path, doc: RawDocument):
        self.doc = doc
        command_read, self._command = os.pipe()
        self._result, result_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(self._command)
            os.close(self._result)
            os._exit(_prepare_then_land(raw_dir, doc, command_read, result_write))
        os.close(command_read)
        os.close(result_write)

    def land(self, landing_dir: Path) -> DocumentOutcome | None:
        """The child's outcome, its landing files written now; None when the child could not deliver."""
        try:
            _send(self._command, pickle.dumps(landing_dir))
            with os.fdopen(self._result, "rb") as result:
                outcome = pickle.loads(result.read())
        except (OSError, EOFError, pickle.UnpicklingError):
            outcome = None
        self._close_command()
        os.waitpid(self.pid, 0)
        return outcome if isinstance(outcome, DocumentOutcome) else None

    def discard(self) -> None:
        """Never handed over: the child exits without landing anything."""
        try:
            _send(self._command, b"")
        except OSError:
            pass  # the child is gone already
        self._close_command()
        try:
            os.close(self._result)
        except OSError:
            pass
        os.waitpid(self.pid, 0)

    def _close_command(self) -> None:
        try:
            os.close(self._command)
        except OSError:
            pass


def _prepare_then_land(raw_dir: Path, doc: RawDocument, command_fd: int, result_fd: int) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the run's to handle
    gc.enable()  # the CLI forked this child while its own collector was paused
    try:
        from orchestration.ingest.process import land_document, prepare_document

        prepared = prepare_document(raw_dir, doc)
        message = _receive(command_fd)
        if not message:
            return 0
        outcome: object = land_document(pickle.loads(message), prepared)
    except Exception as error:  # noqa: BLE001 - the asset extracts the document itself
        outcome = repr(error)
    with os.fdopen(result_fd, "wb") as result:
        result.write(pickle.dumps(outcome))
    return 0


# Messages to the child carry their length: the command pipe never reaches end-of-file while a process the
# CLI forked later (dbt's warm child) holds a copy of its writing end. An empty message: exit, land nothing.
def _send(fd: int, message: bytes) -> None:
    os.write(fd, struct.pack("!Q", len(message)) + message)


def _receive(fd: int) -> bytes:
    """One message, or b"" if the CLI that forked this child is gone before sending one."""
    parent, received = os.getppid(), b""
    while os.getppid() == parent:
        if not select.select([fd], [], [], 1.0)[0]:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return b""
        received += chunk
        if len(received) >= 8 and len(received) - 8 >= struct.unpack("!Q", received[:8])[0]:
            return received[8:]
    return b""


@contextmanager
def early_extraction(raw_dir: Path, doc: RawDocument | None) -> Iterator[None]:
    """Within the block, `take_early_extraction` hands over `doc` read by a child forked now (None: no child)."""
    global _EARLY
    early = _EARLY = EarlyExtraction(raw_dir, doc) if doc is not None else None
    try:
        yield
    finally:
        if early is not None and _EARLY is early:
            _EARLY = None
            early.discard()


def take_early_extraction(doc: RawDocument) -> EarlyExtraction | None:
    """The child reading `doc`, if the CLI forked one for this very content; each child is taken once."""
    global _EARLY
    early = _EARLY
    if early is None or early.doc.partition_key != doc.partition_key or early.doc.sha256 != doc.sha256:
        return None
    _EARLY = None
    return early
