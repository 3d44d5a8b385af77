"""pandera contracts for what extraction lands: types, code formats, signs, units.

Failures come back as one readable line per failing value (table, code, name, page, what was
expected, what was found), because the person reading them is looking at the PDF, not at pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from orchestration.extraction.model import YUAN_PER_UNIT
from orchestration.extraction.registry import get_registry

FUNCTION_CODE_PATTERN = r"^\d{3}(\d{2}){0,2}$"
KNOWN_UNITS = list(YUAN_PER_UNIT)


# Canonical measures are defined by the registry; a column outside it is an extraction bug.
MEASURES = get_registry().measures()
# Lines that state a difference (增减变化) may be negative; every other printed amount may not.
SIGNED_ITEMS = ["change"]
FISCAL_YEAR_RANGE = (2000, 2100)


class DocumentContract(pa.DataFrameModel):
    """A document that reached extraction must say who, which year and in what unit."""

    department_name: str = pa.Field(str_length={"min_value": 2})
    fiscal_year: int = pa.Field(ge=FISCAL_YEAR_RANGE[0], le=FISCAL_YEAR_RANGE[1])
    unit: str = pa.Field(isin=KNOWN_UNITS)
    pages: int = pa.Field(ge=1)

    class Config:
        coerce = True


class TableLineContract(pa.DataFrameModel):
    """Every landed line value: provenance present, label present, amount non-negative."""

    source_file: str = pa.Field(str_length={"min_value": 1})
    source_page: int = pa.Field(ge=1)
    line_no: int = pa.Field(ge=0)
    table_type: str
    name: str = pa.Field(str_length={"min_value": 1})
    measure: str = pa.Field(isin=MEASURES, nullable=True)  # null: a text-only line (e.g. a 绩效 indicator)
    amount: float = pa.Field(ge=0, nullable=True)  # signed lines are blanked first: see validate_lines
    code: str = pa.Field(nullable=True, str_matches=FUNCTION_CODE_PATTERN)
    unit: str = pa.Field(isin=KNOWN_UNITS)

    class Config:
        coerce = True


@dataclass
class ContractFailure:
    contract: str
    column: str
    check: str
    found: str
    page: int | None
    code: str | None
    name: str | None
    table_type: str | None

    def describe(self) -> str:
        where = " ".join(
            part
            for part in (
                self.table_type or "",
                f"p.{self.page}" if self.page is not None else "",
                self.code or "",
                self.name or "",
            )
            if part
        )
        found = self.found if self.found == "nothing" else repr(self.found)
        return f"{self.contract}: {where or 'document'}: {self.column} expected {self.check}, found {found}"


def validate_lines(lines: pd.DataFrame) -> list[ContractFailure]:
    """TableLineContract, where lines stating a difference (item `change`) may be negative."""
    if lines.empty:
        return []
    signed = lines["item"].isin(SIGNED_ITEMS) if "item" in lines else False
    return validate(lines.assign(amount=lines["amount"].where(~signed)), TableLineContract)


def validate(frame: pd.DataFrame, contract: type[pa.DataFrameModel]) -> list[ContractFailure]:
    """All failures at once (lazy validation); an empty list means the frame honours the contract."""
    if frame.empty:
        return []
    try:
        contract.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.to_dict("records")
        missing = {(c.get("column"), c.get("index")) for c in cases if c.get("check") == "not_nullable"}
        # a missing value also fails its dtype checks: report it once, as missing
        cases = [
            c for c in cases if c.get("check") == "not_nullable" or (c.get("column"), c.get("index")) not in missing
        ]
        return [_to_failure(contract.__name__, row, frame) for row in cases]
    return []


def _to_failure(contract: str, case: dict, frame: pd.DataFrame) -> ContractFailure:
    index = case.get("index")
    row = frame.loc[index] if index is not None and index in frame.index else None

    def field(name: str):
        if row is None or name not in row or pd.isna(row[name]):
            return None
        return row[name]

    page = field("source_page")
    missing = case.get("check") == "not_nullable"
    return ContractFailure(
        contract=contract,
        column=str(case.get("column") or case.get("schema_context")),
        check="a value" if missing else str(case.get("check")),
        found="nothing" if missing else str(case.get("failure_case")),
        page=int(page) if page is not None else None,
        code=field("code"),
        name=field("name"),
        table_type=field("table_type"),
    )
