"""The registry (registry.yaml) loaded into lookups: titles -> table types, headers -> roles, labels -> items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from orchestration.extraction.numbers import label_key

REGISTRY_PATH = Path(__file__).with_name("registry.yaml")


@dataclass(frozen=True)
class TableSpec:
    key: str
    extract: bool
    kind: str | None
    single_measure: str | None
    titles: frozenset[str]  # normalized keys
    title_patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    region: str | None
    region_patterns: tuple[re.Pattern, ...]
    markers: tuple[str, ...]


@dataclass(frozen=True)
class ColumnRole:
    role: str  # "code" | "code_part" | "name" | "unit_name" | "measure" | "ignore"
    measure: str | None = None
    section: str | None = None


@dataclass
class Registry:
    raw: dict
    templates: dict[str, TemplateSpec]
    tables: dict[str, TableSpec]
    min_template_score: int
    title_prefixes: tuple[re.Pattern, ...]
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
    document: dict = field(default_factory=dict)

    # ---- titles ----
    def title_key(self, text: str) -> str:
        key = label_key(text) if text else ""
        raw = re.sub(r"\s+", "", text or "")
        # strip table numbers / ordinals from the raw text first (label_key already drops one ordinal)
        for pattern in self.title_prefixes:
            stripped = pattern.sub("", raw, count=1)
            if stripped != raw:
                key = label_key(stripped)
                break
        return key.strip(":：")

    def match_title(self, text: str) -> str | None:
        """Registry key of the table whose title `text` is, or None. Exact on the normalized key."""
        key = self.title_key(text)
        if not key:
            return None
        for spec in self.tables.values():
            if key in spec.titles:
                return spec.key
        for spec in self.tables.values():
            if any(p.search(key) for p in spec.title_patterns):
                return spec.key
        return None

    def looks_like_title(self, text: str) -> bool:
        """A known title, or a line shaped like a table title ("…表"); it ends the previous table."""
        if self.match_title(text):
            return True
        key = self.title_key(text)
        return bool(key) and bool(self.generic_title.match(key))

    # ---- headers ----
    def is_header_text(self, text: str) -> bool:
        key = label_key(text)
        if not key:
            return False
        return (
            key in self.header_roles
            or key in self.measure_aliases
            or key in self.header_groups
            or key in self.header_words
            or any(p.match(key) for p, _ in self.measure_patterns)
        )

    def column_role(self, path: list[str], table: TableSpec) -> ColumnRole:
        """Role of a column from its header path (group headers first, leaf last)."""
        keys = [label_key(p) for p in path if p and label_key(p)]
        if not keys:
            return ColumnRole("ignore")
        leaf, groups = keys[-1], keys[:-1]
        section = None
        if table.kind == "two_sided":
            for group, sec in self.sections:
                if any(group in g for g in keys):
                    section = sec
                    break
        if any(g not in self.header_groups for g in groups):
            return ColumnRole("ignore", section=section)
        role = self.header_roles.get(leaf)
        if role:
            return ColumnRole(role, section=section)
        measure = self.measure_aliases.get(leaf)
        if measure is None:
            measure = next((m for p, m in self.measure_patterns if p.match(leaf)), None)
        if measure is not None:
            return ColumnRole("measure", measure=table.single_measure or measure, section=section)
        return ColumnRole("ignore", section=section)

    # ---- lines ----
    def item_for(self, label: str, table: TableSpec) -> str | None:
        key = label_key(label)
        if table.kind == "function":
            return self.function_items.get(key)
        return self.items.get(key)


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns or [])


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    templates = {
        key: TemplateSpec(
            key=key,
            region=spec.get("region"),
            region_patterns=_compile(spec.get("region_patterns")),
            markers=tuple(spec.get("markers") or []),
        )
        for key, spec in raw["templates"].items()
    }
    tables = {
        key: TableSpec(
            key=key,
            extract=bool(spec.get("extract", False)),
            kind=spec.get("kind"),
            single_measure=spec.get("single_measure"),
            titles=frozenset(label_key(t) for t in spec.get("titles") or []),
            title_patterns=_compile(spec.get("title_patterns")),
        )
        for key, spec in raw["tables"].items()
    }
    headers = raw["headers"]
    header_roles: dict[str, str] = {}
    for role in ("code", "code_parts", "name", "unit_name"):
        for alias in headers.get(role) or []:
            header_roles[label_key(alias)] = "code_part" if role == "code_parts" else role
    measure_aliases = {
        label_key(alias): measure for measure, aliases in headers["measures"].items() for alias in aliases
    }
    measure_patterns = [
        (re.compile(p), measure)
        for measure, pats in (headers.get("measure_patterns") or {}).items()
        for p in pats
    ]

    def item_map(section: dict) -> dict[str, str]:
        return {label_key(alias): item for item, aliases in (section or {}).items() for alias in aliases}

    return Registry(
        raw=raw,
        templates=templates,
        tables=tables,
        min_template_score=int(raw.get("min_template_score", 3)),
        title_prefixes=_compile(raw.get("title_prefixes")),
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
        document=raw.get("document") or {},
    )


@lru_cache(maxsize=1)
def get_registry() -> Registry:
    return load_registry()
