"""The extraction result: what one PDF says, independent of Dagster, pandera and DuckDB.

Every value keeps its provenance (page, table, line) so a figure in a mart can be traced back to
the page an analyst can open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the units the warehouse reads (the contract refuses others); dbt's macro `yuan_per_unit` is the same table
YUAN_PER_UNIT = {"元": 1, "千元": 1_000, "万元": 10_000}


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
    values: dict[str, float | None]  # canonical measure -> amount in its table's unit; None = printed blank
    raw_values: dict[str, str] = field(default_factory=dict)  # measure -> text exactly as printed
    code: str | None = None  # 政府收支分类 code (201, 20101, 2010101) where the table has one
    section: str | None = None  # side of a two-sided table: "revenue" | "expenditure"; else None
    item: str | None = None  # canonical key of a summary line (registry `items`), e.g. "total_revenue"
    table_index: int = 0  # index of the table on its page (0 = first table drawn on the page)
    # printed text columns of the line (registry `columns.attributes`), e.g. {"procurement_method": "分散自行组织"}
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class ExtractedTable:
    table_type: str  # registry key, e.g. "overall", "function_general_public"
    title: str  # title as printed (cleaned)
    pages: list[int]  # pages the table spans, 1-based
    lines: list[TableLine]
    # the unit of its amounts: "单位：元" as printed with this table, else the document's (None: neither printed).
    # Tables of one document may differ ("三公" in 元 beside tables in 万元)
    unit: str | None = None


@dataclass
class NarrativeFigure:
    """A figure stated in the running text ("“三公”经费预算11万元，比2021年预算增加7万元")."""

    figure: str  # registry key (`narrative_figures`), e.g. "three_public_total"
    amount: float | None  # the budget-year amount as printed
    prior_year_amount: float | None  # only when the sentence prints it; never derived
    change_amount: float | None  # on the prior year: + increase, - decrease, 0 for 持平/一致/相等
    source_page: int  # 1-based page where the sentence starts
    sentence: str  # the sentence the figure was read from (whitespace removed)
    unit: str  # as printed next to the amount ("万元" | "元")


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
    # listed in the contents, no title of it anywhere in the body: a fact about the publication
    absent_tables: list[str] = field(default_factory=list)
    # table type -> pages printing its amounts from which nothing was read (each also a warning)
    pages_not_read: dict[str, list[int]] = field(default_factory=dict)
    # table type the registry knows but does not extract (基本支出总表 …) -> pages its title is printed on:
    # printed, so never "listed but absent", and never read, on purpose
    not_extracted: dict[str, list[int]] = field(default_factory=dict)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    # what the extractor could not read (a table skipped, a page that failed, a title with nothing read
    # under it, a document fact not found): each one names the table and page where it has them
    warnings: list[str] = field(default_factory=list)
    admin_level: str | None = None  # province | municipal | city | district
    disclosure_level: str = "department"  # department (部门预算) | unit (单位预算)
    document_kind: str = "budget"  # budget (预算, figures planned) | final_accounts (决算, figures spent)
    # where the strongest sources of the fiscal year disagree: source -> year ("cover": 2023, "table titles": 2022)
    year_conflict: dict[str, int] = field(default_factory=dict)
