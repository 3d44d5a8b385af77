"""The code stays within the project's lint rules (pyproject [tool.ruff]); CI runs this like any test."""

import subprocess
import sys
from pathlib import Path

from orchestration.settings import PROJECT_ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "orchestration", "tests", "benchmarks"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
