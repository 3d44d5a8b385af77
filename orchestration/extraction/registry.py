"""The registry (registry.yaml) loaded into lookups: titles -> table types, headers -> roles, labels -> items."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.extraction.numbers import label_key

REGISTRY_PATH = Path(__file__).with_name("registry.yaml")
DEFAULT_UNIT_PATTERN = r"单位\s*[:：]\s*([万千百亿]*元)"
# libyaml's safe loader reads the registry in 7 ms instead of 66 ms, in every process that extracts
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ColumnRole:
    role: str  # "code" | "code_part" | "name" | "unit_name" | "measure" | "attribute" | "ignore"
    measure: str | None = None
    section: str | None = None
    attribute: str | None = None  # key in TableLine.attributes for role "attribute"
    # "ignore" under a header (out of scope, or unknown): its numbers are not ours to read. Under none, a
    # number is a figure printed off its column and goes to the closest amount column.
    headed: bool = True
    # "ignore" under a leaf header the registry does not know: its amounts are named in a warning
    unknown_header: str | None = None
    other_year: bool = False  # "ignore" under a header naming another year than the fiscal year
    # "budget" | "actual": a 预算数 / 决算数 leaf under the header that names the measure (决算 “三公” tables)
    figure_kind: str | None = None


# a measure read from a 预算数 column beside its 决算数 (a 决算's printed budget figure): budget_total, …
BUDGET_FIGURE = "budget_"
_QUOTES = re.compile(r"[\"'‘’“”]")
_YEAR_IN_HEADER = re.compile(r"(20\d\d)年")
_CONTENTS_LEADER = re.compile(r"\s*[…⋯·.．]{2,}[\s…⋯·.．]*\d*\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")  # every table title has Chinese characters
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff()]+")


def _remembered(seen: dict, text: str, answer: Callable[[str], Any]) -> Any:
    """`answer(text)`, computed once per distinct line: a page scan asks about every printed line, and lines
    repeat across pages and documents. Emptied when it grows large, for long-lived processes."""
    if text not in seen:
        if len(seen) > 100_000:
            seen.clear()
        seen[text] = answer(text)
    return seen[text]


def header_key(text: str | None) -> str:
    """label_key without quotes: “三公”经费 and 三公经费 are the same header."""
    return _QUOTES.sub("", label_key(text))


@dataclass(frozen=True)
class ColumnRule:
    """A per-table header alias: `leaf` (normalized), optionally only under the group header `group`."""

    group: str | None
    leaf: str
    role: ColumnRole


@dataclass(frozen=True)
class TableSpec:
    key: str
    extract: bool
    kind: str | None
    single_measure: str | None
    titles: frozenset[str]  # normalized keys
    title_patterns: tuple[re.Pattern, ...]
    column_rules: tuple[ColumnRule, ...] = ()  # registry `columns`, tried before the global headers
    indicator_rules: tuple[ColumnRule, ...] = ()  # registry `indicator_columns` (performance tables)
    header_words: frozenset[str] = frozenset()  # every header text of this table (normalized)
    items: dict = field(default_factory=dict)  # normalized label -> item, tried before the global items
    hierarchy: tuple[str, ...] = ()
    subtotal_labels: frozenset[str] = frozenset()
    options: dict = field(default_factory=dict)  # name_groups, fold_measures, year_items, ...

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    region: str | None
    region_patterns: tuple[re.Pattern, ...]
    markers: tuple[str, ...]


@dataclass(frozen=True)
class TitleKeywordRule:
    """A table type recognized by the key words of its title (registry `title_keywords`)."""

    table: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    none_of: tuple[str, ...]

    def fits(self, key: str) -> bool:
        return (
            all(word in key for word in self.all_of)
            and (not self.any_of or any(word in key for word in self.any_of))
            and not any(word in key for word in self.none_of)
        )


@dataclass
class Registry:
    raw: dict
    templates: dict[str, TemplateSpec]
    tables: dict[str, TableSpec]
    min_template_score: int
    title_prefixes: tuple[re.Pattern, ...]
    title_context_patterns: tuple[re.Pattern, ...]  # department/year around a title, tried when it matches nothing
    generic_title: re.Pattern
    table_page_markers: tuple[re.Pattern, ...]
    header_roles: dict[str, str]  # normalized header -> role
    measure_aliases: dict[str, str]  # normalized header -> measure
    measure_patterns: list[tuple[re.Pattern, str]]
    header_groups: frozenset[str]
    header_words: frozenset[str]
    sections: list[tuple[str, str]]  # (normalized group, section)
    items: dict[str, str]  # normalized label -> item
    function_items: dict[str, str]
    unit_pattern: re.Pattern  # "单位：万元" as printed by a table; group 1 is the unit
    header_unit_pattern: re.Pattern  # "金额（万元）": a unit printed in a column header; group 1 is the unit
    ignored_headers: frozenset[str]  # columns never read, on purpose (序号)
    document: dict = field(default_factory=dict)
    # words printed around a known header ("本年收入", "收入预算", "机关运行经费预算数"): tried off when the
    # header as printed is not known
    header_prefixes: tuple[str, ...] = ()
    header_suffixes: tuple[str, ...] = ()
    role_patterns: tuple[tuple[re.Pattern, str], ...] = ()  # "…科目编码" -> code, "…科目名称" -> name
    prior_year_headers: frozenset[str] = frozenset()  # "上年预算数": a column of last year's figures
    figure_kinds: dict[str, str] = field(default_factory=dict)  # normalized header -> "budget" | "actual"
    # a label whose item depends on the side of a two-sided table ("总计": 收入总计 or 支出总计)
    section_items: dict[str, dict[str, str]] = field(default_factory=dict)
    title_keywords: tuple[TitleKeywordRule, ...] = ()  # tried in order when no known wording matches
    final_accounts_title: re.Pattern = re.compile(r"(?!)")  # a 决算 table title: typed apart from budget tables
    # answers per printed line (`_remembered`)
    _titles_seen: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    _title_shapes_seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    # ---- titles ----
    def title_key(self, text: str) -> str:
        text = _CONTENTS_LEADER.sub("", text or "")  # a contents entry: "收支总表 ………… 12"
        key = label_key(text) if text else ""
        raw = re.sub(r"\s+", "", text or "")
        # strip table numbers / ordinals from the raw text first (label_key already drops one ordinal)
        for pattern in self.title_prefixes:
            stripped = pattern.sub("", raw, count=1)
            if stripped != raw:
                key = label_key(stripped)
                break
        # quotes are often printed on a baseline of their own and lost from the title line
        return _QUOTES.sub("", key).strip(":：")

    def match_title(self, text: str) -> str | None:
        """Registry key of the table whose title `text` is, or None. Exact on the normalized key."""
        return _remembered(self._titles_seen, text, self._match_title)

    def _match_title(self, text: str) -> str | None:
        key = self._cjk_title_key(text)
        if not key:
            return None
        found = self._table_of_title_key(key)
        if found is not None:
            return found
        bare = key
        for pattern in self.title_context_patterns:
            bare = pattern.sub("", bare, count=1)
        if bare and bare != key:
            found = self._table_of_title_key(bare)
        return found or self._title_after_department(bare) or self._table_of_title_words(bare)

    def _table_of_title_words(self, key: str) -> str | None:
        """A wording the registry has not seen ("2025年部门财务收支预算总表", "…功能分类预算表", "收入支出决算总表"):
        the table type whose key words the title prints. Only a line shaped like a table title is typed. A 决算
        title types as the same standard table: the document says which kind of figures it holds."""
        if not self.generic_title.match(key):
            return None
        return next((rule.table for rule in self.title_keywords if rule.fits(key)), None)

    def is_final_accounts_title(self, text: str) -> bool:
        key = self._cjk_title_key(text)
        return bool(key) and bool(self.generic_title.match(key)) and bool(self.final_accounts_title.search(key))

    def _title_after_department(self, key: str) -> str | None:
        """ "江苏省人民检察院收支预算总表": a known title (the longest that fits) after a department's name."""
        suffixes = tuple(self.document.get("department_suffixes") or [])
        # the shortest department name first is the longest title first
        for cut in range(4, min(40, len(key) - 1) + 1):
            table = self._table_of_title.get(key[cut:])
            if table is not None and _CJK_ONLY.fullmatch(key[:cut]) and key[:cut].endswith(suffixes):
                return table
        return None

    @cached_property
    def _table_of_title(self) -> dict[str, str]:
        """Every known title (normalized) -> its table type; a title two tables share is the first one's."""
        tables: dict[str, str] = {}
        for spec in self.tables.values():
            for title in spec.titles:
                tables.setdefault(title, spec.key)
        return tables

    def _table_of_title_key(self, key: str) -> str | None:
        if key in self._table_of_title:
            return self._table_of_title[key]
        for spec in self.tables.values():
            if any(p.search(key) for p in spec.title_patterns):
                return spec.key
        return None

    def looks_like_title(self, text: str) -> bool:
        """A known title, or a line shaped like a table title ("…表"); it ends the previous table."""
        if self.match_title(text):
            return True
        return _remembered(self._title_shapes_seen, text, self._has_title_shape)

    def _has_title_shape(self, text: str) -> bool:
        key = self._cjk_title_key(text)
        return bool(key) and bool(self.generic_title.match(key))

    def _cjk_title_key(self, text: str) -> str:
        """title_key of a line with Chinese characters (every table title has them), else ""."""
        return self.title_key(text) if _CJK.search(text or "") else ""

    # ---- headers ----
    def without_unit(self, text: str) -> str:
        """A header without the unit printed at its end: "金额（万元）" -> "金额"."""
        text = text or ""
        last = next(reversed(list(self.header_unit_pattern.finditer(text))), None)
        if last is not None and not text[last.end() :].strip() and text[: last.start()].strip():
            return text[: last.start()].strip()
        return text

    def is_header_text(self, text: str, table: TableSpec | None = None) -> bool:
        text = self.without_unit(text)
        key = label_key(text)
        if not key:
            return False
        if table is not None and any(k in table.header_words for k in self.header_variants(header_key(text))):
            return True
        return any(self._is_known_header(k) for k in self.header_variants(key)) or any(
            p.search(key) for p, _ in self.role_patterns
        )

    def _is_known_header(self, key: str) -> bool:
        return (
            key in self.header_roles
            or key in self.measure_aliases
            or key in self.header_groups
            or key in self.header_words
            or any(p.match(key) for p, _ in self.measure_patterns)
        )

    def header_variants(self, key: str) -> list[str]:
        """The header as printed, then without the words printed around a known header: "本年收入" -> "收入",
        "收入预算" -> "收入", "机关运行经费预算数" -> "机关运行经费". Never down to nothing."""
        out = [key]
        for prefix in ("", *self.header_prefixes):
            if prefix and not key.startswith(prefix):
                continue
            bare = key[len(prefix) :]
            for suffix in ("", *self.header_suffixes):
                if suffix and not bare.endswith(suffix):
                    continue
                variant = bare[: len(bare) - len(suffix)] if suffix else bare
                if variant and variant not in out:
                    out.append(variant)
        return out

    def known_header(self, key: str) -> str:
        """The first variant of a header the registry knows (the header itself when none is known)."""
        return next((k for k in self.header_variants(key) if self._is_known_header(k)), key)

    def column_role(self, path: list[str], table: TableSpec, fiscal_year: int | None = None) -> ColumnRole:
        """Role of a column from its header path (group headers first, leaf last).

        A column is bound to the year its headers name: under "2024年预算数" or "上年预算数" in a 2025 budget it
        holds last year's figures, which never land as this year's (the column is not read)."""
        path = self._joined_stacked_headers([self.without_unit(p) for p in path if p and label_key(p)])
        keys = [self.known_header(label_key(p)) for p in path]
        if not keys:
            return ColumnRole("ignore", headed=False)
        if self._names_another_year(path, fiscal_year):
            return ColumnRole("ignore", other_year=True)
        kind = self.figure_kinds.get(keys[-1])
        if kind is not None and len(path) > 1:
            # 合计 > 预算数 | 决算数: the measure is its group's, the leaf says which figure
            named = self.column_role(path[:-1], table, fiscal_year)
            if named.role == "measure":
                return replace(named, figure_kind=kind)
        section = None
        if table.kind == "two_sided":
            for group, sec in self.sections:
                if any(group in g for g in keys):
                    section = sec
                    break
        if table.column_rules:
            role = match_rules(path, table.column_rules, self.header_variants)
            if role is not None:
                return replace(role, section=role.section or section)
        leaf, groups = keys[-1], keys[:-1]
        role = self._text_role(leaf)
        if any(not self._keeps_column(g, role) for g in groups):
            return ColumnRole("ignore", section=section)
        if role:
            return ColumnRole(role, section=section)
        measure = self.measure_aliases.get(leaf)
        if measure is None:
            measure = next((m for p, m in self.measure_patterns if p.match(leaf)), None)
        if measure is not None:
            return ColumnRole("measure", measure=table.single_measure or measure, section=section)
        unknown = None if leaf in self.ignored_headers or leaf in self.header_groups else path[-1]
        return ColumnRole("ignore", section=section, unknown_header=unknown)

    def _joined_stacked_headers(self, path: list[str]) -> list[str]:
        """One header printed over two ruled rows ("支出功能分类" above "科目编码"): the two cells read as one
        when together they make a header the registry knows and the upper one alone does not."""
        out: list[str] = []
        for text in path:
            if out:
                joined = out[-1] + text
                upper, both = label_key(out[-1]), label_key(joined)
                known = self._is_known_header(both) or any(p.search(both) for p, _ in self.role_patterns)
                if known and not self._is_known_header(self.known_header(upper)) and not self._text_role(upper):
                    out[-1] = joined
                    continue
            out.append(text)
        return out

    def _names_another_year(self, path: list[str], fiscal_year: int | None) -> bool:
        keys = [label_key(p) for p in path]
        if any(key in self.prior_year_headers for k in keys for key in self.header_variants(k)):
            return True
        years = {int(y) for k in keys for y in _YEAR_IN_HEADER.findall(k)}
        return fiscal_year is not None and bool(years) and years != {fiscal_year}

    def _text_role(self, key: str) -> str | None:
        """code / code_part / name / unit_name for a header of text columns, by its print or its ending."""
        return self.header_roles.get(key) or next((r for p, r in self.role_patterns if p.search(key)), None)

    def _keeps_column(self, group: str, leaf_role: str | None) -> bool:
        """A group header above a leaf keeps the column in the table when it is a known group, or a header of
        text columns over text columns: a code header over 类 | 款 | 项 ("功能分类科目编码"), 项目 over the code
        and name columns."""
        if group in self.header_groups:
            return True
        if group in self.measure_aliases and leaf_role is None:
            return True  # a measure over the measures it splits into: 预算数 > 合计 | 基本支出 > 人员经费 | …
        group_role = self._text_role(group)
        if leaf_role == "code_part":
            return group_role in ("code", "name")
        return group_role == "name" and leaf_role in ("code", "name")

    # ---- lines ----
    def item_for(self, label: str, table: TableSpec, section: str | None = None) -> str | None:
        key = label_key(label)
        if key in table.items:
            return table.items[key]
        if table.kind == "function":
            return self.function_items.get(key)
        by_side = self.section_items.get(key, {})
        return by_side.get(section) if section in by_side else self.items.get(key)

    def measures(self) -> list[str]:
        """Every canonical measure a line can carry (global headers and per-table columns)."""
        found = set(self.measure_aliases.values()) | {m for _, m in self.measure_patterns}
        for spec in self.tables.values():
            found |= {r.role.measure for r in spec.column_rules if r.role.measure}
            if spec.single_measure:
                found.add(spec.single_measure)
        if "budget" in self.figure_kinds.values():
            found |= {f"{BUDGET_FIGURE}{m}" for m in found}
        return sorted(found)


