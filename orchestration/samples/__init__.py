"""Fictional sample budget disclosures (Jiangsu provincial template; `shenzhen`: the Shenzhen district
template) for tests and demos.

``python -m orchestration.samples --out raw/samples`` writes them; see ``generator``.
"""

from orchestration.samples.generator import build_sample_budgets, write_samples

__all__ = ["build_sample_budgets", "write_samples"]
