"""Extraction: each raw PDF (one partition) becomes validated Parquet tables in the landing zone."""

from pathlib import Path

import dagster as dg
import pandas as pd

from orchestration.defs.fetch import FETCHED_KEY
from orchestration.defs.landing_tables import EXTRACTED_TABLE, LANDING_TABLES, LINE_TABLES, landing_key
from orchestration.defs.partitions import document_partitions
from orchestration.defs.resources import WarehousePaths
from orchestration.extraction.version import extractor_version
from orchestration.ingest.discovery import RawDocument, lookup, scan_raw_dir
from orchestration.ingest.landed import already_landed
from orchestration.ingest.outcome import DocumentOutcome
from orchestration.ingest.pool import extract_documents_in_pool
from orchestration.progress import progress_bar
from orchestration.warehouse.landing import ensure_schema_files

CONTRACT_CHECKS = [
    "readable_budget_disclosure",
    "extraction",
    "extraction_warnings",
    "document_contract",
    "table_line_contract",
    "reconciliation",
]
# Failing, these mean figures are missing, not wrong: shown as warnings. A sum that does not add up
# (reconciliation) loads flagged but stays red.
MISSING_NOT_WRONG = {"extraction_warnings"}
MAX_FAILURES_IN_METADATA = 50
DATA_ENGINEERING = "team:data-engineering"  # who answers for extraction and its checks
CHECK_DESCRIPTIONS = {
    "readable_budget_disclosure": "a readable PDF with a text layer that is a budget disclosure (else quarantined)",
    "extraction": "the extractor read the document to the end (an unexpected error fails this document only)",
    "extraction_warnings": "what the extractor could not read, by table and page: a table skipped, a page that "
    "failed to parse, a title with amounts but no table read under it (the rest loads)",
    "document_contract": "pandera: department, fiscal year, unit and pages present and sane (blocks loading)",
    "table_line_contract": "pandera: every landed value typed, coded, non-negative, with provenance (a refused "
    "line's table is not loaded; the rest of the document is)",
    "reconciliation": "the numbers add up within rounding tolerance (flags rows as failed_checks)",
}

raw_pdfs = dg.AssetSpec(
    key=dg.AssetKey(["raw", "budget_pdfs"]),
    description="Budget disclosure PDFs as published, dropped into the raw folder or fetched into it. Never modified.",
    deps=[FETCHED_KEY],
    group_name="ingest",
    kinds={"pdf"},
    owners=[DATA_ENGINEERING],
    tags={"layer": "raw"},
    partitions_def=document_partitions,
)


@dg.multi_asset(
    name="extract_documents",
    specs=[
        dg.AssetSpec(
            landing_key(EXTRACTED_TABLE),
            deps=[raw_pdfs],
            description="Landing Parquet `documents`, one row per document, written last: the commit point of the "
            "document's other landing tables, which the same step writes (defs/landing_tables.py).",
            group_name="extract",
            kinds={"parquet", "pdfplumber"},
            owners=[DATA_ENGINEERING],
            tags={"layer": "landing"},
            # the same fingerprint each landed document records: the UI shows landing as stale when it changes
            code_version=extractor_version(),
        )
    ],
    check_specs=[
        dg.AssetCheckSpec(name, asset=landing_key(EXTRACTED_TABLE), description=CHECK_DESCRIPTIONS[name])
        for name in CONTRACT_CHECKS
    ],
    partitions_def=document_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    retry_policy=dg.RetryPolicy(max_retries=2, delay=2, backoff=dg.Backoff.EXPONENTIAL),
)
def extract_documents(context: dg.AssetExecutionContext, warehouse_paths: WarehousePaths):
    """Extract, validate (pandera) and land every document in the run's partitions.

    A range of partitions (the CLI's backfill) or a single one (the sensor's) goes to a pool of
    worker processes (ingest/pool.py), one per core, each with its memory capped. A document already
    landed in this warehouse with the same content and the same extractor is not read again.
    """
    paths = warehouse_paths.paths()
    ensure_schema_files(paths.landing_dir, LANDING_TABLES)
    documents, elsewhere = resolve_documents(paths.raw_dir, paths.state_dir, context.partition_keys)
    if elsewhere:
        # a range over an instance several raw folders share (one DAGSTER_HOME) spans their documents too
        context.log.info(f"{len(elsewhere)} partition(s) of the range are documents of another raw folder: skipped")
    cached = already_landed(paths.landing_dir, documents)
    if cached:
        context.log.info(f"{len(cached)} document(s) already extracted with the same content and extractor")
    pending = [d for d in documents if d not in cached]
    with progress_bar(len(pending), "extracting", "document") as bar:

        def report(outcome: DocumentOutcome) -> None:
            bar.update(1)
            context.log.info(
                f"{outcome.source_file}: {outcome.status}"
                + (f" ({outcome.reason})" if outcome.reason else "")
                + f", {outcome.rows_landed} values in {outcome.seconds}s"
            )

        outcomes = extract_documents_in_pool(paths.raw_dir, paths.landing_dir, pending, report) if pending else []
    yield from materialize_results(outcomes, cached=len(cached))
    yield from check_results(outcomes)


