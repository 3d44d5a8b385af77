"""Names of saved files: the source's name and the URL made safe, never a name or path the server sent."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

FETCHED_DIR = "fetched"  # raw/fetched/<source>/<name>
MAX_STEM_CHARS = 100
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff.-]+")
_REPEATED = re.compile(r"[_.]*_[_.]*")  # runs of separators (what `/`, `..` and `?` became) -> one `_`


def saved_path(source_name: str, url: str, sha256: str) -> PurePosixPath:
    """`fetched/<source>/<host_path_query>-<sha256 prefix>.pdf`, relative to the raw folder.

    The content hash in the name makes a changed PDF at the same URL a new file (a revision) and keeps
    any existing file from being overwritten.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.lower().endswith(".pdf"):
        path = path[: -len(".pdf")]
    text = unicodedata.normalize("NFKC", f"{parts.hostname or ''}{path}_{unquote(parts.query)}")
    stem = _UNSAFE.sub("_", text.replace("..", "_"))
    stem = _REPEATED.sub("_", stem).strip("._-")[:MAX_STEM_CHARS].strip("._-") or "document"
    return PurePosixPath(FETCHED_DIR, source_name, f"{stem}-{sha256[:12]}.pdf")
