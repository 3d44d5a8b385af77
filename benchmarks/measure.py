"""How one benchmark step is measured: a child process's wall time and memory, and the warehouse's own timings.

Memory, two figures per child:
- `rss_max_single_mib`: `ru_maxrss` from `os.wait4` on the child, which on Linux is the largest
  single process among the child and the descendants it reaped (Dagster's extraction workers,
  the dbt subprocess). Per child, unlike `getrusage(RUSAGE_CHILDREN)`, which keeps the maximum
  over every child the benchmark ever ran.
- `rss_tree_peak_mib`: the peak of the summed RSS of the whole process tree, sampled every
  0.1 s with psutil when it is installed (None otherwise). Pages shared between forked workers
  are counted once per process, so it is an upper bound; short spikes between samples are missed.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

try:
    import psutil
except ImportError:  # optional: only the tree-sum figure needs it
    psutil = None

PACKAGES = [
    "pdfplumber",
    "pdfminer.six",
    "pypdfium2",
    "dagster",
    "dagster-dbt",
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "pandas",
    "pandera",
    "psutil",
]
_DBT_FINISHED = re.compile(r"Finished running .* \(([\d.]+)s\)")
_STATUSES = re.compile(r"loaded: (\d+), quarantined: (\d+), failed: (\d+)")
_FOUND = re.compile(r"documents found: (\d+)")
SAMPLE_SECONDS = 0.1
EPOCH = datetime(1970, 1, 1)


def utc_now() -> datetime:
    """Naive UTC, like `ops.documents.extracted_at`."""
    return datetime.now(UTC).replace(tzinfo=None)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.stop.wait(SAMPLE_SECONDS)


def run_child(cmd: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> dict:
    """Run cmd to completion (stdout+stderr into log); wall seconds, memory, exit code, output."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load_before = round(os.getloadavg()[0], 2)
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, stdin=subprocess.DEVNULL
        )
        sampler = _TreeSampler(proc.pid) if psutil else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop.set()
            sampler.join()
    return {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),  # the child and its reaped descendants
        "loadavg_1m_at_start": load_before,
        "rss_max_single_mib": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
        "rss_tree_peak_mib": round(sampler.peak / 2**20, 1) if sampler else None,
        "returncode": proc.returncode,
        "output": log.read_text(encoding="utf-8", errors="replace"),
    }


def _naive_utc(value):
    """`extracted_at` as naive UTC whether the warehouse stores it with a time zone or without."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _seconds(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def extraction_stage(warehouse: Path, since: datetime) -> dict:
    """Documents extracted by the run that started at `since`, from the assets' own records.

    The stage window runs from the earliest document start (extracted_at - extract_seconds) to
    the latest document end; worker start-up and Dagster's bookkeeping around it are outside.
    A column the warehouse does not have (the pipeline's records may change) leaves its figures
    None, reported as missing; `stage_error` says why when ops.documents cannot be read at all.
    """
    import duckdb

    empty = {"docs_extracted": 0, "pages": 0, "extract_window_seconds": 0.0, "extract_cpu_seconds": 0.0}
    if not warehouse.exists():
        return empty | {"stage_error": "no warehouse"}
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            cursor = con.execute("select * from ops.documents")
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    except duckdb.Error as error:
        return {key: None for key in empty} | {"stage_error": str(error).splitlines()[0]}
    if "extracted_at" not in names:
        return {key: None for key in empty} | {"stage_error": "ops.documents has no extracted_at"}
    fresh = [r for r in rows if (at := _naive_utc(r["extracted_at"])) is not None and at >= since]
    figures = {
        "docs_extracted": len(fresh),
        "pages": sum(r.get("pages") or 0 for r in fresh) if "pages" in names else None,
        "extractor_versions": sorted({r["extractor_version"] for r in rows if r.get("extractor_version")}),
        "docs_in_warehouse": len(rows),
        "pages_in_warehouse": sum(r.get("pages") or 0 for r in rows) if "pages" in names else None,
    }
    spans = [(_naive_utc(r["extracted_at"]), _seconds(r.get("extract_seconds"))) for r in fresh]
    if not fresh:
        return figures | {"extract_window_seconds": 0.0, "extract_cpu_seconds": 0.0, "validate_seconds": 0.0}
    if any(took is None for _, took in spans):
        return figures | {"extract_window_seconds": None, "extract_cpu_seconds": None, "validate_seconds": None}
    ends = [(at - EPOCH).total_seconds() for at, _ in spans]
    starts = [end - took for end, (_, took) in zip(ends, spans)]
    validate = [_seconds(r.get("validate_seconds")) for r in fresh]
    return figures | {
        "extract_window_seconds": round(max(ends) - min(starts), 3),
        "extract_cpu_seconds": round(sum(took for _, took in spans), 3),  # summed over parallel workers
        # part of extract, summed likewise
        "validate_seconds": round(sum(validate), 3) if None not in validate else None,
    }


def _last_int(pattern: re.Pattern, output: str) -> int | None:
    found = pattern.findall(output)
    return int(found[-1]) if found else None


def parse_output(output: str) -> dict:
    """What the CLI prints, read defensively: a line that is not there leaves its figure None.

    dbt's own 'Finished running ... (N s)' (None when no build was reported: a no-op skips dbt),
    the documents found, and the document statuses.
    """
    dbt = _DBT_FINISHED.findall(output)
    statuses = _STATUSES.findall(output)
    return {
        "dbt_seconds": round(sum(float(s) for s in dbt), 3) if dbt else None,
        "dbt_ran": bool(dbt),
        "docs_found": _last_int(_FOUND, output),
        "statuses": dict(zip(("loaded", "quarantined", "failed"), map(int, statuses[-1]))) if statuses else None,
    }


def dbt_log_seconds(warehouse: Path, since_epoch: float) -> float | None:
    """dbt's 'Finished running ... (N s)' of the build this run made, from the warehouse's own dbt.log
    (`<folder>/<name>/dbt/dbt.log`): the CLI prints dbt's log only with --verbose. None when the log was
    not written since `since_epoch` (a no-op builds nothing)."""
    log = warehouse.parent / warehouse.stem / "dbt" / "dbt.log"
    if not log.exists() or log.stat().st_mtime < since_epoch:
        return None
    found = _DBT_FINISHED.findall(log.read_text(encoding="utf-8", errors="replace"))
    return round(float(found[-1]), 3) if found else None


def machine_info(repo: Path) -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], check=False, cwd=repo, capture_output=True, text=True)
        return done.stdout.strip()

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        (int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")),
        0,
    )
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty_files": len(git("status", "--porcelain").splitlines()),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
