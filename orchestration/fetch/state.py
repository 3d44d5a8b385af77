"""What the last polls learned per URL: validators for conditional GET and the content saved from it."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "fetch_state.json"  # in the warehouse's state folder, beside the raw-file index


@dataclass
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    saved_as: str | None = None  # relative to the raw folder


class FetchState:
    def __init__(self, path: Path, urls: dict[str, UrlState] | None = None):
        self.path = path
        self.urls = urls or {}

    @classmethod
    def load(cls, state_dir: Path) -> FetchState:
        path = state_dir / STATE_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            payload = {}
        return cls(path, {url: UrlState(**entry) for url, entry in payload.get("urls", {}).items()})

    def conditional_headers(self, url: str, raw_dir: Path) -> dict[str, str]:
        """If-None-Match / If-Modified-Since, only while the file saved from this URL is still in the raw folder."""
        known = self.urls.get(url)
        if known is None or not known.saved_as or not (raw_dir / known.saved_as).is_file():
            return {}
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def remember(self, url: str, **values) -> None:
        entry = self.urls.setdefault(url, UrlState())
        for key, value in values.items():
            setattr(entry, key, value)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"urls": {url: asdict(entry) for url, entry in sorted(self.urls.items())}}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)
