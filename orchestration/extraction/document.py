"""Document facts read from the content (never the file name): template, region, department, year, unit,
role and the tables listed on the contents page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from orchestration.extraction.numbers import squeeze_cjk_spaces
from orchestration.extraction.pages import PageScan
from orchestration.extraction.registry import Registry


@dataclass
class DocumentFacts:
    template: str | None
    region: str | None
    department_name: str | None
    fiscal_year: int | None
    unit: str | None
    role: str
    listed_tables: list[str] = field(default_factory=list)
    template_score: int = 0
    warnings: list[str] = field(default_factory=list)


def detect_template(scans: list[PageScan], registry: Registry) -> tuple[str | None, int]:
    text = "".join(re.sub(r"\s", "", s.text) for s in scans)
    best, best_score = None, 0
    for key, spec in registry.templates.items():
        score = sum(1 for marker in spec.markers if re.sub(r"\s", "", marker) in text)
        if score > best_score:
            best, best_score = key, score
    if best_score < registry.min_template_score:
        return None, best_score
    return best, best_score


def _clean_department(name: str, registry: Registry) -> str | None:
    name = squeeze_cjk_spaces(name).strip(" ：:，,。")
    name = re.sub(r"\s+", "", name)
    for heading in registry.document.get("department_heading_prefixes") or []:
        name = re.sub(heading, "", name, count=1)
    stop = set(registry.document.get("department_stoplist") or [])
    if len(name) < 3 or name in stop:
        return None
    return name


def _names_a_department(registry: Registry) -> Callable[[str], bool]:
    doc = registry.document
    suffixes = tuple(doc.get("department_suffixes") or [])
    second_name = re.compile(doc.get("department_second_name_pattern") or r"(?!)")
    return lambda name: name.endswith(suffixes) or second_name.sub("", name).endswith(suffixes)


def detect_department(scans: list[PageScan], registry: Registry) -> str | None:
    doc = registry.document
    is_department = _names_a_department(registry)
    label_patterns = [re.compile(p) for p in doc.get("department_label_patterns") or []]
    votes: Counter[str] = Counter()
    for scan in scans:
        for line in scan.lines:
            for pattern in label_patterns:
                m = pattern.match(line.strip())
                if m:
                    name = _clean_department(m.group(1), registry)
                    if name and is_department(name):
                        votes[name] += 1
    if votes:
        return votes.most_common(1)[0][0]
    # narrative files: the title line "江苏省委办公厅2019年度部门预算公开"
    title_patterns = [re.compile(p) for p in doc.get("department_title_patterns") or []]
    for scan in scans:
        flat = [re.sub(r"\s+", "", ln) for ln in scan.lines]
        # a title may be printed over two lines ("江苏省人民检察院" / "2019年度部门预算公开")
        candidates = flat + [a + b for a, b in pairwise(flat)]
        for text in candidates:
            for pattern in title_patterns:
                for m in pattern.finditer(text):
                    group = next((g for g in m.groups() if g and not g.isdigit()), None)
                    if not group:
                        continue
                    name = _clean_department(group, registry)
                    if name and is_department(name):
                        votes[name] += 1
        if votes and scan.number >= 2:
            break
    if votes:
        return _most_named(votes)
    return None


MAX_REGION_LEFT_OUT = 4  # "江苏" of 江苏省委办公厅, "龙华区" of 深圳市龙华区…: a longer prefix is another name


def _most_named(votes: Counter[str]) -> str:
    """The name printed most often, where a name that leaves out the region ("省委办公厅") counts for the full
    name it ends ("江苏省委办公厅"); on a tie the first printed (the cover comes first)."""
    merged: Counter[str] = Counter()
    for name, count in votes.items():
        fuller = [o for o in votes if o != name and o.endswith(name) and len(o) - len(name) <= MAX_REGION_LEFT_OUT]
        merged[min(fuller, key=len) if fuller else name] += count
    return max(merged, key=lambda name: (merged[name], -list(votes).index(name)))


COVER_LINES = 6  # the first lines of page 1: the cover's title, edition and department


def cover_lines(scans: list[PageScan]) -> list[str]:
    """The cover's first lines, whitespace removed ("上海市普陀区2025年区级部门预算", "预算主管部门：…")."""
    return [re.sub(r"\s", "", line) for line in scans[0].lines[:COVER_LINES]] if scans else []


