"""Medians over repetitions, the issue's ratios and targets per corpus, and the printed table.

Every figure may be missing (None): the pipeline's output and records change, and a figure the
benchmark could not read is reported as missing, never as a crash or a pass.
"""

from __future__ import annotations

import statistics

GIB_MIB = 1024.0
SCALE_DOCUMENTS = 300  # the targets are set at this many documents or more

# (ratio key, label, comparison, limit at scale). Judged on the generated corpus of >= 300 documents.
SCALE_TARGETS = [
    ("extraction_vs_baseline_pages_per_s", "extraction stage pages/s vs baseline", ">=", 2.0),
    ("cold_vs_baseline_wall", "cold run wall vs baseline wall", "<=", 0.7),
    ("incremental_vs_cold_wall", "one added PDF wall vs cold wall", "<=", 0.15),
    ("noop_vs_cold_wall", "no-op wall vs cold wall", "<=", 0.05),
    ("peak_rss_mib", "peak RSS of the process tree, cold (MiB)", "<=", GIB_MIB),
    ("rss_third_vs_whole_apart", "peak RSS, a third vs whole, apart", "<=", 0.2),
    ("dbt_growth_vs_documents", "dbt s growth / documents growth", "<=", 1.0),
]
# The real corpus (tens of PDFs) has one target of its own; its other ratios are reported, not judged.
REAL_LIMITS = {"extraction_vs_baseline_pages_per_s": 2.5}

STEPS = [
    ("baseline", "baseline pdfplumber"),
    ("cold", "pipeline cold"),
    ("cold_third", "pipeline cold, a third"),
    ("incremental_prep", "  (all but one PDF)"),
    ("incremental", "one added PDF"),
    ("noop", "no-op rerun"),
    ("floor_code_location", "floor: code location"),
    ("floor_dbt_version", "floor: dbt --version"),
    ("floor_dbt_build", "floor: dbt build alone"),
]
# What any `budget-etl run` that builds the warehouse pays, each part timed alone in the built warehouse
FLOOR_STEPS = ("floor_code_location", "floor_dbt_version", "floor_dbt_build")


def targets_for(kind: str) -> list[tuple[str, str, str, float | None]]:
    """The targets judged on a corpus: every scale target on the generated one; on the real corpus the
    extraction target at its own limit, the rest with limit None (reported as info)."""
    if kind == "generated":
        return list(SCALE_TARGETS)
    return [(key, label, op, REAL_LIMITS.get(key)) for key, label, op, _ in SCALE_TARGETS]


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def medians(reps: list[dict]) -> dict:
    """Per step, the median of every numeric field over the repetitions (None when no repetition has it)."""
    out: dict[str, dict] = {}
    for step in dict.fromkeys(name for rep in reps for name in rep):
        names = dict.fromkeys(name for rep in reps for name in rep.get(step, {}))
        out[step] = {}
        for name in names:
            values = [rep[step][name] for rep in reps if _number(rep.get(step, {}).get(name))]
            if values or all(rep.get(step, {}).get(name) is None for rep in reps):
                out[step][name] = round(statistics.median(values), 3) if values else None
    return out


def pipeline_rss(figures: dict) -> float | None:
    """The figure judged against the memory targets: the tree sum when sampled, else the largest process."""
    return figures.get("rss_tree_peak_mib") or figures.get("rss_max_single_mib")


def _ratio(a, b):
    return round(a / b, 3) if _number(a) and _number(b) and b else None


def documents(figures: dict) -> float | None:
    """How many documents a pipeline step extracted (its records); without them, how many the CLI found."""
    extracted = figures.get("docs_extracted")
    return extracted if extracted is not None else figures.get("docs_found")


