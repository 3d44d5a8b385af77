"""Write the report: `index.html` (overview), one page per department, comparison and data quality.

Every number on a page is a value a mart query returned, printed exactly (no rounding beyond what the
warehouse stores), with its unit, and linked to the PDF page it was read from. The pages load the
Vega-Lite runtime from `assets/`, written from the vl-convert package: nothing is fetched from the
network, so the folder opens from disk and can be copied anywhere (the source links point into the
raw folder, relative to the report).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import jinja2

from orchestration.report import charts, queries
from orchestration.report.queries import Source, Warehouse
from orchestration.report.vega import vega_bundle
from orchestration.warehouse.connect import connect_read_only

ASSETS_DIR = "assets"
TEMPLATES = Path(__file__).with_name("templates")
NOT_PRINTED = "—"


@dataclass
class Report:
    out_dir: Path
    pages: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"


def build_report(warehouse: Path, out_dir: Path, raw_dir: Path) -> Report:
    """Query the warehouse (read-only) and write every page into `out_dir`; returns the pages written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    links = SourceLinks(out_dir, raw_dir)
    report = Report(out_dir)
    with vega_bundle(out_dir / ASSETS_DIR) as script, connect_read_only(warehouse) as con:
        env = template_environment(links, f"{ASSETS_DIR}/{script.name}")
        wh = Warehouse(con)
        summary = queries.budget_summary(wh)
        departments = queries.departments(wh)
        quality = data_quality(wh)
        report.pages.append(_write(env, "index.html", out_dir / "index.html", overview(wh, summary, departments)))
        figures = DepartmentFigures.read(wh, summary)
        for department in departments:
            page = out_dir / department_page(department["department_id"])
            context = department_context(department, figures, links, quality)
            report.pages.append(_write(env, "department.html", page, context))
        report.pages.append(_write(env, "comparison.html", out_dir / "comparison.html", comparison(wh, links)))
        report.pages.append(_write(env, "quality.html", out_dir / "quality.html", quality))
    _remove_stale_pages(out_dir, report.pages)
    return report


def department_page(department_id: str) -> str:
    return f"department-{department_id}.html"


# -- page contexts -----------------------------------------------------------------------------


def overview(wh: Warehouse, summary: list[dict], departments: list[dict]) -> dict:
    years = sorted({row["fiscal_year"] for row in summary})
    by_key = {(row["department_id"], row["fiscal_year"]): row for row in summary}
    coverage = queries.coverage(wh)
    grid = []
    for department in departments:
        cells = [by_key.get((department["department_id"], year)) for year in years]
        grid.append({"department": department, "cells": cells})
    chart_rows = [
        {
            "year": str(r["fiscal_year"]),
            "department": r["department_name"],
            "amount": _float(r["total_expenditure"]),
            "href": department_page(r["department_id"]),  # a bar opens the department's page
            "source": _source_text(r["source"]),
        }
        for r in summary
    ]
    return {
        "title": "部门预算概览 Overview",
        "years": years,
        "grid": grid,
        "coverage": [
            {
                "department_name": r["department_name"],
                "fiscal_year": r["fiscal_year"],
                "read_printed": coverage.get((r["department_id"], r["fiscal_year"], r["disclosure_level"]), (0, 0)),
                "quality_status": r["quality_status"],
            }
            for r in summary
        ],
        "flagged": queries.flagged_documents(wh),
        "charts": {
            "chart-totals": charts.grouped_bars_by_year(
                chart_rows, "department", "部门", f"各部门支出总计（{charts.UNIT}）"
            )
        },
        "summary": summary,
    }


@dataclass
class DepartmentFigures:
    """What the department pages show, per department_id, read with one query per table."""

    summary: dict[str, list[dict]]
    classes: dict[str, list[dict]]
    three_public: dict[str, list[dict]]
    budget_vs_actual: dict[str, list[dict]] | None  # None while the mart does not exist

    @classmethod
    def read(cls, wh: Warehouse, summary: list[dict]) -> DepartmentFigures:
        return cls(
            queries.by_department(summary),
            queries.function_classes(wh),
            queries.three_public(wh),
            queries.budget_vs_actual(wh),
        )


