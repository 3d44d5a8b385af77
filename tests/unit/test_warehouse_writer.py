"""One writer per warehouse file, whatever Dagster instance a run uses."""

from __future__ import annotations

import subprocess
import sys
import time

from orchestration.warehouse.connect import exclusive_writer

HOLD_SECONDS = 1.0


def test_a_second_writer_waits_until_the_first_lets_go(tmp_path):
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    holder = (
        "import sys, time; from pathlib import Path; from orchestration.warehouse.connect import exclusive_writer\n"
        f"with exclusive_writer(Path({str(warehouse)!r})):\n"
        "    print('holding', flush=True); time.sleep(float(sys.argv[1]))\n"
    )
    first = subprocess.Popen([sys.executable, "-c", holder, str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "holding"
        asked = time.monotonic()
        with exclusive_writer(warehouse):
            waited = time.monotonic() - asked  # until the other process left its block
    finally:
        first.wait()
    assert waited >= HOLD_SECONDS / 2
    with exclusive_writer(warehouse):  # released: taken again at once
        pass
