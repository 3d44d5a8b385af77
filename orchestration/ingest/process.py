"""One document, start to finish, without Dagster: extract, validate, land.

Kept free of Dagster so that the asset can run it in worker processes; the asset turns the
returned outcome into materialization metadata and asset-check results.
"""

from __future__ import annotations

import json
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from orchestration.extraction.model import DocumentExtraction, StructuralError
from orchestration.extraction.version import extractor_version
from orchestration.ingest.bounds import ExtractionTimeout, check_bounds, limits_from_env, time_limit
from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.outcome import CheckOutcome, DocumentOutcome
from orchestration.validation.contracts import ContractFailure, DocumentContract, validate, validate_lines
from orchestration.validation.reconciliation import Discrepancy, reconcile
from orchestration.warehouse.landing import LINE_TABLES_FOLDER, write_document

MAX_REASON_FAILURES = 3


@dataclass
class PreparedDocument:
    """A document extracted and validated, its landing frames made, nothing written yet."""

    doc: RawDocument
    frames: dict[str, pd.DataFrame]
    outcome: DocumentOutcome


def process_document(raw_dir: Path, doc: RawDocument, landing_dir: Path) -> DocumentOutcome:
    return land_document(landing_dir, prepare_document(raw_dir, doc))


def land_document(landing_dir: Path, prepared: PreparedDocument) -> DocumentOutcome:
    write_document(landing_dir, prepared.doc.partition_key, prepared.frames)
    return prepared.outcome


def prepare_unreadable(raw_dir: Path, doc: RawDocument, reason: str) -> PreparedDocument:
    """The landing rows of a document quarantined without being read (its extraction process died)."""
    return prepare_document(raw_dir, doc, unreadable=reason)


def prepare_document(raw_dir: Path, doc: RawDocument, unreadable: str | None = None) -> PreparedDocument:
    from orchestration.extraction.extract import extract_document  # heavy import, only in workers
    from orchestration.extraction.sniff import check_signature

    started = time.perf_counter()
    extraction_id = uuid.uuid4().hex
    extraction: DocumentExtraction | None = None
    status, reason, checks = "loaded", None, []
    try:
        if unreadable:
            raise StructuralError(unreadable)
        check_signature(raw_dir / doc.source_file)
        limits = limits_from_env()
        check_bounds(raw_dir / doc.source_file, limits)  # a PDF may be hostile: over a limit is quarantined
        with time_limit(limits.seconds):
            extraction = extract_document(raw_dir / doc.source_file, doc.source_file)
    except (StructuralError, ExtractionTimeout) as error:
        status, reason = "quarantined", str(error)
        checks.append(CheckOutcome("readable_budget_disclosure", False, "error", reason, [reason]))
    except MemoryError:
        # the worker's memory cap (ingest/pool.py) stopped an allocation: the document, not the run, is at fault
        limit_mib = limits_from_env().memory_mib
        status, reason = "quarantined", f"extraction needed more memory than the limit of {limit_mib} MiB"
        checks.append(CheckOutcome("readable_budget_disclosure", False, "error", reason, [reason]))
    except OSError:
        raise  # transient (disk, network share): fail the step so Dagster's retry policy runs it again
    except Exception as error:  # a bug or an unforeseen PDF: fail this document, keep the others going
        status = "failed"
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        checks.append(CheckOutcome("extraction", False, "error", reason, [traceback.format_exc(limit=3)]))

    lines = lines_frame(extraction, doc, extraction_id)
    discrepancies: list[Discrepancy] = []
    validation_started = time.perf_counter()
    if extraction is not None:
        checks.append(
            CheckOutcome("readable_budget_disclosure", True, "error", "a budget disclosure with a text layer")
        )
        checks.append(CheckOutcome("extraction", True, "error", "the extractor read the document to the end"))
        line_failures = validate_lines(lines)
        checks.extend(contract_checks(extraction, lines, line_failures))
        lines = lines_of_trusted_tables(extraction, lines, line_failures)
        checks.append(extraction_warnings_check(extraction))
        discrepancies = reconcile(extraction)
        checks.append(reconciliation_check(discrepancies, doc.source_file))
        blocking = [c for c in checks if not c.passed and c.severity == "error"]
        if blocking:
            status = "quarantined"
            reason = "; ".join(f for c in blocking for f in c.failures[:MAX_REASON_FAILURES])
    finished = time.perf_counter()
    seconds, validate_seconds = finished - started, finished - validation_started

    frames = {LINE_TABLES_FOLDER: lines}
    frames["document_tables"] = document_tables_frame(extraction, doc, extraction_id)
    frames["narrative_figures"] = narrative_frame(extraction, doc, extraction_id)
    frames["reconciliation_failures"] = pd.DataFrame(
        [
            {"partition_key": doc.partition_key, "extraction_id": extraction_id, "source_file": doc.source_file}
            | vars(d)
            for d in discrepancies
        ]
    )
    frames["check_results"] = pd.DataFrame(
        [
            {
                "partition_key": doc.partition_key,
                "extraction_id": extraction_id,
                "source_file": doc.source_file,
                "check_name": c.name,
                "severity": c.severity,
                "passed": c.passed,
                "detail": c.detail if c.passed else "; ".join([c.detail, *c.failures]),
            }
            for c in checks
        ]
    )
    frames["documents"] = document_frame(extraction, doc, extraction_id, status, reason, seconds, validate_seconds)

    tables = {t.table_type: len(t.lines) for t in extraction.tables} if extraction else {}
    outcome = DocumentOutcome(
        partition_key=doc.partition_key,
        source_file=doc.source_file,
        status=status,
        reason=reason,
        department_name=extraction.department_name if extraction else None,
        fiscal_year=extraction.fiscal_year if extraction else None,
        pages=extraction.pages if extraction else 0,
        tables=tables,
        rows_landed=len(lines),
        seconds=round(seconds, 3),
        checks=checks,
        preview=lines.head(8)[["source_page", "table_type", "code", "name", "measure", "amount"]].to_dict("records")
        if len(lines)
        else [],
    )
    return PreparedDocument(doc, frames, outcome)


