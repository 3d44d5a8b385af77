"""A fingerprint of the extraction code, its registry and the landing layout: documents landed by another
version are stale and extracted again (so a change of layout never leaves files dbt no longer reads)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LANDING_LAYOUT = PACKAGE_DIR.parent / "warehouse" / "landing.py"


@lru_cache(maxsize=1)
def extractor_version() -> str:
    digest = hashlib.sha256()
    for path in [*sorted([*PACKAGE_DIR.glob("*.py"), *PACKAGE_DIR.glob("*.yaml")]), LANDING_LAYOUT]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
