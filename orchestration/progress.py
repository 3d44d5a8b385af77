"""Progress bars for long steps: drawn on a terminal, silent in a pipe, a log file or CI.

tqdm decides by itself (`disable=None`: only when stderr is a terminal), so `budget-etl run` in a
terminal shows documents extracted of the total and then the dbt build, and the same assets under
`dagster dev` or a test write nothing extra; their figures are in the run's log and metadata.
"""

from __future__ import annotations

from tqdm import tqdm


def progress_bar(total: int, description: str, unit: str) -> tqdm:
    return tqdm(total=total, desc=description, unit=unit, disable=None, leave=True, dynamic_ncols=True)
