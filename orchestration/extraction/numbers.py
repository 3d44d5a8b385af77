"""Parse what a budget table cell prints: amounts, 政府收支分类 codes and row labels.

Pure functions on strings, no PDF library involved, so they are cheap to unit-test.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*|\s*\n\s*(?=[{_CJK}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")

# Printed placeholders for "nothing here".
_BLANKS = {"", "-", "--", "—", "——", "–", "－", "/", "\\", "*", "x", "X", "无", "空"}
_AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")

# Ordinal prefixes: 一、 二十一、 1. 1、 1． （一） (1) (一) ①
_ORDINAL = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百零〇]+\s*[、.．]"
    r"|\d{1,3}\s*[、.．](?!\d)"
    r"|[（(]\s*[一二三四五六七八九十百零〇\d]{1,4}\s*[)）]\s*[、.．]?"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r")\s*"
)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation to their half-width forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def squeeze_cjk_spaces(text: str) -> str:
    """Join lines of a wrapped cell and drop spaces between CJK characters ("合 计" -> "合计")."""
    text = text.replace("\r", "\n")
    # a cell wrapped inside the grid: the pieces belong together without a space
    text = _WRAP_NEXT_TO_CJK.sub("", text)
    text = text.replace("\n", " ")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_label(text: str | None) -> str:
    """A row label as printed, tidied: wrapped pieces joined, inner CJK spaces and ordinal prefixes removed."""
    if not text:
        return ""
    label = squeeze_cjk_spaces(text)
    # an ordinal can only be stripped once; "一、" then "1." never both appear on one label
    stripped = _ORDINAL.sub("", label, count=1)
    return stripped.strip() or label


def label_key(text: str | None) -> str:
    """Comparison key for labels, titles and headers: half-width, no whitespace, no ordinal prefix."""
    if not text:
        return ""
    key = to_halfwidth(clean_label(text))
    key = _SPACES.sub("", key)
    return key.replace("“", '"').replace("”", '"')


def is_blank(text: str | None) -> bool:
    if text is None:
        return True
    return to_halfwidth(text).strip() in _BLANKS


def parse_amount(text: str | None) -> float | None:
    """An amount as printed -> float; blank, dashes and non-numbers -> None.

    "22,070" -> 22070.0, "27,664.22" -> 27664.22, "０.００" -> 0.0, "(12.5)" -> -12.5.
    """
    if text is None:
        return None
    raw = _SPACES.sub("", to_halfwidth(text))
    if raw in _BLANKS:
        return None
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    raw = raw.replace("，", ",")
    if not _AMOUNT.match(raw) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", raw.replace(",", "")):
        return None
    value = float(raw.replace(",", ""))
    return -value if negative else value


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def parse_code(text: str | None) -> str | None:
    """A 政府收支分类 code (201, 20101, 2010101) or None. Tolerates spaces and full-width digits."""
    if not text:
        return None
    raw = _SPACES.sub("", to_halfwidth(text))
    return raw if _CODE.match(raw) else None


def join_code_parts(parts: list[str | None]) -> str | None:
    """类/款/项 printed in separate columns ("201", "03", "01") -> "2010301"; None if not a code."""
    pieces = [_SPACES.sub("", to_halfwidth(p)) for p in parts if p and p.strip()]
    if not pieces or not all(p.isdigit() for p in pieces):
        return None
    return parse_code("".join(pieces))


def looks_like_code(text: str | None) -> bool:
    return parse_code(text) is not None
