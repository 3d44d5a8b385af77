"""Vega-Lite charts built with altair. Each returns a spec (a dict), or None when there is nothing to draw.

Every chart takes the rows it draws as records: {label fields…, "amount": float, "href": link to the
source page, "source": "file p. N"}. Null figures are left out before charting (never drawn as zero),
so a department with one year or with missing figures gets a smaller chart, never a broken one.
"""

from __future__ import annotations

import functools

import altair as alt
from altair.utils.schemapi import debug_mode

UNIT = "万元"
# Chinese labels: the first of these the reader's system has (Linux, Windows, macOS), then any sans-serif.
CJK_FONTS = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
)
YEAR_AXIS = "预算年度 (fiscal year)"
AMOUNT_AXIS = f"金额（{UNIT}）"


def _finish(chart: alt.Chart, title: str) -> dict:
    return (
        chart.properties(title=title, width="container")
        .configure(font=CJK_FONTS)
        .configure_title(fontSize=15, anchor="start")
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=320)
        # schema validation was most of the report's build time; tests validate every spec instead
        .to_dict(validate=False)
    )


def _unvalidated(build):
    """Build a chart with altair's debug mode off: in debug mode every schema object (the inline data with
    all its records among them) is validated as it is created, most of the report's build time. The specs
    are validated whole by the tests instead (tests/e2e/test_report.py)."""

    @functools.wraps(build)
    def without_validation(*args, **kwargs):
        with debug_mode(False):
            return build(*args, **kwargs)

    return without_validation


def _drawable(records: list[dict]) -> list[dict]:
    return [r for r in records if r.get("amount") is not None]


def _tooltip(*fields: alt.Tooltip) -> list[alt.Tooltip]:
    return [*fields, alt.Tooltip("amount:Q", title=AMOUNT_AXIS, format=",.2f"), alt.Tooltip("source:N", title="来源")]


@_unvalidated
def grouped_bars_by_year(records: list[dict], series: str, series_title: str, title: str) -> dict | None:
    """Bars per fiscal year, one per series value (total/basic/project, “三公” items, departments)."""
    records = _drawable(records)
    if not records:
        return None
    order = list(dict.fromkeys(r[series] for r in records))
    chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=YEAR_AXIS, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{series}:N", sort=order),
            y=alt.Y("amount:Q", title=AMOUNT_AXIS, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{series}:N", title=series_title, sort=order),
            href=alt.Href("href:N"),
            tooltip=_tooltip(alt.Tooltip("year:O", title="年度"), alt.Tooltip(f"{series}:N", title=series_title)),
        )
        .properties(height=300)
    )
    return _finish(chart, title)


@_unvalidated
def function_class_bars(records: list[dict], title: str) -> dict | None:
    """Horizontal bars per 类 (code and name), one bar per fiscal year."""
    records = _drawable(records)
    if not records:
        return None
    classes = sorted({r["function"] for r in records})
    years = sorted({r["year"] for r in records})
    chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            y=alt.Y("function:N", title="功能分类（类）", sort=classes, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("year:N", sort=years),
            x=alt.X("amount:Q", title=AMOUNT_AXIS, axis=alt.Axis(format=",.0f")),
            color=alt.Color("year:N", title=YEAR_AXIS, sort=years),
            href=alt.Href("href:N"),
            tooltip=_tooltip(alt.Tooltip("function:N", title="类"), alt.Tooltip("year:N", title="年度")),
        )
        .properties(height=alt.Step(max(8, 22 // len(years))))
    )
    return _finish(chart, title)


@_unvalidated
def departments_on_functions(records: list[dict], title: str) -> dict | None:
    """Stacked horizontal bars: per 类, each department's amount; the tooltip gives its share and rank."""
    records = _drawable(records)
    if not records:
        return None
    classes = sorted({r["function"] for r in records})
    chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            y=alt.Y("function:N", title="功能分类（类）", sort=classes, axis=alt.Axis(labelLimit=260)),
            x=alt.X("amount:Q", title=AMOUNT_AXIS, axis=alt.Axis(format=",.0f")),
            color=alt.Color("department:N", title="部门"),
            order=alt.Order("rank:Q"),
            href=alt.Href("href:N"),
            tooltip=_tooltip(
                alt.Tooltip("function:N", title="类"),
                alt.Tooltip("department:N", title="部门"),
                alt.Tooltip("share:Q", title="占该科目各部门合计", format=".1%"),
                alt.Tooltip("rank:Q", title="排名"),
            ),
        )
        .properties(height=alt.Step(24))
    )
    return _finish(chart, title)


@_unvalidated
def count_bars(records: list[dict], category: str, category_title: str, count_title: str, title: str) -> dict | None:
    """Bars of a count per category (documents by status)."""
    if not records:
        return None
    chart = (
        alt.Chart(alt.InlineData(values=records))
        .mark_bar()
        .encode(
            x=alt.X(f"{category}:N", title=category_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(f"{category}:N", legend=None),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip("count:Q", title=count_title)],
        )
        .properties(height=220)
    )
    return _finish(chart, title)
