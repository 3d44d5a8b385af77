"""extract_document(path, source_file) -> DocumentExtraction.

1. pypdfium2 reads every page's text once (fast) and classifies pages (pages.scan_pages).
2. Document facts come from that text (document.py).
3. Only pages that hold a table we extract -- or continue one -- are opened with pdfplumber, each once,
   and closed right after (grids.read_page); their grids are stitched per table (tables.TableBuilder,
   performance.PerformanceBuilder).
4. Figures stated in the running text come from the same pypdfium2 text (narrative.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from orchestration.extraction import document as doc_facts
from orchestration.extraction.grids import read_page, title_of
from orchestration.extraction.model import DocumentExtraction, ExtractedTable, StructuralError
from orchestration.extraction.narrative import narrative_figures
from orchestration.extraction.pages import UNIT_LINE_WITHIN, PageScan, count_amounts, scan_pages
from orchestration.extraction.performance import PerformanceBuilder
from orchestration.extraction.registry import Registry, TableSpec, get_registry
from orchestration.extraction.tables import TableBuilder

# a table page printing this many amounts under no title and continuing no table is named (a title printed
# as an image, or one that no pattern recognizes)
MIN_AMOUNTS_UNTITLED = 3
# what a damaged page can raise inside pdfminer/pdfplumber
PAGE_ERRORS = (PDFSyntaxError, PSException, ValueError, TypeError, KeyError, IndexError, AttributeError)


def plan_pages(scans: list[PageScan], registry: Registry) -> tuple[list[int], dict[int, str | None]]:
    """Pages to open with pdfplumber, and the table type in progress at the top of each page.

    A page is opened when it prints the title of a table we extract, or when the table in progress at its
    top (the last title of the page before) is one we extract and the page starts with table rows -- also a
    page of running text whose first lines are still rows (政府采购 ending above 第三部分), and for tables of
    text (registry `continues_without_amounts`) up to that many untitled pages after the title page.
    """
    wanted: list[int] = []
    carry: dict[int, str | None] = {}
    current: str | None = None
    text_pages = 0  # pages in a row opened only because a table of text may continue on them
    for scan in scans:
        carry[scan.number] = current
        spec = registry.tables[current] if current is not None else None
        # a table of text (绩效目标表) continues onto pages without amounts, even wordy ones, until a title
        limit = int(spec.options.get("continues_without_amounts") or 0) if spec is not None else 0
        text_continues = (
            spec is not None and spec.extract and not scan.titles and not scan.is_contents and text_pages < limit
        )
        rows_continue = spec is not None and spec.extract and scan.leading_rows and not scan.titles
        if scan.is_contents or (scan.is_narrative and not scan.is_table_page and not (text_continues or rows_continue)):
            current = None
            continue
        extract_here = scan.is_table_page and any(
            hit.table_type and registry.tables[hit.table_type].extract for hit in scan.titles
        )
        continues = spec is not None and spec.extract and (scan.leading_rows or text_continues)
        if extract_here or continues:
            wanted.append(scan.number)
        text_pages = text_pages + 1 if text_continues and not extract_here else 0
        if scan.titles:
            current = scan.titles[-1].table_type
        elif not scan.leading_rows and not text_continues:
            current = None
    return wanted, carry


def _builder(spec: TableSpec, title: str, registry: Registry, fiscal_year: int | None):
    cls = PerformanceBuilder if spec.kind == "performance" else TableBuilder
    return cls(spec, title, registry, fiscal_year=fiscal_year)


def extract_document(path: Path, source_file: str) -> DocumentExtraction:
    path = Path(path)
    if not path.is_file():
        raise StructuralError(f"file not found: {source_file}")
    registry = get_registry()
    scans = scan_pages(path, registry)

    template, score = doc_facts.detect_template(scans, registry)
    wanted, carry = plan_pages(scans, registry)
    budget_words = sum(s.text.count("预算") for s in scans)
    document_kind = "final_accounts" if _is_final_accounts(scans, registry) else "budget"
    if template is None and not wanted and not _has_budget_narrative(scans):
        raise StructuralError("not a budget disclosure: neither a standard budget table nor a budget narrative found")
    if budget_words == 0:
        raise StructuralError("not a budget disclosure: the text never mentions 预算")

    warnings: list[str] = []

    years = doc_facts.year_sources(scans, registry)
    fiscal_year = doc_facts.detect_year(scans, registry, years)
    year_conflict = years if len(set(years.values())) > 1 else {}
    if year_conflict:
        warnings.append(
            "fiscal year: the sources disagree ("
            + ", ".join(f"{source} {year}" for source, year in year_conflict.items())
            + f"); read as {fiscal_year}, every table flagged"
        )
    tables: list[ExtractedTable] = []
    if wanted:
        titles = titles_in_progress(scans, carry, registry)
        units = units_in_progress(scans, titles, registry)
        tables, table_warnings = _read_tables(path, wanted, carry, titles, registry, fiscal_year, units)
        warnings.extend(table_warnings)

    department = doc_facts.detect_department(scans, registry)
    region, admin_level = doc_facts.detect_region(template, scans, department, registry)
    table_pages = [s.number for s in scans if s.is_table_page and any(h.table_type for h in s.titles)]
    facts = doc_facts.DocumentFacts(
        template=template,
        region=region,
        department_name=department,
        fiscal_year=fiscal_year,
        unit=doc_facts.detect_unit(scans, registry),
        role=doc_facts.detect_role(scans, table_pages),
        listed_tables=doc_facts.listed_tables(scans),
    )
    if template is None and not tables:
        warnings.append(f"template not recognized (best marker score {score}) and no standard table read")
    tables = _without_codeless_function_tables(tables, registry, warnings)
    for table in tables:  # a table that prints no unit of its own is in the document's
        table.unit = table.unit or facts.unit
    if facts.department_name is None:
        warnings.append("department name not found in the text")
    if facts.fiscal_year is None:
        warnings.append("fiscal year not found in the text")
    if facts.unit is None and tables:
        warnings.append("unit (单位：万元/元) not found on the tables")
    not_read = amounts_not_read(scans, carry, tables, registry, warnings)
    warnings.extend(message for _, _, message in not_read if message)
    pages_not_read: dict[str, list[int]] = {}
    for table_type, page, _ in not_read:
        if table_type is not None:
            pages_not_read.setdefault(table_type, []).append(page)
    # listed but absent: no title of that table anywhere in the body (extracted or not)
    in_body = {hit.table_type for s in scans if not s.is_contents for hit in s.titles if hit.table_type}
    in_body |= {t.table_type for t in tables}
    not_extracted: dict[str, list[int]] = {}
    for scan in scans:
        for hit in scan.titles if not scan.is_contents else []:
            spec = registry.tables.get(hit.table_type) if hit.table_type else None
            if spec is not None and not spec.extract and scan.number not in not_extracted.get(spec.key, []):
                not_extracted.setdefault(spec.key, []).append(scan.number)
    absent = [t for t in facts.listed_tables if facts.role != "narrative" and t not in in_body]

    return DocumentExtraction(
        source_file=source_file,
        pages=len(scans),
        template=facts.template,
        department_name=facts.department_name,
        fiscal_year=facts.fiscal_year,
        unit=facts.unit,
        region=facts.region,
        role=facts.role,
        admin_level=admin_level,
        disclosure_level=doc_facts.detect_disclosure_level(scans, registry),
        year_conflict=year_conflict,
        document_kind=document_kind,
        tables=tables,
        listed_tables=facts.listed_tables,
        absent_tables=absent,
        pages_not_read=pages_not_read,
        not_extracted=not_extracted,
        narrative_figures=narrative_figures(scans, registry),
        warnings=warnings,
    )


_BUDGET_EDITION = re.compile(r"(?:部门|单位)\s*[预决]算")


def _has_budget_narrative(scans: list[PageScan]) -> bool:
    """Running text about a 部门预算 / 单位预算 / 部门决算 (a narrative file published apart from its tables)."""
    return any(s.is_narrative for s in scans) and any(_BUDGET_EDITION.search(s.text) for s in scans)


def _without_codeless_function_tables(
    tables: list[ExtractedTable], registry: Registry, warnings: list[str]
) -> list[ExtractedTable]:
    """A table of coded rows (function or economic codes) whose lines came out without a single code read its
    code column under a header it did not understand: its lines cannot be placed, so it is not loaded, and
    the warning names it (never figures without their codes, verified)."""
    kept = []
    for table in tables:
        spec = registry.tables[table.table_type]
        amounts = [ln for ln in table.lines if ln.item is None and any(v is not None for v in ln.values.values())]
        if spec.kind == "function" and len(amounts) >= 2 and not any(ln.code for ln in table.lines):
            warnings.append(
                f"{table.table_type}: page {table.pages[0]}: {len(amounts)} lines with amounts and no code read "
                "(a code column under a header the registry does not know); not read"
            )
            continue
        kept.append(table)
    return kept


def _is_final_accounts(scans: list[PageScan], registry: Registry) -> bool:
    """A 部门决算: its cover or its table titles name 决算 tables (收入支出决算总表 …)."""
    if "决算" in "".join(doc_facts.cover_lines(scans)):
        return True
    return any(registry.is_final_accounts_title(line) for scan in scans for line in scan.lines if len(line) <= 60)


def amounts_not_read(
    scans: list[PageScan],
    carry: dict[int, str | None],
    tables: list[ExtractedTable],
    registry: Registry,
    warnings: list[str],
) -> list[tuple[str | None, int, str | None]]:
    """Pages printing amounts of a table we extract, from which no such table was read: its title with
    amounts under it, or the rows of the table in progress continuing at the top of the page; and tables
    under a title the registry does not know. Each as (table type or None, page, warning).

    pdfplumber finds tables by their ruling lines: a table drawn without them (or with lines it cannot
    join into a grid) would otherwise vanish without a word. A table starting at the foot of the page
    its title is on counts as read there. A page already warned about (a grid whose header was not
    recognized) is not warned about twice: its warning is None, the page is still one not read.
    """
    read = {(t.table_type, page) for t in tables for page in t.pages}
    found: list[tuple[str | None, int, str | None]] = []

    def warned(page: int, table_type: str | None = None) -> bool:
        prefixes = (f"page {page}:", *([f"{table_type}: page {page}:"] if table_type else []))
        return any(w.startswith(prefixes) for w in warnings)

    def unread(table_type: str | None, pages_read: tuple[int, ...]) -> bool:
        spec = registry.tables.get(table_type) if table_type else None
        return spec is not None and spec.extract and not any((table_type, p) in read for p in pages_read)

    def not_read(table_type: str, page: int, message: str) -> None:
        found.append((table_type, page, None if warned(page, table_type) else f"{table_type}: page {page}: {message}"))

    for scan in scans:
        if scan.is_contents:
            continue
        in_progress = carry.get(scan.number)
        if scan.leading_rows and unread(in_progress, (scan.number,)):
            message = "its rows continue at the top of the page, but no table was read (no ruled grid found)"
            not_read(in_progress, scan.number, message)
        if not scan.is_table_page:
            continue
        if not scan.titles and in_progress is None and count_amounts(scan.lines) >= MIN_AMOUNTS_UNTITLED:
            if not warned(scan.number):
                message = "a table with amounts under no title the registry knows (nor the page before); not read"
                found.append((None, scan.number, f"page {scan.number}: {message}"))
        for k, hit in enumerate(scan.titles):
            end = scan.titles[k + 1].line_no if k + 1 < len(scan.titles) else len(scan.lines)
            if count_amounts(scan.lines[hit.line_no + 1 : end]) == 0:
                continue  # a title over a note ("本单位无…"), nothing to read
            if hit.table_type is None and not warned(scan.number):
                message = (
                    f"{hit.text!r} is a table title the registry does not know, with amounts under it; not read "
                    "(registry.yaml: add it as a title of its table type)"
                )
                found.append((None, scan.number, f"page {scan.number}: {message}"))
            elif unread(hit.table_type, (scan.number, scan.number + 1)):
                message = "the title is printed with amounts under it, but no table was read (no ruled grid found)"
                not_read(hit.table_type, scan.number, message)
    return found


def titles_in_progress(scans: list[PageScan], carry: dict[int, str | None], registry: Registry) -> dict[int, str]:
    """Page -> the title printed last on the page before it, when that is the table in progress at its top:
    a title at the foot of a page whose grid starts on the next."""
    out: dict[int, str] = {}
    for before, scan in zip(scans, scans[1:], strict=False):
        last = before.titles[-1] if before.titles and not before.is_contents else None
        title = title_of(last.text, registry) if last is not None and last.table_type else None
        if title is not None and last.table_type == carry.get(scan.number):
            out[scan.number] = title[0]
    return out


def units_in_progress(scans: list[PageScan], titles: dict[int, str], registry: Registry) -> dict[int, str]:
    """Page -> the unit printed under the title at the foot of the page before ("单位：万元"): the unit of the
    table whose grid starts on the page, which prints no unit line above it."""
    out: dict[int, str] = {}
    for number in titles:
        before = scans[number - 2]
        last = before.titles[-1]
        for line in before.lines[last.line_no + 1 : last.line_no + 1 + UNIT_LINE_WITHIN]:
            m = registry.unit_pattern.search(line)
            if m:
                out[number] = m.group(1)
                break
    return out


def _read_tables(
    path: Path,
    wanted: list[int],
    carry: dict[int, str | None],
    titles: dict[int, str],
    registry: Registry,
    fiscal_year: int | None,
    units: dict[int, str] | None = None,
):
    warnings: list[str] = []
    done: list[TableBuilder | PerformanceBuilder] = []
    builder: TableBuilder | PerformanceBuilder | None = None
    current_type: str | None = None
    previous_page: int | None = None
    types_above: set[str | None] = set()  # table types of the grids read on the page before
    try:
        pdf = pdfplumber.open(str(path), pages=wanted)
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise StructuralError(f"the PDF cannot be parsed for tables ({type(exc).__name__}: {exc})") from exc
    with pdf:
        for page in pdf.pages:
            number = page.page_number
            adjacent = previous_page is not None and number == previous_page + 1
            # the page before ended with the title of a table whose grid starts on this page
            title_above = (
                adjacent
                and number in titles
                and carry.get(number) != current_type
                and carry.get(number) not in types_above
            )
            if not adjacent or title_above:
                # the table in progress at the top of the page is what the scan says
                if builder is not None:
                    done.append(builder)
                    builder = None
                current_type = carry.get(number)
                if current_type is not None and registry.tables[current_type].extract:
                    title = titles[number] if title_above else ""
                    builder = _builder(registry.tables[current_type], title, registry, fiscal_year)
                    if title_above:
                        builder.unit = (units or {}).get(number)
            try:
                grids = read_page(page, number, registry)
            except PAGE_ERRORS as exc:  # a damaged page must not lose the rest of the document
                warnings.append(f"page {number}: table parsing failed ({type(exc).__name__}: {exc})")
                grids = []
            finally:
                page.close()
            types_above = {grid.table_type for grid in grids}
            for grid in grids:
                same_table_next_page = (
                    builder is not None
                    and grid.table_type == builder.spec.key
                    and grid.index == 0
                    and bool(builder.pages)
                    and builder.pages[-1] == number - 1
                )
                if same_table_next_page:
                    grid.continuation = True  # the title and header repeated on the next page
                if not grid.continuation:
                    if builder is not None:
                        done.append(builder)
                        builder = None
                    current_type = grid.table_type
                    if current_type is not None and registry.tables[current_type].extract:
                        builder = _builder(registry.tables[current_type], grid.title or "", registry, fiscal_year)
                if builder is not None and builder.add(grid) is False:
                    # an untitled table under another header: not the table in progress continued
                    done.append(builder)
                    builder, current_type = None, None
                    if grid.prints_amounts():
                        warnings.append(
                            f"page {number}: a table with amounts under no title the registry knows, its header "
                            "unlike the table before; not read"
                        )
            previous_page = number
    if builder is not None:
        done.append(builder)

    tables: list[ExtractedTable] = []
    for b in done:
        warnings.extend(b.warnings)
        if not b.pages:
            continue
        table = b.build()
        if not table.title:
            warnings.append(f"{table.table_type}: continuation on page {table.pages[0]} without its title page")
        tables.append(table)
    return tables, warnings