def extraction_warnings_check(extraction: DocumentExtraction) -> CheckOutcome:
    """Non-blocking: what was read loads; what could not be read (a table skipped, a page that failed to
    parse, a title with amounts but no table read under it) is named with its table and page."""
    return CheckOutcome(
        "extraction_warnings",
        not extraction.warnings,
        "warn",
        f"{len(extraction.tables)} tables read, {len(extraction.warnings)} warnings",
        list(extraction.warnings),
    )


def reconciliation_check(discrepancies: list[Discrepancy], source_file: str) -> CheckOutcome:
    """Non-blocking: the rows load, flagged `failed_checks` in the marts, and the check shows red."""
    return CheckOutcome(
        "reconciliation",
        not discrepancies,
        "warn",
        f"{len(discrepancies)} sums beyond rounding tolerance",
        [d.describe(source_file) for d in discrepancies],
    )


def lines_of_trusted_tables(
    extraction: DocumentExtraction, lines: pd.DataFrame, failures: list[ContractFailure]
) -> pd.DataFrame:
    """A table with a line its contract refuses (a name missing, a code malformed, a negative amount) is
    not loaded: its figures cannot be trusted, the document's other tables can. The table is left out of
    the extraction (so it is reconciled with nothing and reported printed but not read) and named in a
    warning with the first refusal; the document stays loaded. `failures`: validate_lines(lines)."""
    refused: dict[str, str] = {}
    for failure in failures:
        refused.setdefault(failure.table_type or "", failure.describe())
    if not refused:
        return lines
    for table in [t for t in extraction.tables if t.table_type in refused]:
        extraction.tables.remove(table)
        extraction.pages_not_read.setdefault(table.table_type, []).extend(
            p for p in table.pages if p not in extraction.pages_not_read.get(table.table_type, [])
        )
        extraction.warnings.append(
            f"{table.table_type}: pages {', '.join(map(str, table.pages))}: not loaded, a line fails its contract "
            f"({refused[table.table_type]})"
        )
    return lines[~lines["table_type"].isin(refused)] if len(lines) else lines


def contract_checks(
    extraction: DocumentExtraction, lines: pd.DataFrame, line_failures: list[ContractFailure]
) -> list[CheckOutcome]:
    document = pd.DataFrame(
        [
            {
                "department_name": extraction.department_name,
                "fiscal_year": extraction.fiscal_year,
                "unit": extraction.unit,
                "pages": extraction.pages,
            }
        ]
    )
    results = []
    # who, which year, what unit: without them nothing in the document can be placed, so it is quarantined;
    # a refused line costs its own table only (lines_of_trusted_tables)
    for name, frame, failures, severity in (
        ("document_contract", document, validate(document, DocumentContract), "error"),
        ("table_line_contract", lines, line_failures, "warn"),
    ):
        messages = [f.describe() for f in failures]
        detail = f"{len(frame)} rows checked, {len(messages)} failures"
        if name == "table_line_contract" and messages:
            tables = sorted({f.table_type for f in failures if f.table_type})
            detail += f"; tables not loaded: {', '.join(tables)}"
        results.append(CheckOutcome(name, not messages, severity, detail, messages))
    return results


