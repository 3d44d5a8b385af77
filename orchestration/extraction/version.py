"""A fingerprint of the extraction code and registry: cached results of another version are stale."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def extractor_version() -> str:
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.glob("*.py"), *PACKAGE_DIR.glob("*.yaml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
