"""The project uses Dagster, dagster-dbt and dbt through their public APIs only, and no process tricks:
an upgrade within the pinned ranges must not break on something the libraries never promised."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

SOURCES = sorted((PROJECT_ROOT / "orchestration").rglob("*.py"))
PUBLIC_TOP_LEVEL = {"dagster", "dagster_dbt", "dagster_webserver", "dagster_pipes"}


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def private_uses(source: str) -> list[str]:
    """What in a module reaches past a library's public API, or tampers with the interpreter."""
    tree = ast.parse(source)
    found = []
    for module in imported_modules(tree):
        top, _, rest = module.partition(".")
        if top in PUBLIC_TOP_LEVEL and rest:
            found.append(f"import of {module} (only the package's top level is public)")
        if top == "dbt":
            found.append(f"import of {module} (dbt runs as the `dbt` command, through dagster-dbt)")
        if top == "gc":
            found.append("the garbage collector tuned")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in {"fork", "forkpty"}:
                found.append("os.fork")
            if node.value.id == "sys" and node.attr == "modules":
                found.append("sys.modules edited or read")
        if isinstance(node, ast.Constant) and node.value == "fork":
            found.append('the "fork" start method')
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_private_api_or_process_trick(path: Path):
    assert private_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from dagster._core.instance import InstanceType", "import of dagster._core.instance"),
        ("from dagster_dbt.asset_utils import get_subset_selection_for_context", "import of dagster_dbt.asset_utils"),
        ("import dbt.cli.main", "import of dbt.cli.main"),
        ("import gc\ngc.freeze()", "the garbage collector tuned"),
        ("import os\npid = os.fork()", "os.fork"),
        ('import sys\nsys.modules["dbt"] = None', "sys.modules edited or read"),
        ('import multiprocessing\nmultiprocessing.get_context("fork")', 'the "fork" start method'),
    ],
)
def test_the_scan_finds_each_kind_of_private_use(source: str, expected: str):
    assert any(use.startswith(expected) for use in private_uses(source))


def test_public_imports_pass_the_scan():
    assert private_uses("import dagster as dg\nfrom dagster_dbt import DbtCliResource, dbt_assets") == []
