"""Run a dbt command in a forked child of the run process instead of a fresh `dbt` subprocess.

A new `dbt` process spends seconds importing dbt-core and its adapter before it does any work, on every
build. `ForkedDbtProcess.fork` imports them in the run process first (`import_dbt`, the only place the
Dagster process imports dbt: defs/dagster_dbt_only.py), so the child starts warm. The child is
otherwise the subprocess dagster-dbt would start: the same arguments and environment, dbt's JSON log
lines on its stdout (a pipe), its exit code as the result. dagster-dbt's own `DbtCliInvocation` reads
that pipe and turns the lines into materializations and asset-check results, so nothing of its event
handling is reimplemented here. A separate process also keeps dbt's global state (flags, adapter
registry, the DuckDB connection holding the warehouse) out of the Dagster process.

The child does not parse the project either: `ensure_manifest` saved dbt's parse of the project once
(`target/partial_parse.msgpack`, stamped with the digest of the files it read), and that parse is the
same for every warehouse (profiles.yml keeps paths out of it). dbt's own partial parsing cannot reuse
it across warehouses because it hashes the profile's connection details, which name the warehouse
file. Only an unreadable saved parse (another dbt version) makes dbt parse as usual.

When a run will leave a core idle before its build (one new document, or none), `warm_dbt_child` forks
the child ahead of time: the CLI does it before it imports Dagster (head_start.py). The child imports
dbt itself, loads the saved parse and pays dbt's one-off start-up (JSON schemas of the project config,
adapter set-up, generated serialization code: about 1.5 s) on that core, then waits for the build's
arguments. The run process then never imports any of dbt.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest


def import_dbt() -> None:
    """What a dbt command needs beyond dagster-dbt's imports: dbt's CLI, parser and the DuckDB adapter."""
    import dbt.adapters.duckdb  # noqa: F401
    import dbt.cli.main  # noqa: F401
    import dbt.parser.manifest  # noqa: F401


class ForkedDbtProcess:
    """The part of `subprocess.Popen` that dagster-dbt's `DbtCliInvocation` uses, for a forked dbt."""

    def __init__(self, args: Sequence[str], pid: int, stdout_fd: int):
        self.args = ["dbt", *args]
        self.returncode: int | None = None
        self.pid = pid
        self.stdout = os.fdopen(stdout_fd, "rb")

    @classmethod
    def fork(cls, args: Sequence[str], env: Mapping[str, str], cwd: Path, saved_parse: Path) -> ForkedDbtProcess:
        import_dbt()  # before the fork: the child starts warm
        read_fd, write_fd = os.pipe()
        pid = _fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(read_fd)
            os._exit(_run_dbt_in_child(list(args), env, cwd, write_fd, load_saved_parse(saved_parse)))
        os.close(write_fd)
        return cls(args, pid, read_fd)

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, sig: int = signal.SIGINT) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)


class WarmDbtChild:
    """A dbt child forked before the build: it warms up, then runs the one command it is handed."""

    def __init__(self, cwd: Path, profiles_dir: Path, saved_parse: Path):
        command_read, command_write = os.pipe()
        self._stdout_read, stdout_write = os.pipe()
        self.pid = _fork()
        if self.pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(command_write)
            os.close(self._stdout_read)
            os._exit(_serve_one_command(command_read, stdout_write, cwd, profiles_dir, saved_parse))
        os.close(command_read)
        os.close(stdout_write)
        self._command = os.fdopen(command_write, "w", encoding="utf-8")

    def start(self, args: Sequence[str], env: Mapping[str, str]) -> ForkedDbtProcess:
        self._command.write(json.dumps({"args": list(args), "env": dict(env)}) + "\n")
        self._command.close()
        return ForkedDbtProcess(args, self.pid, self._stdout_read)

    def discard(self) -> None:
        """Never used: an empty command makes the child exit (processes forked after it hold copies of the
        pipe's writing end, so closing ours would not reach it as end-of-file)."""
        try:
            self._command.write("\n")
            self._command.flush()
        except OSError:
            pass  # the child is gone already
        self._command.close()
        os.close(self._stdout_read)
        os.waitpid(self.pid, 0)


_WARM_CHILDREN: dict[Path, WarmDbtChild] = {}


