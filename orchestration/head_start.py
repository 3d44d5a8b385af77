"""What a CLI run starts before it imports Dagster: children that take work off the run process's path.

A CLI run spends its first seconds importing Dagster and loading the code location on one core. Before
that, and without Dagster or dbt, it can tell what the run will do (the raw folder, the landing folder,
the last build's fingerprint) and fork:

- dbt's warm child (defs/dbt_fork.py), when the run will build and fewer documents are pending than
  there are cores (one new PDF, or only the dbt project changed): it imports dbt, loads the saved parse
  and warms up on a core the run would leave idle, then runs the build the dbt asset hands it. With as
  many documents as cores, the extraction workers take every core, and a child warming up beside them
  lengthened the extraction stage by ≈ 0.5 s of 3.4 s (benchmark, 3 repetitions): dbt's child is forked
  when the build starts instead (defs/dbt_fork.py, `ForkedDbtProcess.fork`).
- the early extraction child (ingest/early.py), when exactly one document is pending: it reads the
  document then, and lands it when the extraction asset asks.

Both are optimisations: whatever prevents one (an unreadable landing file, say) is left for the run to
meet and report, and without them the assets do the same work themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from orchestration.defs.dbt_fork import warm_dbt_child
from orchestration.defs.dbt_parse_state import SAVED_PARSE, ensure_manifest
from orchestration.ingest.discovery import RawDocument
from orchestration.ingest.early import early_extraction
from orchestration.settings import DBT_PROJECT_DIR, Paths


@dataclass(frozen=True)
class RunOutlook:
    pending: list[RawDocument] | None  # None: the folders could not be read here; the run will say why
    builds: bool

    def core_to_spare(self) -> bool:
        """Fewer documents to extract than cores: a core would idle until the build."""
        return self.pending is not None and len(self.pending) < (os.cpu_count() or 1)

    def lone_pending(self) -> RawDocument | None:
        """The one document a run will extract, when there is exactly one and a core to spare for it."""
        if self.pending is None or len(self.pending) != 1 or not self.core_to_spare():
            return None
        return self.pending[0]


def run_outlook(paths: Paths) -> RunOutlook:
    """What `runner.run_pipeline` will find: the documents not landed yet, and whether it will build."""
    from orchestration.ingest.discovery import scan_raw_dir
    from orchestration.ingest.landed import already_landed
    from orchestration.warehouse.freshness import is_up_to_date

    try:
        documents = scan_raw_dir(paths.raw_dir, paths.state_dir)
        current = {doc.partition_key for doc in already_landed(paths.landing_dir, documents)}
        pending = [doc for doc in documents if doc.partition_key not in current]
        builds = bool(pending) or not is_up_to_date(paths, [doc.partition_key for doc in documents])
    except Exception:  # noqa: BLE001
        return RunOutlook(pending=None, builds=True)
    return RunOutlook(pending=pending, builds=builds)


@contextmanager
def head_start(paths: Paths) -> Iterator[RunOutlook]:
    """Within the block, the run finds the children forked now; they exit with the block if it never used them.

    The extraction child is forked first: dbt's child, forked after it, holds a copy of its command pipe
    (ingest/early.py's messages carry their length for that reason), not the other way round.
    """
    outlook = run_outlook(paths)
    with ExitStack() as children:
        children.enter_context(early_extraction(paths.raw_dir, outlook.lone_pending()))
        if outlook.builds and outlook.core_to_spare():
            ensure_manifest()  # the child loads the saved parse: made current first (a `dbt parse` process if stale)
            saved_parse = DBT_PROJECT_DIR / "target" / SAVED_PARSE
            children.enter_context(warm_dbt_child(DBT_PROJECT_DIR, DBT_PROJECT_DIR, saved_parse))
        yield outlook