def lines_frame(extraction: DocumentExtraction | None, doc: RawDocument, extraction_id: str) -> pd.DataFrame:
    """Long format: one row per printed value (line × measure), each with its page and table.

    A line with text only (a 绩效 indicator, say) becomes one row with no measure, so its
    attributes still land.
    """
    rows = []
    for table in extraction.tables if extraction else []:
        for line in table.lines:
            base = {
                "partition_key": doc.partition_key,
                "extraction_id": extraction_id,
                "source_file": doc.source_file,
                "source_page": line.source_page,
                "table_index": line.table_index,
                "table_type": table.table_type,
                "table_title": table.title,
                "line_no": line.line_no,
                "section": line.section,
                "item": line.item,
                "code": line.code,
                "name": line.name,
                "unit": table.unit,
                "attributes": json.dumps(line.attributes, ensure_ascii=False, sort_keys=True)
                if line.attributes
                else None,
            }
            values = line.values or {None: None}
            for measure, amount in values.items():
                rows.append(base | {"measure": measure, "amount": amount, "raw_value": line.raw_values.get(measure)})
    return pd.DataFrame(rows)


def narrative_frame(extraction: DocumentExtraction | None, doc: RawDocument, extraction_id: str) -> pd.DataFrame:
    figures = extraction.narrative_figures if extraction else []
    return pd.DataFrame(
        [
            {"partition_key": doc.partition_key, "extraction_id": extraction_id, "source_file": doc.source_file}
            | vars(figure)
            for figure in figures
        ]
    )


def document_tables_frame(extraction: DocumentExtraction | None, doc: RawDocument, extraction_id: str):
    """One row per table type read, per table type printed with amounts but not read at all (0 lines), and per
    table type printed that the registry does not extract (0 lines, no pages not read)."""
    tables = extraction.tables if extraction else []
    not_read = extraction.pages_not_read if extraction else {}
    unread_only = [t for t in not_read if t not in {table.table_type for table in tables}]
    rows = [
        (t.table_type, t.title, t.pages, len(t.lines), sum(v is not None for ln in t.lines for v in ln.values.values()))
        for t in tables
    ]
    rows += [(table_type, None, not_read[table_type], 0, 0) for table_type in unread_only]
    rows += [
        (table_type, None, pages, 0, 0)
        for table_type, pages in (extraction.not_extracted if extraction else {}).items()
    ]
    return pd.DataFrame(
        [
            {
                "partition_key": doc.partition_key,
                "extraction_id": extraction_id,
                "source_file": doc.source_file,
                "table_type": table_type,
                "table_title": title,
                "first_page": min(pages) if pages else None,
                "last_page": max(pages) if pages else None,
                "lines": lines,
                "amounts": amounts,
                "pages_not_read": ", ".join(map(str, sorted(not_read[table_type]))) if table_type in not_read else None,
            }
            for table_type, title, pages, lines, amounts in rows
        ]
    )


def document_frame(
    extraction, doc: RawDocument, extraction_id: str, status: str, reason, seconds: float, validate_seconds: float
):
    return pd.DataFrame(
        [
            {
                "partition_key": doc.partition_key,
                "extraction_id": extraction_id,
                "source_file": doc.source_file,
                "source_files": "; ".join(doc.paths),
                "sha256": doc.sha256,
                "file_size": doc.size,
                "file_modified_at": datetime.fromtimestamp(doc.mtime, UTC).replace(tzinfo=None),
                "status": status,
                "reason": reason,
                "template": extraction.template if extraction else None,
                "department_name": extraction.department_name if extraction else None,
                "fiscal_year": extraction.fiscal_year if extraction else None,
                "unit": extraction.unit if extraction else None,
                "region": extraction.region if extraction else None,
                "admin_level": extraction.admin_level if extraction else None,
                "disclosure_level": extraction.disclosure_level if extraction else None,
                "document_kind": extraction.document_kind if extraction else None,
                "role": extraction.role if extraction else None,
                "pages": extraction.pages if extraction else None,
                "tables_found": len(extraction.tables) if extraction else 0,
                "listed_tables": ", ".join(extraction.listed_tables) if extraction else None,
                "extracted_at": datetime.now(UTC).replace(tzinfo=None),
                "extract_seconds": round(seconds, 3),
                "validate_seconds": round(validate_seconds, 3),
                "extractor_version": extractor_version(),
            }
        ]
    )
