"""Benchmark the pipeline against plain pdfplumber on the real corpus (`make bench`).

Each repetition runs, in this order, every step as a child process in a fresh temporary folder
outside the repository (the raw folders hold symlinks to the corpus files, never copies in the repo):

  baseline          plain pdfplumber over every page (benchmarks/baseline.py)
  cold              `budget-etl run` on the whole corpus into an empty warehouse
  noop              the same command again, nothing new
  cold_half         `budget-etl run` on every other file, into an empty warehouse (memory vs corpus size)
  incremental_prep  `budget-etl run` on the corpus minus its last file
  incremental       the last file added, `budget-etl run` again

Figures are medians over the repetitions; the table is printed and written as JSON to
benchmarks/results/bench-<UTC timestamp>.json and benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import measure
import report

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "benchmarks" / "results"
BIN = Path(sys.executable).parent
BASELINE = Path(__file__).resolve().parent / "baseline.py"
BUSY_LOAD = 0.5  # 1-min load average above which other work shares the CPUs


class StepFailed(Exception):
    pass


def corpus_dir() -> Path:
    return Path(os.environ.get("BUDGET_CORPUS_DIR") or REPO.parent / "shared" / "corpus").resolve()


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def link_into(raw: Path, corpus: Path, files: list[Path]) -> Path:
    for file in files:
        dest = raw / file.relative_to(corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(file)
    return raw


def baseline(files: list[Path], logs: Path) -> dict:
    done = measure.run_child([sys.executable, BASELINE, *files], logs / "baseline.log")
    if done["returncode"] != 0:
        raise StepFailed(f"baseline exited {done['returncode']}:\n{done['output'][-2000:]}")
    figures = json.loads(done.pop("output").strip().splitlines()[-1])
    figures.pop("files")
    return done | figures


def snapshot_env(work: Path) -> dict:
    """A frozen copy of orchestration/ and dbt_project/ (with its manifest) first on PYTHONPATH, so edits
    made to the working tree while the benchmark runs do not change what it measures."""
    root = work / "snapshot"
    shutil.copytree(REPO / "orchestration", root / "orchestration", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "dbt_project", root / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    (root / "dbt_project" / "target").mkdir()
    # the project parsed once (orchestration/defs/dbt_project.py: the saved parse and its files digest)
    for name in ("manifest.json", "partial_parse.msgpack", "parsed_files.sha256"):
        shutil.copy2(REPO / "dbt_project" / "target" / name, root / "dbt_project" / "target")
    return os.environ | {"PYTHONPATH": str(root)}


def child_cwd(env: dict | None) -> Path | None:
    """With a snapshot, children run inside it: `python -m` puts the working directory before PYTHONPATH."""
    return Path(env["PYTHONPATH"]) if env else None


def pipeline(raw: Path, warehouse: Path, log: Path, env: dict | None) -> dict:
    """One `budget-etl run` as a child process, with its timings taken apart."""
    since = measure.utc_now()
    cmd = [BIN / "budget-etl", "run", "--raw-dir", raw, "--warehouse", warehouse]
    done = measure.run_child(cmd, log, env=env, cwd=child_cwd(env))
    output = done.pop("output")
    if done["returncode"] != 0:
        raise StepFailed(f"budget-etl run exited {done['returncode']} (log: {log}):\n{output[-2000:]}")
    figures = done | measure.parse_output(output) | measure.extraction_stage(warehouse, since)
    figures["other_seconds"] = round(
        figures["wall_seconds"] - figures["extract_window_seconds"] - figures["dbt_seconds"], 3
    )
    return figures


def one_repetition(corpus: Path, files: list[Path], work: Path, env: dict | None) -> dict:
    def fresh(name: str) -> tuple[Path, Path]:
        return work / name / "raw", work / name / "warehouse" / "budget.duckdb"

    logs = work / "logs"
    steps = {"baseline": baseline(files, logs)}
    print(f"  baseline      {steps['baseline']['wall_seconds']:7.1f} s", flush=True)

    raw, wh = fresh("cold")
    link_into(raw, corpus, files)
    steps["cold"] = pipeline(raw, wh, logs / "cold.log", env)
    steps["noop"] = pipeline(raw, wh, logs / "noop.log", env)

    raw, wh = fresh("half")
    steps["cold_half"] = pipeline(link_into(raw, corpus, files[::2]), wh, logs / "cold_half.log", env)

    raw, wh = fresh("incremental")
    steps["incremental_prep"] = pipeline(link_into(raw, corpus, files[:-1]), wh, logs / "incremental_prep.log", env)
    link_into(raw, corpus, files[-1:])
    steps["incremental"] = pipeline(raw, wh, logs / "incremental.log", env)
    for name in ("cold", "noop", "cold_half", "incremental_prep", "incremental"):
        print(f"  {name:<17}{steps[name]['wall_seconds']:7.1f} s", flush=True)
    return steps


def sanity_notes(reps: list[dict], machine: dict) -> list[str]:
    """What would make the figures mean something else than they claim."""
    notes = []
    if machine["loadavg_at_start"][0] > BUSY_LOAD:
        notes.append(
            f"the machine was busy before the benchmark started (1-min load {machine['loadavg_at_start'][0]} "
            f"on {machine['cores']} cores): wall times are inflated, compare cpu_seconds too"
        )
    versions = {v for rep in reps for step in rep.values() for v in step.get("extractor_versions", [])}
    if len(versions) > 1:
        notes.append(
            f"extractor version changed during the benchmark ({', '.join(sorted(versions))}): "
            "cached documents were re-extracted; rerun on a quiet tree"
        )
    for i, rep in enumerate(reps, 1):
        if rep["noop"]["docs_extracted"]:
            notes.append(f"repetition {i}: the no-op run extracted {rep['noop']['docs_extracted']} document(s)")
        if rep["incremental"]["docs_extracted"] != 1:
            notes.append(
                f"repetition {i}: the incremental run extracted "
                f"{rep['incremental']['docs_extracted']} document(s), expected 1"
            )
        if rep["cold"]["docs_extracted"] != rep["cold"]["docs_in_warehouse"]:
            notes.append(f"repetition {i}: cold run extracted fewer documents than it holds")
    return notes


def profile_cold(corpus: Path, files: list[Path], work: Path, stamp: str, env: dict | None) -> Path | None:
    """One cold run of the CLI under pyinstrument (main process only; the extraction workers are
    separate processes and show as waiting). Skipped when pyinstrument is not installed."""
    if shutil.which("pyinstrument", path=str(BIN)) is None:
        print("pyinstrument not installed: no profile (.venv/bin/pip install pyinstrument)")
        return None
    raw, wh = work / "profile" / "raw", work / "profile" / "warehouse" / "budget.duckdb"
    link_into(raw, corpus, files)
    out = RESULTS_DIR / f"profile-{stamp}.txt"
    run = ["-m", "orchestration.cli", "run", "--raw-dir", raw, "--warehouse", wh]
    cmd = [BIN / "pyinstrument", "-r", "text", "-o", out, *run]
    done = measure.run_child(cmd, work / "logs" / "profile.log", env=env, cwd=child_cwd(env))
    print(f"profile of one cold run ({done['wall_seconds']:.1f} s under the profiler): {out}")
    return out


def write_results(result: dict, stamp: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    path = RESULTS_DIR / f"bench-{stamp}.json"
    for target in (path, RESULTS_DIR / "latest.json"):
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(target)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3); medians are reported")
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--profile", action="store_true", help="also profile one cold run with pyinstrument")
    parser.add_argument(
        "--snapshot", action="store_true", help="run a frozen copy of orchestration/ and dbt_project/ (busy trees)"
    )
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary raw folders and warehouses")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)

    corpus = corpus_dir()
    files = corpus_files(corpus) if corpus.is_dir() else []
    if len(files) < 2:
        print(f"bench: need at least two PDFs under {corpus} (set BUDGET_CORPUS_DIR)", file=sys.stderr)
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    machine = measure.machine_info(REPO)
    work = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    print(f"corpus: {len(files)} PDFs in {corpus}; work dir {work}; {repeat} repetition(s)", flush=True)
    reps = []
    env = snapshot_env(work) if args.snapshot else None
    try:
        for i in range(repeat):
            print(f"repetition {i + 1}/{repeat}", flush=True)
            reps.append(one_repetition(corpus, files, work / f"rep{i + 1}", env))
        profile = profile_cold(corpus, files, work, stamp, env) if args.profile else None
    except StepFailed as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep_tmp:
            shutil.rmtree(work, ignore_errors=True)

    medians = report.medians(reps)
    ratios = report.ratios(medians)
    # the same ratios within each repetition, whose steps ran minutes apart: how far noise moves them
    per_repetition = [report.ratios(rep) for rep in reps]
    result = {
        "timestamp": stamp,
        "repeat": repeat,
        "snapshot": args.snapshot,
        "machine": machine,
        "corpus": {
            "dir": str(corpus),
            "files": len(files),
            "pages": reps[0]["baseline"]["pages"],
            "half_files": len(files[::2]),
            "added_file": str(files[-1].relative_to(corpus)),
        },
        "medians": medians,
        "ratios": ratios,
        "verdicts": report.verdicts(ratios),
        "ratios_per_repetition": per_repetition,
        "notes": sanity_notes(reps, machine) + report.noise_notes(ratios, per_repetition),
        "profile": str(profile) if profile else None,
        "repetitions": reps,
    }
    print()
    print(report.render(result))
    for note in result["notes"]:
        print(f"NOTE: {note}")
    print(f"\nresults: {write_results(result, stamp)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
