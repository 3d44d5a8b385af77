"""Judge one generated variant the way the pipeline sees it: `prepare_document` (extraction, contracts,
reconciliation, the document's status and warnings), then every truth figure is exact, flagged, or a failure.

exact     the figure landed, in its table's unit, equal to what the page prints (a blank is 0)
flagged   it did not, but the pipeline says so: the document is quarantined (or failed) with a reason, a warning
          names the table or a page it is printed on, a reconciliation check failed on the table, or the table
          is recorded as printed but not read
wrong     a figure landed with another value (or under the wrong unit), unflagged
missing   a printed non-zero figure did not land, unflagged
phantom   a figure landed that the table does not print, unflagged

A 决算's “三公” 预算数 (`budget_<measure>`) are figures like any other. Every table printed, one printed empty
("本部门无…，故本表无数据") included, is recorded among the document's tables or flagged, else "table missing" (a
failure) or, for a table printed empty, "empty table lost" (counted in the summary: the fact that the department
has none is lost, no figure is).
The labels (department, fiscal year, edition, document kind) are right, flagged by a warning, or wrong.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from orchestration.extraction.model import YUAN_PER_UNIT
from orchestration.extraction.numbers import label_key
from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.process import prepare_document
from orchestration.samples.variant_model import printed
from orchestration.samples.variants import write_variant
from orchestration.warehouse.landing import LINE_TABLES_FOLDER

FAILURES = ("wrong", "missing", "phantom", "table_missing")
_TABLE_PAGE = re.compile(r"^(?P<table>[a-z_]+): (?:page|continuation on page) (?P<page>\d+)")
_PAGE = re.compile(r"^page (?P<page>\d+):")


@dataclass
class Verdict:
    seed: int
    classes: list[str]
    status: str
    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)  # every unflagged failure, one line each
    flagged_tables: dict[str, str] = field(default_factory=dict)  # table type -> why

    @property
    def failures(self) -> int:
        return sum(self.counts[k] for k in FAILURES)


@dataclass
class _Line:
    table_type: str
    code: str | None
    name: str
    item: str | None
    attributes: dict
    unit: str | None
    raw: dict[str, str | None]


def _lines(frames: dict[str, pd.DataFrame]) -> list[_Line]:
    out: dict[tuple, _Line] = {}
    lines = frames.get(LINE_TABLES_FOLDER)
    for row in lines.to_dict("records") if lines is not None else []:
        table_type = row["table_type"]
        key = (table_type, row["table_title"], row["line_no"])
        line = out.get(key)
        if line is None:
            attributes = json.loads(row["attributes"]) if isinstance(row["attributes"], str) else {}
            code = row["code"] if isinstance(row["code"], str) else None
            item = row["item"] if isinstance(row["item"], str) else None
            unit = row["unit"] if isinstance(row["unit"], str) else None
            line = out[key] = _Line(table_type, code, row["name"] or "", item, attributes, unit, {})
        if isinstance(row["measure"], str):
            line.raw[row["measure"]] = row["raw_value"] if isinstance(row["raw_value"], str) else None
    return list(out.values())


def _matches(line: _Line, figure: dict) -> bool:
    if line.table_type != figure["table_type"]:
        return False
    if figure["item"]:
        return line.item == figure["item"]
    if figure["code"]:
        return line.code == figure["code"] and line.attributes.get("budget_unit") == figure["budget_unit"]
    return (
        line.code is None
        and label_key(line.name) == label_key(figure["name"])
        and line.attributes.get("group") == figure["group"]
        and (figure["budget_unit"] is None or line.attributes.get("budget_unit") == figure["budget_unit"])
    )


def _yuan(raw: str | None, unit: str | None) -> Decimal | None:
    """A landed figure in 元 (None: no unit, so no amount in 元)."""
    if raw is None or not raw.strip():
        return Decimal(0)
    if unit not in YUAN_PER_UNIT:
        return None
    text = raw.replace(",", "").replace("，", "").strip()
    try:
        return Decimal(text) * YUAN_PER_UNIT[unit]
    except ArithmeticError:
        return None


def _flagged_tables(truth: dict, outcome, frames) -> dict[str, str]:
    warnings = next((c.failures for c in outcome.checks if c.name == "extraction_warnings"), [])
    pages = {table: set(info["pages"]) for table, info in truth["tables"].items()}
    flagged: dict[str, str] = {}
    for warning in warnings:
        m = _TABLE_PAGE.match(warning)
        if m:
            flagged.setdefault(m.group("table"), warning)
        m = _PAGE.match(warning)
        if m:
            for table, printed_on in pages.items():
                if int(m.group("page")) in printed_on:
                    flagged.setdefault(table, warning)
    failures = frames.get("reconciliation_failures")
    if failures is not None and len(failures):
        for table in failures["table_type"].unique():
            flagged.setdefault(table, "reconciliation failed")
    tables = frames.get("document_tables")
    if tables is not None and len(tables):
        for row in tables.to_dict("records"):
            if isinstance(row.get("pages_not_read"), str) and row["pages_not_read"]:
                flagged.setdefault(row["table_type"], f"pages not read: {row['pages_not_read']}")
    return flagged


def judge(pdf: Path, truth: dict) -> Verdict:
    stat = pdf.stat()
    doc = RawDocument(f"variant-{truth['seed']}", "0" * 64, [pdf.name], stat.st_size, stat.st_mtime)
    prepared = prepare_document(pdf.parent, doc)
    outcome, frames = prepared.outcome, prepared.frames
    verdict = Verdict(truth["seed"], truth["classes"], outcome.status)
    whole = outcome.status in ("quarantined", "failed")
    flagged = {t: f"document {outcome.status}: {outcome.reason}" for t in truth["tables"]} if whole else {}
    if not whole:
        flagged = _flagged_tables(truth, outcome, frames)
    verdict.flagged_tables = flagged
    lines = _lines(frames)

    def fail(kind: str, message: str) -> None:
        verdict.counts[kind] += 1
        verdict.problems.append(f"seed {truth['seed']}: {kind}: {message}")

    recorded = set(frames["document_tables"]["table_type"]) if "document_tables" in frames else set()
    with_figures = {f["table_type"] for f in truth["figures"]}
    for table_type in [] if whole else truth["tables"]:
        if table_type in recorded or table_type in flagged:
            verdict.counts["tables_recorded"] += 1
        elif table_type in with_figures:
            fail("table_missing", f"{table_type}: printed, not among the document's tables")
        else:  # a known gap, counted and shown, not a failure: no figure is lost with it
            verdict.counts["empty_table_lost"] += 1

    matched: set[tuple[int, str]] = set()
    if whole:  # nothing of it loads: every figure is flagged by the document's reason
        verdict.counts["flagged"] += len(truth["figures"])
    for figure in [] if whole else truth["figures"]:
        table, measure = figure["table_type"], figure["measure"]
        expected = printed(Decimal(figure["yuan"]), figure["unit"]) * YUAN_PER_UNIT[figure["unit"]]
        found = [(i, line) for i, line in enumerate(lines) if _matches(line, figure) and measure in line.raw]
        matched.update((i, measure) for i, _ in found)
        got = [_yuan(line.raw[measure], line.unit) for _, line in found]
        where = f"{table} {figure['code'] or figure['item'] or figure['name']} [{measure}]"
        if got and all(value == expected for value in got):
            verdict.counts["exact"] += 1
        elif not got and expected == 0:
            verdict.counts["exact"] += 1  # printed blank, not landed: the same
        elif table in flagged:
            verdict.counts["flagged"] += 1
        elif not got:
            fail("missing", f"{where}: printed {expected} 元, not landed")
        else:
            fail("wrong", f"{where}: printed {expected} 元, landed {[str(v) for v in got]}")
    for i, line in enumerate([] if whole else lines):
        if line.item == "prior_year":
            continue  # last year's figures landed as last year's
        for measure, raw in line.raw.items():
            value = _yuan(raw, line.unit)
            if (i, measure) in matched or value == 0:
                continue
            if line.table_type in flagged:
                verdict.counts["flagged"] += 1
            else:
                name = line.code or line.item or line.name
                fail("phantom", f"{line.table_type} {name} [{measure}]: landed {raw!r}, not printed as such")

    labels = {
        "department": (outcome.department_name, truth["department"], "department name not found"),
        "fiscal_year": (outcome.fiscal_year, truth["fiscal_year"], "fiscal year not found"),
        "edition": (frames["documents"]["disclosure_level"].iloc[0], truth["edition"], None),
        "document_kind": (frames["documents"]["document_kind"].iloc[0], truth.get("document_kind", "budget"), None),
    }
    warnings = next((c.failures for c in outcome.checks if c.name == "extraction_warnings"), [])
    for label, (got, expected, warning) in labels.items():
        if got == expected:
            verdict.counts["labels_right"] += 1
        elif whole or (warning is not None and warning in warnings):
            verdict.counts["labels_flagged"] += 1
        else:
            verdict.counts["labels_wrong"] += 1
            verdict.problems.append(f"seed {truth['seed']}: label {label}: {got!r}, printed {expected!r}")
    return verdict


def judge_seed(seed: int, out_dir: str) -> Verdict:
    pdf = write_variant(Path(out_dir), seed)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    return judge(pdf, truth)


def summary(verdicts: list[Verdict]) -> list[str]:
    """Figures exact / flagged / failing per variant class, and the document statuses."""
    by_class: dict[str, Counter] = {}
    for verdict in verdicts:
        for name in ["all", *verdict.classes]:
            by_class.setdefault(name, Counter()).update(verdict.counts | {"documents": 1})
    statuses = Counter(v.status for v in verdicts)
    lines = [
        f"{len(verdicts)} variants; documents {dict(statuses)}",
        f"{'class':<44}{'docs':>6}{'exact':>8}{'flagged':>9}{'wrong':>7}{'missing':>9}{'phantom':>9}"
        f"{'tables lost/empty':>18}{'labels ok/flag/bad':>22}",
    ]
    for name in ["all", *sorted(k for k in by_class if k != "all")]:
        c = by_class[name]
        labels = f"{c['labels_right']}/{c['labels_flagged']}/{c['labels_wrong']}"
        tables = f"{c['table_missing']}/{c['empty_table_lost']}"
        lines.append(
            f"{name:<44}{c['documents']:>6}{c['exact']:>8}{c['flagged']:>9}{c['wrong']:>7}{c['missing']:>9}"
            f"{c['phantom']:>9}{tables:>18}{labels:>22}"
        )
    return lines
