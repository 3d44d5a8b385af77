"""The analysts' report: static HTML pages with Vega-Lite charts, built from the marts (see build.py)."""

from orchestration.report.build import Report, build_report

__all__ = ["Report", "build_report"]
