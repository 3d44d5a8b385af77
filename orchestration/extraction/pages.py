"""Cheap page scan with pypdfium2 (text only), and the pdfplumber page parse of the pages that need it.

The scan reads every page's text once (fast) and classifies it: which table titles it prints (and in which
order), whether it is a contents page, a narrative page or a table page. Only pages that hold a table we
extract are opened with pdfplumber, each exactly once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from orchestration.extraction.model import StructuralError
from orchestration.extraction.numbers import is_amount, squeeze_cjk_spaces
from orchestration.extraction.registry import Registry

_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。；！？]")
_CID = re.compile(r"\(cid:\d+\)")
MIN_AMOUNTS_UNDER_TITLE = 2
UNIT_LINE_WITHIN = 3  # lines under a title: "单位：万元", sometimes after a "部门：" line or a wrapped title
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")


@dataclass
class TitleHit:
    table_type: str | None  # registry key, None for an unknown "…表" title
    text: str  # printed (cleaned)
    line_no: int


@dataclass
class PageScan:
    number: int  # 1-based
    text: str
    lines: list[str]
    titles: list[TitleHit] = field(default_factory=list)
    is_contents: bool = False
    is_table_page: bool = False
    is_narrative: bool = False
    # content before the first title that looks like table rows (a table continued from the previous page)
    leading_rows: bool = False


def _visual_top_of(page):
    """A function (x, y) -> distance from the visual top of the (possibly rotated) page; PDF coordinates
    are unrotated. Size and rotation are read once: it is asked about every text rectangle above a title."""
    width, height = page.get_size()  # visual size (rotation applied)
    rotation = page.get_rotation()
    if rotation == 90:
        return lambda x, y: x
    if rotation == 180:
        return lambda x, y: y
    if rotation == 270:
        return lambda x, y: width - x
    return lambda x, y: height - y


def _text_above(page, textpage, needle: str) -> list[str] | None:
    """Text segments printed above the first occurrence of `needle` (None when not found)."""
    needle = needle.strip()
    if not needle:
        return None
    searcher = textpage.search(needle, match_case=True)
    try:
        found = searcher.get_next()
    finally:
        searcher.close()
    if not found:
        return None
    visual_top = _visual_top_of(page)
    left, bottom, right, top = textpage.get_charbox(found[0])
    limit = min(visual_top(left, top), visual_top(right, bottom)) - 1
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        if max(visual_top(left, top), visual_top(right, bottom)) <= limit:
            out.append(textpage.get_text_bounded(left, bottom, right, top))
    return out


def _scan_page(pdf: pdfium.PdfDocument, index: int, registry: Registry) -> PageScan:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            scan = classify_page(index + 1, textpage.get_text_bounded(), registry)
            if scan.titles and not scan.is_contents:
                # the text stream order is not the visual order: decide "starts with table rows" from
                # what is printed above the first title
                first = scan.lines[scan.titles[0].line_no]
                above = _text_above(page, textpage, first)
                if above is not None:
                    scan.leading_rows = count_amounts(above) >= 1
            return scan
        finally:
            textpage.close()
    finally:
        page.close()


def open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise StructuralError("the PDF is encrypted (password-protected); it cannot be read") from exc
        raise StructuralError(f"the file is not a readable PDF (corrupt or truncated: {exc})") from exc
    except (OSError, ValueError) as exc:
        raise StructuralError(f"the file cannot be opened as a PDF ({exc})") from exc


def scan_pages(path: Path, registry: Registry) -> list[PageScan]:
    """Text of every page with pypdfium2, classified. Raises StructuralError for unreadable files."""
    pdf = open_pdfium(path)
    try:
        count = len(pdf)
        if count == 0:
            raise StructuralError("the PDF has no pages")
        scans = []
        for i in range(count):
            try:
                scans.append(_scan_page(pdf, i, registry))
            except pdfium.PdfiumError as exc:
                raise StructuralError(f"page {i + 1} cannot be read (damaged PDF: {exc})") from exc
    finally:
        pdf.close()
    texts = [s.text for s in scans]

    visible = sum(len(re.sub(r"\s", "", t)) for t in texts)
    if visible < 20 * count and visible < 200:
        raise StructuralError("the PDF has no text layer (an image-only scan); OCR is out of scope")
    unreadable = sum(t.count("\ufffd") + len(_CID.findall(t)) for t in texts)
    cjk = sum(len(re.findall(r"[\u4e00-\u9fff]", t)) for t in texts)
    if unreadable > max(50, visible // 5) or cjk < 10:
        raise StructuralError("the text layer is unreadable (fonts without a Unicode map); OCR is out of scope")
    return scans


def classify_page(number: int, text: str, registry: Registry) -> PageScan:
    raw_lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in raw_lines if ln]
    scan = PageScan(number=number, text=text, lines=lines)
    joined = _WHITESPACE.sub("", "".join(lines))
    markers = registry.document.get("contents_markers") or []
    head = _WHITESPACE.sub("", "".join(lines[:6]))
    scan.is_contents = any(m in head for m in markers)
    split = registry.document.get("contents_entry_split")
    if scan.is_contents and split:
        lines = [part.strip() for ln in lines for part in re.split(split, ln) if part.strip()]
        scan.lines = lines
    scan.is_table_page = any(p.search(text) for p in registry.table_page_markers)
    sentences = len(_SENTENCE_END.findall(joined))
    scan.is_narrative = sentences >= int(registry.document.get("narrative_min_sentences", 4))

    i = 0
    while i < len(lines):
        line = squeeze_cjk_spaces(lines[i])
        hit = None
        if len(line) <= 60:
            table_type = registry.match_title(line)
            following = squeeze_cjk_spaces(lines[i + 1]) if i + 1 < len(lines) else ""
            if table_type is None and following and registry.match_title(following) is None:
                # a title (or a contents entry) wrapped onto the next line; never a table's last row ("事业收入")
                # glued to the title printed under it ("3.支出总表"), which would read as another table's title
                two = line + following
                table_type = registry.match_title(two)
                if table_type is not None:
                    line, i = two, i + 1
            if table_type is not None:
                hit = TitleHit(table_type, line, i)
            elif registry.looks_like_title(line) and not scan.is_contents and _unit_follows(lines, i, registry):
                # a title unknown to the registry; a line of a table that only ends like one ("…人大代表" wrapped
                # in a cell) is not followed by the unit line every table prints under its title
                hit = TitleHit(None, line, i)
        if hit is not None:
            scan.titles.append(hit)
        i += 1

    if not (scan.is_table_page or scan.is_contents or scan.is_narrative):
        # a table printing no unit line (left out, or only in a header cell: "金额（万元）"): a known title with
        # rows of amounts under it
        scan.is_table_page = any(
            hit.table_type and count_amounts(lines[hit.line_no + 1 :]) >= MIN_AMOUNTS_UNDER_TITLE for hit in scan.titles
        )

    first_title = scan.titles[0].line_no if scan.titles else len(lines)
    if scan.is_narrative and not scan.titles:
        # running text can print amounts anywhere: only rows above the first sentence and heading count
        # (a table ending at the top of the page where the 情况说明 begins)
        # (a row that starts with an ordinal and prints an amount, "三、服务C 295.11", is a row, not a heading)
        first_text = next(
            (
                k
                for k, ln in enumerate(lines)
                if _SENTENCE_END.search(ln) or (_HEADING.match(ln) and count_amounts([ln]) == 0)
            ),
            len(lines),
        )
        scan.leading_rows = count_amounts(lines[:first_text]) >= 2
    else:
        scan.leading_rows = count_amounts(lines[:first_title]) >= 1 and not scan.is_contents
    return scan


def _unit_follows(lines: list[str], i: int, registry: Registry) -> bool:
    following = lines[i + 1 : i + 1 + UNIT_LINE_WITHIN]
    return any(p.search(line) for line in following for p in registry.table_page_markers)


def count_amounts(lines: list[str]) -> int:
    """Amount-looking tokens (page numbers and other short integers do not count)."""
    return sum(
        1 for ln in lines for tok in ln.split() if is_amount(tok) and not re.fullmatch(r"-?\s*\d{1,3}\s*-?", tok)
    )
