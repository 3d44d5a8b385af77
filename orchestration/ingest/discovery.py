"""Find the PDFs in the raw folder and name each distinct content once.

A document is its content: the same bytes under two names are one document (one partition),
listed with both paths. Partition keys are stable for the content (sha256 prefix) and readable
(file stem). The index file maps keys back to paths so an asset run for one partition never has
to re-hash the whole folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

PDF_SUFFIX = ".pdf"
INDEX_FILE = "raw_index.json"
_KEY_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff-]+")


@dataclass
class RawDocument:
    partition_key: str
    sha256: str
    paths: list[str]  # relative to the raw dir, sorted; the first is the document's source_file
    size: int
    mtime: float  # newest modification time among its paths

    @property
    def source_file(self) -> str:
        return self.paths[0]


def partition_key_for(sha256: str, relative_path: str) -> str:
    stem = unicodedata.normalize("NFKC", Path(relative_path).stem)
    readable = _KEY_UNSAFE.sub("_", stem).strip("_")[:40] or "document"
    return f"{readable}-{sha256[:10]}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_raw_dir(raw_dir: Path, state_dir: Path | None = None) -> list[RawDocument]:
    """All distinct PDFs under raw_dir (recursively), hashed once per (path, size, mtime)."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw dir does not exist: {raw_dir}")
    previous = read_json(state_dir / INDEX_FILE) if state_dir is not None else {}
    cache = previous.get("hashes", {})
    # a document keeps its key for as long as its content exists, even when a copy sorts before it
    known_keys = {entry["sha256"]: key for key, entry in previous.get("documents", {}).items()}
    by_sha: dict[str, RawDocument] = {}
    new_cache: dict[str, list] = {}
    for path in sorted(raw_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() != PDF_SUFFIX:
            continue
        rel = path.relative_to(raw_dir).as_posix()
        stat = path.stat()
        cached = cache.get(rel)
        if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime:
            sha = cached[2]
        else:
            sha = _sha256(path)
        new_cache[rel] = [stat.st_size, stat.st_mtime, sha]
        doc = by_sha.get(sha)
        if doc is None:
            by_sha[sha] = RawDocument("", sha, [rel], stat.st_size, stat.st_mtime)
        else:
            doc.paths.append(rel)
            doc.mtime = max(doc.mtime, stat.st_mtime)
    documents = sorted(by_sha.values(), key=lambda d: d.paths[0])
    for doc in documents:
        doc.paths.sort()
        doc.partition_key = known_keys.get(doc.sha256) or partition_key_for(doc.sha256, doc.paths[0])
    if state_dir is not None:
        _save_index(state_dir, documents, new_cache)
    return documents


def lookup(state_dir: Path, partition_key: str) -> RawDocument | None:
    index = read_json(state_dir / INDEX_FILE)
    entry = index.get("documents", {}).get(partition_key)
    return RawDocument(**entry) if entry else None


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _save_index(state_dir: Path, documents: list[RawDocument], hashes: dict[str, list]) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "documents": {d.partition_key: asdict(d) for d in documents},
        "hashes": hashes,
    }
    tmp = state_dir / f".{INDEX_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(state_dir / INDEX_FILE)  # atomic: a concurrent reader sees the old or the new index
