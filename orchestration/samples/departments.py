"""Many fictional departments for `python -m orchestration.samples --departments N`: the Jiangsu sample template
(deterministic per seed), or a template variant per department-year (`variants`)."""

from __future__ import annotations

import random
from pathlib import Path

from orchestration.samples.data import _A_ITEMS, _B_ITEMS, YEARS, DepartmentSpec, build_sample_budgets
from orchestration.samples.generator import write_samples
from orchestration.samples.layout import cn_ordinal
from orchestration.samples.variant_model import BODIES
from orchestration.samples.variants import write_variant

VARIANTS_DIR = "variants"


def department_names(n: int, seed: int, place: str = "江苏省") -> list[str]:
    """n distinct made-up names under `place`: the bodies of the variant model, then numbered ones (第二…)."""
    rng = random.Random(seed)
    bodies = list(BODIES)
    rng.shuffle(bodies)
    names = []
    for k in range(n):
        body, ending = bodies[k % len(bodies)]
        round_ = k // len(bodies)
        names.append(f"{place}{'第' + cn_ordinal(round_ + 1) if round_ else ''}{body}{ending}")
    return names


def fictional_departments(n: int, seed: int = 0) -> list[DepartmentSpec]:
    specs = []
    for k, name in enumerate(department_names(n, seed)):
        items = _A_ITEMS if k % 2 == 0 else _B_ITEMS
        specs.append(
            DepartmentSpec(
                name,
                "本单位",
                seed * 100_000 + k,
                split_files=k % 3 == 2,
                items=items,
                functions="负责示例业务的管理与服务，承担相关数据的归集、整理与发布工作。",
                units=f"{name}本级",
            )
        )
    return specs


def write_departments(out_dir: str | Path, n: int, seed: int = 0, variants: bool = False) -> list[Path]:
    """n fictional departments over the generator's years (YEARS): Jiangsu-template PDFs under out/jiangsu/, or
    one template variant per department-year under out/variants/<department>/ with its truth beside it (a 部门预算:
    the benchmark at scale is of budgets, one per department-year)."""
    if not variants:
        return write_samples(out_dir, build_sample_budgets(fictional_departments(n, seed)))
    written = []
    for k, name in enumerate(department_names(n, seed)):
        for year in YEARS:
            variant_seed = seed * 100_000 + k * len(YEARS) + YEARS.index(year)
            folder = Path(out_dir) / VARIANTS_DIR / name
            written.append(write_variant(folder, variant_seed, name, year, document_kind="budget"))
    return written