def department_context(department: dict, figures: DepartmentFigures, links: SourceLinks, quality: dict) -> dict:
    """The department's page; `quality` is the data-quality page's context, whose rows it filters."""
    department_id = department["department_id"]
    summary = figures.summary.get(department_id, [])
    classes = figures.classes.get(department_id, [])
    three = figures.three_public.get(department_id, [])
    # a column per measure printed in some year; a department of no figures at all still shows where they would be
    measures = [(c, label) for c, label in queries.SUMMARY_MEASURES if any(r[c] is not None for r in summary)]
    measures = measures or queries.SUMMARY_MEASURES[:3]
    three_items = [(c, label) for c, label in queries.THREE_PUBLIC_ITEMS if any(r[c] is not None for r in three)]
    summary_chart = [
        {
            "year": str(r["fiscal_year"]),
            "measure": label,
            "amount": _float(r[column]),
            "href": links.href(r["source"]),
            "source": _source_text(r["source"]),
        }
        for r in summary
        for column, label in measures
        if column != "reserve_expenditure"
    ]
    # a code keeps its place when its name changes between editions: labelled with its latest name
    class_names = {r["function_code"]: r["function_name"] for r in classes}
    class_chart = [
        {
            "year": str(r["fiscal_year"]),
            "function": f"{r['function_code']} {class_names[r['function_code']]}",
            "amount": _float(r["amount_total"]),
            "href": links.href(_source(r)),
            "source": _source_text(_source(r)),
        }
        for r in classes
    ]
    three_chart = [
        {
            "year": str(r["fiscal_year"]),
            "item": label,
            "amount": _float(r[column]),
            "href": links.href(_source(r)),
            "source": _source_text(_source(r)),
        }
        for r in three
        for column, label in three_items
        if column in ("total", "outbound_travel", "official_reception", "vehicle_total", "meeting", "training")
    ]
    class_years = sorted({r["fiscal_year"] for r in classes})
    class_grid = {(r["function_code"], r["fiscal_year"]): r for r in classes}
    name = department["department_name"]
    vs_actual = None if figures.budget_vs_actual is None else figures.budget_vs_actual.get(department_id, [])
    files = {d["source_file"] for d in quality["documents"] if d["department_name"] == name}
    return {
        "title": name,
        "department": department,
        "summary": summary,
        "measures": measures,
        "class_years": class_years,
        "class_codes": [
            {"code": code, "name": class_names[code], "cells": [class_grid.get((code, y)) for y in class_years]}
            for code in sorted(class_names)
        ],
        "three": three,
        "three_items": three_items,
        "budget_vs_actual": vs_actual,
        "budget_vs_actual_mart": f"marts.{queries.BUDGET_VS_ACTUAL_MART}",
        "documents": [d for d in quality["documents"] if d["source_file"] in files],
        "failed_checks": [c for c in quality["failed_checks"] if c["source_file"] in files],
        "reconciliation_failures": [f for f in quality["reconciliation_failures"] if f["source_file"] in files],
        "tables_not_read": [t for t in quality["tables_not_read"] if t["department_id"] == department_id],
        "charts": {
            "chart-summary": charts.grouped_bars_by_year(
                summary_chart, "measure", "口径", f"{name}：支出总计、基本支出与项目支出（{charts.UNIT}）"
            ),
            "chart-classes": charts.function_class_bars(
                class_chart, f"{name}：一般公共预算支出按功能分类（类）（{charts.UNIT}）"
            ),
            "chart-three": charts.grouped_bars_by_year(
                three_chart, "item", "项目", f"{name}：“三公”经费（{charts.UNIT}）"
            ),
        },
    }