@contextmanager
def warm_dbt_child(cwd: Path, profiles_dir: Path, saved_parse: Path) -> Iterator[WarmDbtChild]:
    """Within the block, the next dbt command for this project runs in a child forked (and warmed) now."""
    child = _WARM_CHILDREN[cwd.resolve()] = WarmDbtChild(cwd, profiles_dir, saved_parse)
    try:
        yield child
    finally:
        if _WARM_CHILDREN.pop(cwd.resolve(), None) is child:
            child.discard()


def has_warm_child(cwd: Path) -> bool:
    return cwd.resolve() in _WARM_CHILDREN


def take_warm_child(cwd: Path) -> WarmDbtChild | None:
    return _WARM_CHILDREN.pop(cwd.resolve(), None)


def _fork() -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - in the child
        # A dbt child runs one command, then exits: it leaves its own cyclic garbage to the exit rather
        # than collect it some 900 times in a build (standalone builds, seven alternating pairs: median
        # 6.9 s -> 6.2 s, for about 30 MiB more at the peak). Frozen, the objects inherited from the run
        # process stay out of any collection a library still asks for (Python's advice for fork without
        # exec): it would otherwise walk the whole Dagster heap.
        gc.disable()
        gc.freeze()
        # dbt makes its adapter locks from a "spawn" context, whose semaphores are registered with the
        # resource tracker the child shares with its parent; the child exits without unregistering them
        # and the tracker reports them as leaked. It starts no processes: plain fork semaphores do.
        import dbt.mp_context

        dbt.mp_context._MP_CONTEXT = multiprocessing.get_context("fork")
    return pid


def _serve_one_command(command_fd: int, out_fd: int, cwd: Path, profiles_dir: Path, saved_parse: Path) -> int:
    """Warm up with output discarded, then run the command read from `command_fd` (none: exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the run's to handle while this child waits
    manifest = load_saved_parse(saved_parse)
    try:
        _warm_up(manifest, cwd, profiles_dir)
    except Exception:  # noqa: BLE001, S110 - warming is an optimisation: the command pays what it skipped
        pass
    with os.fdopen(command_fd, encoding="utf-8") as commands:
        line = commands.readline()
    if not line.strip():
        return 0
    command = json.loads(line)
    return _run_dbt_in_child(command["args"], command["env"], cwd, out_fd, manifest)


def _warm_up(manifest: Manifest | None, cwd: Path, profiles_dir: Path) -> None:
    """`dbt ls` goes through what every command pays once per process: project and profile validation,
    adapter registration, graph building. It opens no database connection and writes nothing kept."""
    from dbt.cli.main import dbtRunner

    os.chdir(cwd)
    with tempfile.TemporaryDirectory(prefix="dbt-warm-") as scratch:
        quiet = ["--quiet", "--no-write-json", "--log-level-file", "none", "--log-path", scratch]
        dbtRunner(manifest=manifest).invoke(
            ["ls", *quiet, "--target-path", scratch, "--project-dir", str(cwd), "--profiles-dir", str(profiles_dir)]
        )


def _run_dbt_in_child(
    args: list[str], env: Mapping[str, str], cwd: Path, out_fd: int, manifest: Manifest | None
) -> int:
    """dbt's stdout and stderr go to the pipe, as `subprocess.Popen(stdout=PIPE, stderr=STDOUT)` would."""
    from dbt.cli.main import dbtRunner

    try:
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        os.close(out_fd)
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        result = dbtRunner(manifest=manifest).invoke(args)
        code = 0 if result.success else (2 if result.exception is not None else 1)
    except BaseException as error:  # noqa: BLE001 - the parent learns of it from the exit code and this line
        print(f"dbt failed in the forked process: {error!r}", file=sys.stderr)
        code = 2
    finally:
        _close_warehouse()
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def _close_warehouse() -> None:
    """Close dbt-duckdb's database before the child exits.

    dbt-duckdb keeps an in-memory database (with the warehouse attached) open for the life of the
    process and drops it at exit; the child leaves with `os._exit`, which runs no exit handlers, so
    without this the last writes would stay in the warehouse's WAL instead of being checkpointed.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()


def load_saved_parse(path: Path) -> Manifest | None:
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    try:
        return Manifest.from_msgpack(path.read_bytes(), decoder=extended_mashumuro_decoder)
    except Exception as error:  # noqa: BLE001 - another dbt version's file: dbt parses instead
        print(f"saved dbt parse {path} unreadable ({error!r}); dbt parses the project", file=sys.stderr)
        return None
