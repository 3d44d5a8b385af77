"""Benchmark the pipeline against plain pdfplumber, on the real corpus and on a generated one (`make bench`).

Two corpora in one run: the real corpus (`$BUDGET_CORPUS_DIR`, default ../shared/corpus, its PDFs) and
a generated one (`python -m orchestration.samples --out DIR --departments N`, written into the
temporary folder). For each corpus, each repetition runs, in this order, every step as a child
process in a fresh temporary folder outside the repository (the raw folders hold symlinks):

  baseline          plain pdfplumber over every page, one process (benchmarks/baseline.py)
  cold              `budget-etl run` on the whole corpus into an empty warehouse
  noop              the same command again, nothing new
  cold_third        `budget-etl run` on every third PDF, into an empty warehouse (memory and dbt vs size)
  incremental_prep  `budget-etl run` on the corpus minus its last PDF
  incremental       the last PDF added, `budget-etl run` again
  floor_*           in that warehouse, alone: the code location's import, `dbt --version`, `dbt build`
                    (what any run that builds pays, whatever this project's code does)

Figures are medians over the repetitions; the table is printed and written as JSON to
benchmarks/results/bench-<UTC timestamp>.json (and latest.json, for a run at the issue's scale).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
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
# 100 departments print 266 PDFs (every third department prints its budget as two files); 113 print 302
DEPARTMENTS = 113
QUICK_DEPARTMENTS = 5
QUICK_REAL_FILES = 6
PIPELINE_STEPS = ("cold", "noop", "cold_third", "incremental_prep", "incremental")
# The floor of a run that builds, each part timed alone (report.FLOOR_STEPS): starting the interpreter with the
# code location loaded, the `dbt --version` that dagster-dbt's DbtCliResource.cli runs before every
# invocation, and dbt's own build of the warehouse (process start, partial parse, every node) with the
# pipeline's arguments (orchestration.defs.dbt.dbt_build_args, kept equal by tests/unit/test_bench_report.py).
DBT_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]
# the dbt project's saved parse, copied into a snapshot when present (the pipeline parses without them)
DBT_TARGET_FILES = ("manifest.json", "partial_parse.msgpack", "parsed_files.sha256")


class StepFailed(Exception):
    pass


def corpus_dir() -> Path:
    return Path(os.environ.get("BUDGET_CORPUS_DIR") or REPO.parent / "shared" / "corpus").resolve()


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def spread(files: list[Path], limit: int | None) -> list[Path]:
    """At most `limit` of the files, taken evenly over the sorted list (every folder has a say)."""
    if not limit or limit >= len(files):
        return files
    return [files[i * len(files) // limit] for i in range(limit)]


def link_into(raw: Path, corpus: Path, files: list[Path]) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    for file in files:
        dest = raw / file.relative_to(corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(file)
    return raw


def code_root(env: dict | None) -> Path:
    """Where the measured code is: the snapshot, else this repository. Children run inside it, because
    `python -m` puts the working directory first on sys.path (before the venv's installed copy)."""
    return Path(env["PYTHONPATH"]) if env else REPO


def generate(out: Path, departments: int, env: dict | None, log: Path) -> list[Path]:
    cmd = [sys.executable, "-m", "orchestration.samples", "--out", out, "--departments", str(departments)]
    done = measure.run_child(cmd, log, env=env, cwd=code_root(env))
    if done["returncode"] != 0:
        raise StepFailed(f"generating {departments} departments exited {done['returncode']}:\n{done['output'][-2000:]}")
    files = corpus_files(out)
    print(f"generated {len(files)} PDFs from {departments} departments in {done['wall_seconds']:.1f} s", flush=True)
    return files


def baseline(files: list[Path], log: Path) -> dict:
    done = measure.run_child([sys.executable, BASELINE, *files], log)
    if done["returncode"] != 0:
        raise StepFailed(f"baseline exited {done['returncode']}:\n{done['output'][-2000:]}")
    figures = json.loads(done.pop("output").strip().splitlines()[-1])
    figures["documents"] = len(figures.pop("files"))
    return done | figures


def snapshot_env(work: Path) -> dict:
    """A frozen copy of orchestration/ and dbt_project/ (with its saved parse, where there is one) first
    on PYTHONPATH, so edits made to the working tree while the benchmark runs do not change what it measures."""
    root = work / "snapshot"
    shutil.copytree(REPO / "orchestration", root / "orchestration", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "dbt_project", root / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    target = root / "dbt_project" / "target"
    target.mkdir()
    for name in DBT_TARGET_FILES:
        if (REPO / "dbt_project" / "target" / name).is_file():
            shutil.copy2(REPO / "dbt_project" / "target" / name, target)
    return os.environ | {"PYTHONPATH": str(root)}


def pipeline(raw: Path, warehouse: Path, log: Path, env: dict | None) -> dict:
    """One `budget-etl run` as a child process, with its timings taken apart."""
    since, started = measure.utc_now(), time.time()
    cmd = [sys.executable, "-m", "orchestration.cli", "run", "--raw-dir", raw, "--warehouse", warehouse]
    done = measure.run_child(cmd, log, env=env, cwd=code_root(env))
    output = done.pop("output")
    if done["returncode"] != 0:
        raise StepFailed(f"budget-etl run exited {done['returncode']} (log: {log}):\n{output[-2000:]}")
    figures = done | measure.parse_output(output) | measure.extraction_stage(warehouse, since)
    if figures.get("dbt_seconds") is None:
        figures["dbt_seconds"] = measure.dbt_log_seconds(Path(warehouse), started)
        figures["dbt_ran"] = figures["dbt_seconds"] is not None
    window, dbt = figures.get("extract_window_seconds"), figures.get("dbt_seconds")
    skipped_dbt = dbt is None and figures.get("docs_extracted") == 0  # a no-op builds nothing
    figures["other_seconds"] = (
        round(figures["wall_seconds"] - window - (0.0 if skipped_dbt else dbt), 3)
        if window is not None and (dbt is not None or skipped_dbt)
        else None
    )
    return figures


def build_floor(warehouse: Path, logs: Path, env: dict | None) -> dict:
    """The floor steps in a built warehouse, each a child process (wall seconds and memory)."""
    project = code_root(env) / "dbt_project"
    files = warehouse.parent / warehouse.stem
    dbt_env = dict(env or os.environ) | {
        "BUDGET_WAREHOUSE": str(warehouse),
        "BUDGET_LANDING_DIR": str(files / "landing"),
    }
    dbt_target = ["--project-dir", project, "--profiles-dir", project, "--target-path", files / "dbt"]
    commands = {
        "floor_code_location": ([sys.executable, "-c", "import orchestration.definitions"], env),
        "floor_dbt_version": ([BIN / "dbt", "--version"], env),
        "floor_dbt_build": ([BIN / "dbt", *DBT_BUILD_ARGS, *dbt_target, "--log-path", files / "dbt-floor"], dbt_env),
    }
    figures = {}
    for name, (cmd, child_env) in commands.items():
        done = measure.run_child(cmd, logs / f"{name}.log", env=child_env, cwd=code_root(env))
        done.pop("output")
        if done["returncode"] != 0:
            raise StepFailed(f"{name} exited {done['returncode']} (log: {logs / f'{name}.log'})")
        figures[name] = done
    return figures


def one_repetition(corpus: Path, files: list[Path], work: Path, env: dict | None) -> dict:
    def fresh(name: str) -> tuple[Path, Path]:
        return work / name / "raw", work / name / "warehouse" / "budget.duckdb"

    logs = work / "logs"
    steps = {"baseline": baseline(files, logs / "baseline.log")}
    print(f"  baseline         {steps['baseline']['wall_seconds']:7.1f} s", flush=True)

    raw, wh = fresh("cold")
    link_into(raw, corpus, files)
    steps["cold"] = pipeline(raw, wh, logs / "cold.log", env)
    steps["noop"] = pipeline(raw, wh, logs / "noop.log", env)

    raw, wh = fresh("third")
    steps["cold_third"] = pipeline(link_into(raw, corpus, files[::3]), wh, logs / "cold_third.log", env)

    raw, wh = fresh("incremental")
    steps["incremental_prep"] = pipeline(link_into(raw, corpus, files[:-1]), wh, logs / "incremental_prep.log", env)
    link_into(raw, corpus, files[-1:])
    steps["incremental"] = pipeline(raw, wh, logs / "incremental.log", env)
    steps |= build_floor(wh, logs, env)
    for name in (*PIPELINE_STEPS, *report.FLOOR_STEPS):
        print(f"  {name:<17}{steps[name]['wall_seconds']:7.1f} s", flush=True)
    return steps


def sanity_notes(name: str, reps: list[dict], files: int) -> list[str]:
    """What would make one corpus's figures mean something else than they claim."""
    notes = []
    versions = {v for rep in reps for step in rep.values() for v in step.get("extractor_versions") or []}
    if len(versions) > 1:
        notes.append(
            f"{name}: extractor version changed during the benchmark ({', '.join(sorted(versions))}): "
            "cached documents were re-extracted; rerun on a quiet tree or with --snapshot"
        )
    for i, rep in enumerate(reps, 1):
        where = f"{name}, repetition {i}"
        for step in PIPELINE_STEPS:
            if rep[step].get("stage_error"):
                notes.append(f"{where}: {step}: extraction figures missing ({rep[step]['stage_error']})")
        if rep["noop"].get("docs_extracted"):
            notes.append(f"{where}: the no-op run extracted {rep['noop']['docs_extracted']} document(s)")
        if rep["incremental"].get("docs_extracted") not in (1, None):
            notes.append(
                f"{where}: the incremental run extracted {rep['incremental']['docs_extracted']} document(s), expected 1"
            )
        cold = rep["cold"]
        if cold.get("docs_extracted") is not None and cold["docs_extracted"] != files:
            notes.append(f"{where}: the cold run extracted {cold['docs_extracted']} of {files} PDFs")
        if cold.get("pages") is not None and cold["pages"] != rep["baseline"].get("pages"):
            notes.append(
                f"{where}: the cold run recorded {cold['pages']} pages, "
                f"the baseline read {rep['baseline'].get('pages')}"
            )
    return notes


def machine_notes(machine: dict) -> list[str]:
    if machine["loadavg_at_start"][0] > BUSY_LOAD:
        return [
            f"the machine was busy before the benchmark started (1-min load {machine['loadavg_at_start'][0]} "
            f"on {machine['cores']} cores): wall times are inflated, compare cpu_seconds too"
        ]
    return []


def measure_corpus(kind: str, corpus: Path, files: list[Path], work: Path, repeat: int, env: dict | None) -> dict:
    reps = []
    for i in range(repeat):
        print(f"{kind}: repetition {i + 1}/{repeat}", flush=True)
        reps.append(one_repetition(corpus, files, work / f"{kind}-rep{i + 1}", env))
    medians = report.medians(reps)
    ratios = report.ratios(medians)
    # the same ratios within each repetition, whose steps ran minutes apart: how far noise moves them
    per_repetition = [report.ratios(rep) for rep in reps]
    return {
        "corpus": {
            "kind": kind,
            "dir": str(corpus),
            "files": len(files),
            "pages": reps[0]["baseline"].get("pages"),
            "third_files": len(files[::3]),
            "added_file": str(files[-1].relative_to(corpus)),
        },
        "medians": medians,
        "ratios": ratios,
        "verdicts": report.verdicts(ratios, kind),
        "ratios_per_repetition": per_repetition,
        "notes": sanity_notes(kind, reps, len(files))
        + [f"{kind}: {note}" for note in report.noise_notes(ratios, per_repetition, kind)]
        + [f"{kind}: {note}" for note in report.floor_notes(ratios, kind)],
        "repetitions": reps,
    }


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
    done = measure.run_child(cmd, work / "logs" / "profile.log", env=env, cwd=code_root(env))
    print(f"profile of one cold run ({done['wall_seconds']:.1f} s under the profiler): {out}")
    return out


def write_results(result: dict, stamp: str, latest: bool) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    path = RESULTS_DIR / f"bench-{stamp}.json"
    for target in (path, RESULTS_DIR / "latest.json") if latest else (path,):
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(target)
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3); medians are reported")
    parser.add_argument(
        "--departments", type=int, help=f"departments of the generated corpus (default {DEPARTMENTS}: >= 300 PDFs)"
    )
    parser.add_argument("--real-files", type=int, help="use at most this many PDFs of the real corpus, spread over it")
    parser.add_argument("--only", choices=["real", "generated"], help="measure one corpus only")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a harness check: one repetition, {QUICK_DEPARTMENTS} departments, {QUICK_REAL_FILES} real PDFs "
        "(unless given)",
    )
    parser.add_argument("--profile", action="store_true", help="also profile one cold run of the real corpus")
    parser.add_argument(
        "--snapshot", action="store_true", help="run a frozen copy of orchestration/ and dbt_project/ (busy trees)"
    )
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary raw folders and warehouses")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
        args.departments = args.departments or QUICK_DEPARTMENTS
        args.real_files = args.real_files or QUICK_REAL_FILES
    args.departments = args.departments or DEPARTMENTS
    args.repeat = max(1, args.repeat)
    if args.departments < 1 or (args.real_files is not None and args.real_files < 2):
        parser.error("--departments must be at least 1 and --real-files at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = corpus_dir()
    real = spread(corpus_files(corpus), args.real_files) if corpus.is_dir() else []
    if args.only != "generated" and len(real) < 2:
        print(f"bench: need at least two PDFs under {corpus} (set BUDGET_CORPUS_DIR)", file=sys.stderr)
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    machine = measure.machine_info(REPO)
    work = Path(tempfile.mkdtemp(prefix="budget-bench-"))
    print(f"work dir {work}; {args.repeat} repetition(s)", flush=True)
    env = snapshot_env(work) if args.snapshot else None
    corpora, profile = {}, None
    try:
        if args.only != "generated":
            print(f"real corpus: {len(real)} PDFs in {corpus}", flush=True)
            corpora["real"] = measure_corpus("real", corpus, real, work, args.repeat, env)
        if args.only != "real":
            generated_dir = work / "generated-corpus"
            generated = generate(generated_dir, args.departments, env, work / "logs" / "generate.log")
            corpora["generated"] = measure_corpus("generated", generated_dir, generated, work, args.repeat, env)
            corpora["generated"]["corpus"]["departments"] = args.departments
        if args.profile and real:
            profile = profile_cold(corpus, real, work, stamp, env)
    except StepFailed as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep_tmp:
            shutil.rmtree(work, ignore_errors=True)

    notes = machine_notes(machine) + report.scale_notes(corpora)
    notes += [note for section in corpora.values() for note in section.pop("notes")]
    result = {
        "timestamp": stamp,
        "repeat": args.repeat,
        "snapshot": args.snapshot,
        "machine": machine,
        "corpora": corpora,
        "notes": notes,
        "profile": str(profile) if profile else None,
    }
    print()
    print(report.render(result))
    for note in notes:
        print(f"NOTE: {note}")
    # latest.json holds the latest run at the scale; a smaller run does not replace it
    at_scale = not report.scale_notes(corpora) and set(corpora) == {"real", "generated"} and args.real_files is None
    path = write_results(result, stamp, latest=at_scale)
    print(f"\nresults: {path}" + ("" if at_scale else " (below the issue's scale: latest.json left as it was)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