def year_sources(scans: list[PageScan], registry: Registry) -> dict[str, int]:
    """The fiscal year as the cover prints it and as the standard table titles print it (the most printed),
    where they print one: the strongest evidence, before the narrative's many years."""
    found: dict[str, int] = {}
    m = re.search(registry.document.get("cover_year_pattern") or r"(?!)", "".join(cover_lines(scans)))
    if m:
        found["cover"] = int(m.group(1))
    in_titles = Counter(
        int(y)
        for s in scans
        if not s.is_contents
        for hit in s.titles
        if hit.table_type
        for y in re.findall(r"(20\d\d)\s*年", hit.text)
    )
    if in_titles:
        found["table titles"] = _most_printed_year(in_titles)
    return found


def detect_year(scans: list[PageScan], registry: Registry, sources: dict[str, int] | None = None) -> int | None:
    """The cover's year, else the table titles', else the year patterns over the whole text. `sources`:
    year_sources(scans, registry) where the caller has them already."""
    sources = year_sources(scans, registry) if sources is None else sources
    if sources:
        return sources.get("cover") or sources["table titles"]
    doc = registry.document
    text = "\n".join(s.text for s in scans)
    for pattern in doc.get("year_patterns") or []:
        found = Counter(int(y) for y in re.findall(pattern, text))
        if found:
            return _most_printed_year(found)
    found = Counter(int(y) for y in re.findall(doc.get("year_fallback_pattern", r"(20\d\d)\s*年"), text))
    return _most_printed_year(found) if found else None


def _most_printed_year(found: Counter[int]) -> int:
    """The year printed most often; on a tie the later one: a budget prints the year before beside the
    budget year for comparison ("2018年预算数 | 2019年预算数"), never a later one."""
    return max(found, key=lambda year: (found[year], year))


def detect_unit(scans: list[PageScan], registry: Registry) -> str | None:
    pattern = registry.unit_pattern
    found = Counter(m for s in scans if s.is_table_page for m in pattern.findall(s.text))
    if not found:
        found = Counter(m for s in scans for m in pattern.findall(s.text))
    if not found:  # units printed in column headers only ("金额（万元）")
        in_header = registry.header_unit_pattern
        found = Counter(
            m.group(1) for s in scans if s.is_table_page for ln in s.lines for m in [in_header.search(ln)] if m
        )
    if not found:
        # narrative-only files print amounts in running text ("支出 27,664.22 万元")
        amounts = re.compile(registry.document.get("text_unit_pattern", r"\d[\d,.]*\s*(万元|千元|元)"))
        found = Counter(m for s in scans for m in amounts.findall(s.text))
    return found.most_common(1)[0][0] if found else None


ADMIN_LEVELS = {"municipality": "municipal", "province": "province", "city": "city"}


def place_of(text: str, registry: Registry) -> tuple[str, str] | None:
    """(region, admin level) printed at the start of a name: a place of the registry's table, then the
    segments below it read by their endings ("上海市普陀区财政局" -> ("上海市普陀区", "district")). A segment
    needs two characters before its ending, so "社区" or "老区" in a department's name is never a place."""
    places = registry.raw.get("places") or {}
    flat = re.sub(r"\s+", "", text or "")
    known = [(name, ADMIN_LEVELS[kind]) for kind in ADMIN_LEVELS for name in places.get(kind) or []]
    start = max((p for p in known if flat.startswith(p[0])), key=lambda p: len(p[0]), default=None)
    if start is None:
        return None
    region, level = start
    longest = int(places.get("max_segment", 6))
    below = {
        "province": ("city", places.get("city_endings") or []),
        "city": ("district", places.get("district_endings") or []),
        "municipal": ("district", places.get("district_endings") or []),
    }
    while level in below:
        next_level, endings = below[level]
        rest = flat[len(region) :]
        segment = next(
            (
                rest[:n]
                for n in range(3, longest + 1)
                for ending in endings
                if rest[:n].endswith(ending) and n - len(ending) >= 2 and _CJK_NAME.fullmatch(rest[:n])
            ),
            None,
        )
        if segment is None:
            break
        region, level = region + segment, next_level
    return region, level


