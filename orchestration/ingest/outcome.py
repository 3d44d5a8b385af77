"""What extracting one document returns to the asset: plain data, cheap to import and to unpickle.

Kept apart from `process.py` (pandas, pandera, the PDF libraries) so that the run process can read
the outcomes its extraction workers send back without importing what only the workers use.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CheckOutcome:
    name: str
    passed: bool
    severity: str  # "error" (blocks the document) | "warn"
    detail: str
    failures: list[str] = field(default_factory=list)


@dataclass
class DocumentOutcome:
    partition_key: str
    source_file: str
    status: str  # loaded | quarantined | failed
    reason: str | None
    department_name: str | None
    fiscal_year: int | None
    pages: int
    tables: dict[str, int]  # table type -> lines extracted
    rows_landed: int
    seconds: float
    checks: list[CheckOutcome]
    preview: list[dict]