def match_rules(
    path: list[str], rules: tuple[ColumnRule, ...], variants: Callable[[str], list[str]] = lambda key: [key]
) -> ColumnRole | None:
    """Role of a column from per-table rules: "group>leaf" under the nearest matching group first, then leaf;
    each header as printed first, then without the words printed around it (`variants`)."""
    keys = [header_key(p) for p in path if p and header_key(p)]
    if not keys:
        return None
    leaves, groups = variants(keys[-1]), [variants(g) for g in keys[:-1]]
    for leaf in leaves:
        for group in reversed(groups):
            for rule in rules:
                if rule.group in group and rule.leaf == leaf:
                    return rule.role
        for rule in rules:
            if rule.group is None and rule.leaf == leaf:
                return rule.role
    return None


def _column_rules(columns: dict | None) -> tuple[ColumnRule, ...]:
    rules: list[ColumnRule] = []

    def add(alias: str, role: ColumnRole) -> None:
        group, _, leaf = alias.rpartition(">")
        rules.append(ColumnRule(header_key(group) or None, header_key(leaf), role))

    for role in ("code", "name"):
        for alias in (columns or {}).get(role) or []:
            add(alias, ColumnRole(role))
    for attribute, aliases in ((columns or {}).get("attributes") or {}).items():
        for alias in aliases:
            add(alias, ColumnRole("attribute", attribute=attribute))
    for measure, aliases in ((columns or {}).get("measures") or {}).items():
        for alias in aliases:
            add(alias, ColumnRole("measure", measure=measure))
    return tuple(rules)