def resolve_documents(raw_dir: Path, state_dir: Path, keys: list[str]) -> tuple[list[RawDocument], list[str]]:
    """The raw folder's documents of these partitions, and the keys it has no file for.

    A run of one partition whose file is gone fails; a range (the CLI's) may cover documents of other raw
    folders registered on the same instance, which are not this run's to extract.
    """
    found = {key: lookup(state_dir, key) for key in keys}
    if any(doc is None for doc in found.values()):
        rescanned = {d.partition_key: d for d in scan_raw_dir(raw_dir, state_dir)}
        found = {key: doc or rescanned.get(key) for key, doc in found.items()}
    missing = sorted(key for key, doc in found.items() if doc is None)
    documents = [doc for doc in found.values() if doc is not None]
    if missing and not documents:
        raise dg.Failure(f"no file in {raw_dir} has the content of partition(s) {', '.join(missing)}")
    return documents, missing


def materialize_results(outcomes: list[DocumentOutcome], cached: int):
    statuses = pd.Series([o.status for o in outcomes]).value_counts().to_dict()
    preview = pd.DataFrame([row for o in outcomes for row in o.preview][:12])
    lines = {line_table: sum(o.tables.get(line_table, 0) for o in outcomes) for line_table in LINE_TABLES}
    metadata = {
        "documents_extracted": len(outcomes),
        "documents_cached": cached,
        "status_counts": dg.MetadataValue.json(statuses),
        "pages": sum(o.pages for o in outcomes),
        "tables_found": sum(len(o.tables) for o in outcomes),
        "seconds": round(sum(o.seconds for o in outcomes), 2),
        "documents_table": dg.MetadataValue.md(outcomes_markdown(outcomes)),
        "line_rows": sum(lines.values()),
        "line_rows_by_table_type": dg.MetadataValue.json({name: n for name, n in lines.items() if n}),
    }
    if not preview.empty:
        metadata["preview"] = dg.MetadataValue.md(preview.to_markdown(index=False))
    yield dg.MaterializeResult(asset_key=landing_key(EXTRACTED_TABLE), metadata=metadata)


def check_results(outcomes: list[DocumentOutcome]):
    for name in CONTRACT_CHECKS:
        results = [(o, c) for o in outcomes for c in o.checks if c.name == name]
        failures = [f"{o.source_file}: {f}" for o, c in results for f in c.failures]
        yield dg.AssetCheckResult(
            asset_key=landing_key(EXTRACTED_TABLE),
            check_name=name,
            passed=not failures,
            severity=dg.AssetCheckSeverity.WARN if name in MISSING_NOT_WRONG else dg.AssetCheckSeverity.ERROR,
            metadata={
                "documents_checked": len(results),
                "failures": len(failures),
                "failing_rows": dg.MetadataValue.md(
                    "\n".join(f"- {f}" for f in failures[:MAX_FAILURES_IN_METADATA]) or "none"
                ),
            },
        )


def outcomes_markdown(outcomes: list[DocumentOutcome]) -> str:
    frame = pd.DataFrame(
        [
            {
                "file": o.source_file,
                "status": o.status,
                "department": o.department_name,
                "year": o.fiscal_year,
                "pages": o.pages,
                "tables": len(o.tables),
                "reason": o.reason or "",
            }
            for o in outcomes
        ]
    )
    return frame.to_markdown(index=False) if not frame.empty else "no documents"
