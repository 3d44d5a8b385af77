"""The extraction result: what one PDF says, independent of Dagster, pandera and DuckDB.

Every value keeps its provenance (page, table, line) so a figure in a mart can be traced back to
the page an analyst can open.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class StructuralError(Exception):
    """The file cannot be read as a budget disclosure at all; the document is quarantined.

    The message is one line a person understands (shown in ops.documents.reason).
    """


@dataclass
class TableLine:
    """One logical row of a published table (after stitching pages and merging split grid rows)."""

    source_page: int  # 1-based page number in the PDF
    line_no: int  # 0-based order of the line within its table (keeps the printed order)
    name: str  # clean label: ordinal prefixes (一、 1. （一）) and inner spaces removed
    values: dict[str, float | None]  # canonical measure -> amount in the document's unit; None = printed blank
    raw_values: dict[str, str] = field(default_factory=dict)  # measure -> text exactly as printed
    code: str | None = None  # 政府收支分类 code (201, 20101, 2010101) where the table has one
    section: str | None = None  # side of a two-sided table: "revenue" | "expenditure"; else None
    item: str | None = None  # canonical key of a summary line (registry `items`), e.g. "total_revenue"
    table_index: int = 0  # index of the table on its page (0 = first table drawn on the page)


@dataclass
class ExtractedTable:
    table_type: str  # registry key, e.g. "overall", "function_general_public"
    title: str  # title as printed (cleaned)
    pages: list[int]  # pages the table spans, 1-based
    lines: list[TableLine]


@dataclass
class DocumentExtraction:
    source_file: str  # path relative to the raw dir, as given
    pages: int
    template: str | None  # registry template key, e.g. "jiangsu_provincial"
    department_name: str | None  # as printed in the document
    fiscal_year: int | None
    unit: str | None  # "万元" | "元" as printed on the tables
    region: str | None  # from the template (e.g. 江苏省) or the document
    role: str  # "full" (narrative + tables), "narrative", "tables"
    tables: list[ExtractedTable] = field(default_factory=list)
    listed_tables: list[str] = field(default_factory=list)  # table types named in the contents page
    warnings: list[str] = field(default_factory=list)