def ratios(m: dict) -> dict:
    base, cold, third = m.get("baseline", {}), m.get("cold", {}), m.get("cold_third", {})
    base_pps = _ratio(base.get("pages"), base.get("loop_seconds"))
    extract_pps = _ratio(cold.get("pages"), cold.get("extract_window_seconds"))
    rss_whole, rss_third = pipeline_rss(cold), pipeline_rss(third)
    docs_whole, docs_third = documents(cold), documents(third)
    dbt_whole, dbt_third = cold.get("dbt_seconds"), third.get("dbt_seconds")
    return {
        "baseline_pages_per_s": base_pps,
        "extraction_pages_per_s": extract_pps,
        "extraction_vs_baseline_pages_per_s": _ratio(extract_pps, base_pps),
        "cold_vs_baseline_wall": _ratio(cold.get("wall_seconds"), base.get("wall_seconds")),
        "incremental_vs_cold_wall": _ratio(m.get("incremental", {}).get("wall_seconds"), cold.get("wall_seconds")),
        "noop_vs_cold_wall": _ratio(m.get("noop", {}).get("wall_seconds"), cold.get("wall_seconds")),
        "peak_rss_mib": rss_whole,
        "rss_third_vs_whole_apart": (
            _ratio(abs(rss_whole - rss_third), max(rss_whole, rss_third))
            if _number(rss_whole) and _number(rss_third)
            else None
        ),
        "documents": docs_whole,
        "documents_third": docs_third,
        "dbt_seconds": dbt_whole,
        "dbt_seconds_third": dbt_third,
        # > 1: dbt's time grew faster than the number of documents between the two cold runs
        "dbt_growth_vs_documents": _ratio(_ratio(dbt_whole, dbt_third), _ratio(docs_whole, docs_third)),
        "build_floor_seconds": build_floor_seconds(m),
        "build_floor_vs_cold_wall": _ratio(build_floor_seconds(m), cold.get("wall_seconds")),
    }


def build_floor_seconds(m: dict) -> float | None:
    parts = [m.get(step, {}).get("wall_seconds") for step in FLOOR_STEPS]
    return round(sum(parts), 3) if all(_number(part) for part in parts) else None


def floor_notes(r: dict, kind: str = "generated") -> list[str]:
    """A target on a run that builds which the floor alone already misses: out of reach of any code of ours."""
    floor = r.get("build_floor_vs_cold_wall")
    limit = {key: limit for key, _, _, limit in targets_for(kind)}.get("incremental_vs_cold_wall")
    if not _number(floor) or limit is None or floor <= limit:
        return []
    return [
        f"one added PDF: the floor of any run that builds (code location + dbt --version + dbt build alone, "
        f"{_fmt(r.get('build_floor_seconds'))} s) is already {_fmt(floor, 3)}x the cold run, above the limit of "
        f"{limit:g}: no change to extraction, landing or the report can meet that target"
    ]


def _meets(value, op: str, limit: float) -> bool:
    return {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]


def verdict(value, op: str, limit: float | None) -> str:
    """PASS or MISS; MISSING when the figure could not be measured; info when nothing is judged."""
    if limit is None:
        return "info"
    if not _number(value):
        return "MISSING"
    return "PASS" if _meets(value, op, limit) else "MISS"


def verdicts(r: dict, kind: str = "generated") -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "value": r.get(key),
            "target": f"{op} {limit:g}" if limit is not None else "-",
            "verdict": verdict(r.get(key), op, limit),
        }
        for key, label, op, limit in targets_for(kind)
    ]


def noise_notes(of_medians: dict, per_repetition: list[dict], kind: str = "generated") -> list[str]:
    """Targets whose verdict on the medians single repetitions contradict: verdicts inside this run's noise."""
    notes = []
    for key, label, op, limit in targets_for(kind):
        singles = [rep.get(key) for rep in per_repetition]
        if limit is None or not _number(of_medians.get(key)) or not all(_number(value) for value in singles):
            continue
        passed = _meets(of_medians[key], op, limit)
        contrary = sum(_meets(value, op, limit) != passed for value in singles)
        if contrary:
            spread = " / ".join(_fmt(value) for value in singles)
            notes.append(
                f"{label}: {'PASS' if passed else 'MISS'} on the ratio of the medians, yet {contrary} of "
                f"{len(singles)} repetitions alone {'miss' if passed else 'meet'} {op} {limit:g} ({spread}): "
                "the verdict is within this run's noise"
            )
    return notes


def scale_notes(corpora: dict) -> list[str]:
    """A generated corpus below the issue's size: its verdicts check the harness, they are not the result."""
    generated = corpora.get("generated")
    if generated and (generated["corpus"].get("files") or 0) < SCALE_DOCUMENTS:
        return [
            f"the generated corpus has {generated['corpus'].get('files')} PDFs; the targets are set at "
            f">= {SCALE_DOCUMENTS} documents, so these verdicts check the harness and are not the result"
        ]
    return []


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _mib(value) -> str:
    return _fmt(value, 0) + " MiB" if value is not None else "-"