_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")


def detect_region(
    template: str | None, scans: list[PageScan], department: str | None, registry: Registry
) -> tuple[str | None, str | None]:
    """(region, admin level): the template's region (or the district its patterns find), else the place the
    department's name or the cover starts with (registry `places`)."""
    if template is not None:
        spec = registry.templates[template]
        region = spec.region
        sources = [department or ""] + [s.text for s in scans[:3]]
        for pattern in spec.region_patterns:
            found = next((m.group(1) for src in sources for m in [pattern.search(re.sub(r"\s", "", src))] if m), None)
            if found:
                region = found
                break
        place = place_of(region or "", registry)
        return region, place[1] if place and place[0] == region else _level_by_ending(region, registry)
    for source in [department or "", *cover_lines(scans)]:
        place = place_of(source, registry)
        if place is not None:
            return place
    return None, None


def _level_by_ending(region: str | None, registry: Registry) -> str | None:
    if not region:
        return None
    places = registry.raw.get("places") or {}
    if region.endswith(tuple(places.get("district_endings") or [])) and not region.endswith("市"):
        return "district"
    return "city" if region.endswith(tuple(places.get("city_endings") or [])) else None


def detect_disclosure_level(scans: list[PageScan], registry: Registry) -> str:
    """department (部门预算, consolidated) or unit (单位预算, one budget unit): the cover's words, else what the
    table titles print in front ("预算单位财务收支预算总表"); department when neither says."""
    rules = registry.raw.get("disclosure_levels") or {}
    cover = "".join(cover_lines(scans))
    said = {level for level, words in (rules.get("cover") or {}).items() if any(w in cover for w in words)}
    if len(said) == 1:
        return said.pop()
    prefixes = {level: re.compile(p) for level, p in (rules.get("title_prefix") or {}).items()}
    votes: Counter[str] = Counter()
    for scan in scans:
        for hit in scan.titles if not scan.is_contents else []:
            if hit.table_type is None:
                continue
            key = registry.title_key(hit.text)
            votes.update(level for level, pattern in prefixes.items() if pattern.match(key))
    if votes and votes.get("unit", 0) > votes.get("department", 0):
        return "unit"
    return "department"


def listed_tables(scans: list[PageScan]) -> list[str]:
    """Table types named on the contents page(s), in the order listed -- also the entries that run over
    onto the page after a contents page, above its first sentence."""
    out: list[str] = []
    for i, scan in enumerate(scans):
        if not scan.is_contents:
            continue
        hits = list(scan.titles)
        following = scans[i + 1] if i + 1 < len(scans) else None
        if following is not None and not following.is_contents and not following.is_table_page:
            hits += _contents_continued(following)
        for hit in hits:
            if hit.table_type and hit.table_type not in out:
                out.append(hit.table_type)
    return out


def _contents_continued(scan: PageScan, max_lead: int = 2) -> list:
    """Title entries at the top of the page after a contents page (the contents run over a page break)."""
    typed = [hit for hit in scan.titles if hit.table_type]
    if not typed or typed[0].line_no > max_lead:
        return []
    end = next((k for k, line in enumerate(scan.lines) if "。" in line), len(scan.lines))
    return [hit for hit in typed if hit.line_no < end]


def detect_role(scans: list[PageScan], table_pages: list[int]) -> str:
    has_tables = bool(table_pages)
    has_narrative = any(s.is_narrative and not s.is_table_page for s in scans)
    if has_tables and has_narrative:
        return "full"
    if has_tables:
        return "tables"
    return "narrative"
