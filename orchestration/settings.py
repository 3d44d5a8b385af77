"""Where things live. Read from the environment when asked, never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def dbt_project_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file dbt reads from the project: a change to any of them changes the manifest and the marts."""
    folders = ("models", "macros", "seeds", "tests")
    files = [p for folder in folders for p in (project_dir / folder).rglob("*") if p.is_file()]
    return sorted([*files, project_dir / "dbt_project.yml", project_dir / "profiles.yml"])


@dataclass(frozen=True)
class Paths:
    raw_dir: Path
    warehouse: Path

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def files_dir(self) -> Path:
        """Everything this warehouse keeps besides its DuckDB file, in a folder of its own named after it:
        two warehouses in one folder (`a.duckdb`, `b.duckdb`) never see each other's documents."""
        return self.warehouse_dir / self.warehouse.stem

    @property
    def landing_dir(self) -> Path:
        """One Parquet file per document and table type; dbt reads them as sources."""
        return self.files_dir / "landing"

    @property
    def analysts_warehouse(self) -> Path:
        """A copy of the warehouse swapped in after each successful build: analysts query it while runs write."""
        return self.warehouse.with_name(f"{self.warehouse.stem}_analysts{self.warehouse.suffix}")

    @property
    def report_dir(self) -> Path:
        """The analysts' HTML report, rebuilt after each build (`index.html` and its pages)."""
        return self.files_dir / "report"

    @property
    def state_dir(self) -> Path:
        """Small bookkeeping files (the raw-file index, the last build's inputs)."""
        return self.files_dir / "state"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for this warehouse's builds: compiled SQL, run results and dbt.log."""
        return self.files_dir / "dbt"

    def export_env(self) -> None:
        """dbt (profiles.yml, sources) reads these; always absolute so the working directory never matters."""
        os.environ["BUDGET_RAW_DIR"] = str(self.raw_dir)
        os.environ["BUDGET_WAREHOUSE"] = str(self.warehouse)
        os.environ["BUDGET_LANDING_DIR"] = str(self.landing_dir)


def paths_from_env(raw_dir: str | Path | None = None, warehouse: str | Path | None = None) -> Paths:
    raw = Path(raw_dir or os.environ.get("BUDGET_RAW_DIR") or PROJECT_ROOT / "raw")
    wh = Path(warehouse or os.environ.get("BUDGET_WAREHOUSE") or PROJECT_ROOT / "warehouse" / "budget.duckdb")
    return Paths(raw_dir=raw.resolve(), warehouse=wh.resolve())


def corpus_dir() -> Path:
    """The shared real-disclosure corpus used by tests and benchmarks (never copied into the repo)."""
    return Path(os.environ.get("BUDGET_CORPUS_DIR") or PROJECT_ROOT.parent / "shared" / "corpus").resolve()