def render_corpus(name: str, section: dict, repeat: int) -> list[str]:
    c, m, r = section["corpus"], section["medians"], section["ratios"]
    described = f", {c['departments']} departments" if c.get("departments") else ""
    lines = [
        f"== {name} corpus: {c.get('files')} PDFs, {_fmt(c.get('pages'), 0)} pages{described} ({c.get('dir')})",
        f"   a third: {c.get('third_files')} PDFs; added PDF: {c.get('added_file')}",
        "",
    ]
    header = (
        f"{'step':<24}{'wall s':>9}{'cpu s':>8}{'docs':>6}{'pages':>7}{'extract s':>11}{'validate s':>12}"
        f"{'dbt s':>8}{'other s':>9}{'RSS max proc':>14}{'RSS tree':>10}"
    )
    lines += [header, "-" * len(header)]
    for step, label in STEPS:
        f = m.get(step)
        if f is None:
            lines.append(f"{label:<24}{'(not run)':>9}")
            continue
        baseline = step == "baseline"
        extract = f.get("loop_seconds") if baseline else f.get("extract_window_seconds")
        docs = f.get("documents") if baseline else documents(f)
        lines.append(
            f"{label:<24}{_fmt(f.get('wall_seconds')):>9}{_fmt(f.get('cpu_seconds')):>8}{_fmt(docs, 0):>6}"
            f"{_fmt(f.get('pages'), 0):>7}{_fmt(extract):>11}{_fmt(f.get('validate_seconds')):>12}"
            f"{_fmt(f.get('dbt_seconds')):>8}{_fmt(f.get('other_seconds')):>9}"
            f"{_mib(f.get('rss_max_single_mib')):>14}{_mib(f.get('rss_tree_peak_mib')):>10}"
        )
    per_doc = _ratio(r.get("dbt_seconds"), r.get("documents"))
    lines += [
        "",
        (
            f"pages/s: baseline {_fmt(r.get('baseline_pages_per_s'))} (extraction loop), "
            f"pipeline extraction stage {_fmt(r.get('extraction_pages_per_s'))}"
        ),
        (
            f"dbt build vs documents: {_fmt(r.get('dbt_seconds_third'))} s at {_fmt(r.get('documents_third'), 0)} "
            f"documents, {_fmt(r.get('dbt_seconds'))} s at {_fmt(r.get('documents'), 0)} "
            f"({_fmt(per_doc, 3)} s per document)"
        ),
        (
            f"floor of a run that builds: {_fmt(r.get('build_floor_seconds'))} s "
            f"({_fmt(r.get('build_floor_vs_cold_wall'), 3)}x the cold run)"
        ),
        "",
    ]
    per_rep = section.get("ratios_per_repetition") or []
    header = f"{'target':<42}{'measured':>10}  {'limit':<9}{'verdict':<9}" + ("per repetition" if repeat > 1 else "")
    lines.append(header.rstrip())
    for v in section["verdicts"]:
        digits = 0 if v["key"] == "peak_rss_mib" else 2
        spread = " / ".join(_fmt(rep.get(v["key"]), digits) for rep in per_rep) if len(per_rep) > 1 else ""
        value = _fmt(v["value"], digits)
        lines.append(f"{v['label']:<42}{value:>10}  {v['target']:<9}{v['verdict']:<9}{spread}".rstrip())
    return lines


LEGEND = [
    (
        "extract s = extraction stage window from ops.documents (baseline: its extraction loop); "
        "validate s = of that, pandera contracts + reconciliation, summed over documents; "
        "dbt s = dbt's own 'Finished running' time; other s = wall - extract - dbt "
        "(interpreter, imports, Dagster, dbt start-up); cpu s = user+sys of the process tree."
    ),
    (
        "measured = ratio of the medians (the verdict); per repetition = the same ratio within each "
        "repetition, whose steps ran minutes apart. MISSING = the figure could not be read; "
        "info = reported, not judged on this corpus."
    ),
    (
        "RSS max proc = largest single process (wait4 ru_maxrss); RSS tree = peak summed RSS of the "
        "CLI and every child (psutil, 0.1 s samples); targets use RSS tree when available."
    ),
]


def render(result: dict) -> str:
    machine = result["machine"]
    lines = [
        f"budget-etl benchmark: {result['repeat']} repetition(s), medians",
        (
            f"machine: {machine.get('cores')} cores, {machine.get('memory_gib')} GiB, "
            f"python {machine.get('python')}, git {machine.get('git_commit')}"
            f" (+{machine.get('git_dirty_files')} uncommitted files)"
        ),
        "",
    ]
    for name, section in result["corpora"].items():
        lines += render_corpus(name, section, result["repeat"]) + [""]
    return "\n".join(lines + LEGEND)
