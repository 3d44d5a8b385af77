"""Figures stated in the running text (情况说明): totals, 基本/项目支出, “三公” parts, 机关运行经费, 政府采购.

Works on the pypdfium2 text the page scan already holds (no second parse). Table pages are left out; the
other pages are joined without whitespace and without page-number lines, so a sentence broken by a page
end reads as one and a page number is never glued to an amount. All patterns live in the registry
(`narrative_figures`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from orchestration.extraction.model import NarrativeFigure
from orchestration.extraction.numbers import parse_amount
from orchestration.extraction.pages import PageScan
from orchestration.extraction.registry import Registry

_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*(第\s*)?\d{1,3}(\s*页)?[—\-－–\s]*$")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = "。"
_CLAUSE_ENDS = "。；;"
_MAX_SENTENCE = 240


@dataclass(frozen=True)
class _Patterns:
    figures: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    amount: re.Pattern
    changes: tuple[re.Pattern, ...]
    prior_year: tuple[re.Pattern, ...]


_COMPILED: dict[int, _Patterns] = {}


def _patterns(registry: Registry) -> _Patterns:
    cached = _COMPILED.get(id(registry))
    if cached is not None:
        return cached
    section = registry.raw.get("narrative_figures") or {}
    amount = section.get("amount", r"(?P<amount>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|千元|元)")
    figures = tuple(
        (key, tuple(re.compile(p.replace("{amount}", amount)) for p in patterns))
        for key, patterns in (section.get("figures") or {}).items()
    )
    compiled = _Patterns(
        figures=figures,
        amount=re.compile(amount),
        changes=tuple(re.compile(p) for p in section.get("changes") or []),
        prior_year=tuple(re.compile(p) for p in section.get("prior_year") or []),
    )
    _COMPILED[id(registry)] = compiled
    return compiled


def narrative_text(scans: list[PageScan]) -> tuple[str, list[int], list[int]]:
    """Joined text of the non-table pages, the offset where each page starts, and the page numbers."""
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    offset = 0
    for scan in scans:
        if scan.is_table_page:
            continue
        text = "".join(_WHITESPACE.sub("", ln) for ln in scan.lines if not _PAGE_NUMBER.match(ln))
        if not text:
            continue
        starts.append(offset)
        numbers.append(scan.number)
        parts.append(text)
        offset += len(text)
    return "".join(parts), starts, numbers


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END + _CLAUSE_ENDS) + 1
    right = text.find(_SENTENCE_END, end)
    right = len(text) if right < 0 else right + 1
    left = max(left, start - _MAX_SENTENCE // 2)
    right = min(right, end + _MAX_SENTENCE // 2)
    return text[left:right]


def read_change(rest: str, patterns: _Patterns) -> float | None:
    """Change on the prior year stated in `rest` (the text after an amount), before any other amount."""
    clause_end = min((i for i in (rest.find(c) for c in _CLAUSE_ENDS) if i >= 0), default=len(rest))
    clause = rest[:clause_end]
    for pattern in patterns.changes:
        m = pattern.search(clause)
        if not m:
            continue
        first = m.start("change") if m.groupdict().get("change") else m.start("zero")
        other = patterns.amount.search(clause, 0, first)
        if other is not None:
            continue  # the change belongs to another figure printed in between
        if m.groupdict().get("zero"):
            return 0.0
        value = parse_amount(m.group("change"))
        if value is None:
            continue
        return -value if m.groupdict().get("down") else value
    return None


def _read_prior(rest: str, patterns: _Patterns) -> float | None:
    clause_end = min((i for i in (rest.find(c) for c in _CLAUSE_ENDS) if i >= 0), default=len(rest))
    for pattern in patterns.prior_year:
        m = pattern.search(rest[:clause_end])
        if m:
            return parse_amount(m.group("prior"))
    return None


def narrative_figures(scans: list[PageScan], registry: Registry) -> list[NarrativeFigure]:
    patterns = _patterns(registry)
    text, starts, numbers = narrative_text(scans)
    if not text:
        return []
    out: list[NarrativeFigure] = []
    for key, regexes in patterns.figures:
        for regex in regexes:
            m = regex.search(text)
            if m is None:
                continue
            rest = text[m.end() :]
            page = numbers[bisect.bisect_right(starts, m.start("amount")) - 1]
            out.append(
                NarrativeFigure(
                    figure=key,
                    amount=parse_amount(m.group("amount")),
                    prior_year_amount=_read_prior(rest, patterns),
                    change_amount=read_change(rest, patterns),
                    source_page=page,
                    sentence=_sentence(text, m.start(), m.end()),
                    unit=m.group("unit"),
                )
            )
            break
    return out