def comparison(wh: Warehouse, links: SourceLinks) -> dict:
    rows = queries.cross_department(wh)
    years = sorted({r["fiscal_year"] for r in rows})
    sections = []
    for year in years:
        in_year = [r for r in rows if r["fiscal_year"] == year]
        records = [
            {
                "function": f"{r['function_code']} {r['function_name']}",
                "department": r["department_name"],
                "amount": _float(r["amount"]),
                "share": _float(r["share_of_function_total"]),
                "rank": r["rank_in_function"],
                "href": links.href(r["source"]),
                "source": _source_text(r["source"]),
            }
            for r in in_year
            if r["function_level"] == 1
        ]
        sections.append(
            {
                "year": year,
                "rows": in_year,
                "chart_id": f"chart-comparison-{year}",
            }
        )
        sections[-1]["chart"] = charts.departments_on_functions(
            records, f"{year}年 各部门一般公共预算支出（按功能分类·类）（{charts.UNIT}）"
        )
    return {
        "title": "部门比较 Comparison",
        "sections": sections,
        "charts": {s["chart_id"]: s["chart"] for s in sections},
    }


def data_quality(wh: Warehouse) -> dict:
    by_status = queries.documents_by_status(wh)
    return {
        "title": "数据质量 Data quality",
        "by_status": by_status,
        "documents": queries.documents(wh),
        "failed_checks": queries.failed_checks(wh),
        "reconciliation_failures": queries.reconciliation_failures(wh),
        "tables_not_read": queries.tables_not_read(wh),
        "charts": {
            "chart-status": charts.count_bars(
                [{"status": r["status"], "count": r["documents"]} for r in by_status],
                "status",
                "状态 status",
                "文件数 documents",
                "文件状态 Documents by status",
            )
        },
    }


# -- rendering ---------------------------------------------------------------------------------


class SourceLinks:
    """Links from a page of the report to a page of a source PDF in the raw folder (relative, so both can move)."""

    def __init__(self, out_dir: Path, raw_dir: Path):
        self.base = Path(os.path.relpath(raw_dir, out_dir))

    def href(self, source: Source) -> str:
        if not source.file:
            return ""
        link = quote((self.base / source.file).as_posix())
        return f"{link}#page={source.page}" if source.page else link


def format_amount(value) -> str:
    """Exactly as stored, with thousands separators and at least two decimals: 3742.02 → 3,742.02."""
    if value is None:
        return NOT_PRINTED
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if value == value.quantize(Decimal("0.01")):
        return f"{value:,.2f}"
    return f"{value.normalize():,f}"


def format_share(value) -> str:
    return NOT_PRINTED if value is None else f"{Decimal(str(value)) * 100:.2f} %"


def template_environment(links: SourceLinks, vega_script: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = format_amount
    env.filters["share"] = format_share
    env.globals.update(
        unit=charts.UNIT,
        vega_script=vega_script,
        href=links.href,
        source_of=_source,
        source_text=_source_text,
        department_page=department_page,
        is_number=queries.is_number,
        not_printed=NOT_PRINTED,
        fonts=charts.CJK_FONTS,
    )
    env.filters["specs_json"] = _specs_json
    return env


def _specs_json(specs: dict) -> str:
    drawable = {key: spec for key, spec in specs.items() if spec is not None}
    # inside <script>: "</" would end the element early
    return jinja2.utils.markupsafe.Markup(json.dumps(drawable, ensure_ascii=False).replace("</", "<\\/"))


def _write(env: jinja2.Environment, template: str, path: Path, context: dict) -> Path:
    html = env.get_template(template).render(**context)
    # two runs may write the report at once (the report is not in the warehouse writers' pool): each its own tmp file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a page
    return path


def _remove_stale_pages(out_dir: Path, pages: list[Path]) -> None:
    """Pages of departments no longer in the warehouse go: the report shows what the warehouse holds."""
    for page in out_dir.glob("department-*.html"):
        if page not in pages:
            page.unlink(missing_ok=True)


def _source(row: dict) -> Source:
    return Source(row.get("source_file"), row.get("source_page"))


def _source_text(source: Source) -> str:
    if not source.file:
        return "来源未知"
    name = source.file.rsplit("/", 1)[-1]
    return f"{name} 第{source.page}页" if source.page else name


def _float(value) -> float | None:
    return None if value is None else float(value)