def _table_spec(key: str, spec: dict) -> TableSpec:
    rules = _column_rules(spec.get("columns"))
    indicators = _column_rules({"attributes": spec.get("indicator_columns") or {}})
    words = {r.leaf for r in rules + indicators} | {r.group for r in rules + indicators if r.group}
    words |= {header_key(w) for w in spec.get("header_words") or []}
    items = {label_key(alias): item for item, aliases in (spec.get("items") or {}).items() for alias in aliases}
    known = {
        "extract",
        "kind",
        "single_measure",
        "titles",
        "title_patterns",
        "columns",
        "indicator_columns",
        "header_words",
        "items",
        "hierarchy",
        "subtotal_labels",
    }
    return TableSpec(
        key=key,
        extract=bool(spec.get("extract", False)),
        kind=spec.get("kind"),
        single_measure=spec.get("single_measure"),
        titles=frozenset(header_key(t) for t in spec.get("titles") or []),
        title_patterns=_compile(spec.get("title_patterns")),
        column_rules=rules,
        indicator_rules=indicators,
        header_words=frozenset(words),
        items=items,
        hierarchy=tuple(spec.get("hierarchy") or []),
        subtotal_labels=frozenset(label_key(t) for t in spec.get("subtotal_labels") or []),
        options={k: v for k, v in spec.items() if k not in known},
    )


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns or [])


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    templates = {
        key: TemplateSpec(
            key=key,
            region=spec.get("region"),
            region_patterns=_compile(spec.get("region_patterns")),
            markers=tuple(spec.get("markers") or []),
        )
        for key, spec in raw["templates"].items()
    }
    tables = {key: _table_spec(key, spec) for key, spec in raw["tables"].items()}
    headers = raw["headers"]
    header_roles: dict[str, str] = {}
    for role in ("code", "code_parts", "name", "unit_name"):
        for alias in headers.get(role) or []:
            header_roles[label_key(alias)] = "code_part" if role == "code_parts" else role
    measure_aliases = {
        label_key(alias): measure for measure, aliases in headers["measures"].items() for alias in aliases
    }
    measure_patterns = [
        (re.compile(p), measure) for measure, pats in (headers.get("measure_patterns") or {}).items() for p in pats
    ]

    document = raw.get("document") or {}

    def item_map(section: dict) -> dict[str, str]:
        return {label_key(alias): item for item, aliases in (section or {}).items() for alias in aliases}

    return Registry(
        raw=raw,
        templates=templates,
        tables=tables,
        min_template_score=int(raw.get("min_template_score", 3)),
        title_prefixes=_compile(raw.get("title_prefixes")),
        title_context_patterns=_compile(raw.get("title_context_patterns")),
        generic_title=re.compile(raw["generic_title_pattern"]),
        table_page_markers=_compile(raw.get("table_page_markers")),
        header_roles=header_roles,
        measure_aliases=measure_aliases,
        measure_patterns=measure_patterns,
        header_groups=frozenset(label_key(g) for g in headers.get("groups") or []),
        header_words=frozenset(label_key(g) for g in headers.get("words") or []),
        sections=[(label_key(s["group"]), s["section"]) for s in raw.get("sections") or []],
        items=item_map(raw.get("items")),
        function_items=item_map(raw.get("function_items")),
        unit_pattern=re.compile(document.get("unit_pattern", DEFAULT_UNIT_PATTERN)),
        header_unit_pattern=re.compile(document.get("header_unit_pattern", r"(?!)")),
        ignored_headers=frozenset(label_key(h) for h in headers.get("ignore") or []),
        document=document,
        header_prefixes=tuple(label_key(w) for w in headers.get("prefixes") or []),
        prior_year_headers=frozenset(label_key(w) for w in headers.get("prior_year") or []),
        section_items={label_key(k): v for k, v in (raw.get("section_items") or {}).items()},
        figure_kinds={label_key(w): kind for kind, words in (headers.get("figure_kinds") or {}).items() for w in words},
        header_suffixes=tuple(label_key(w) for w in headers.get("suffixes") or []),
        role_patterns=tuple(
            (re.compile(p), role) for role, pats in (headers.get("role_patterns") or {}).items() for p in pats
        ),
        title_keywords=_title_keyword_rules(raw.get("title_keywords"), tables),
        final_accounts_title=re.compile(raw.get("final_accounts_title_pattern") or r"(?!)"),
    )


def _title_keyword_rules(rules: list | None, tables: dict[str, TableSpec]) -> tuple[TitleKeywordRule, ...]:
    out = []
    for rule in rules or []:
        if rule["table"] not in tables:
            raise ValueError(f"registry title_keywords: unknown table type {rule['table']!r}")
        out.append(
            TitleKeywordRule(
                table=rule["table"],
                all_of=tuple(header_key(w) for w in rule.get("all") or []),
                any_of=tuple(header_key(w) for w in rule.get("any") or []),
                none_of=tuple(header_key(w) for w in rule.get("none") or []),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def get_registry() -> Registry:
    return load_registry()
