"""Say what a file is before asking a PDF parser: the usual bad downloads get a plain-words reason."""

from __future__ import annotations

from pathlib import Path

from orchestration.extraction.model import StructuralError

PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024
_MARKUP = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")


def check_signature(path: Path) -> None:
    """Raise StructuralError unless the file starts like a PDF (within its first kilobyte, as readers allow)."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise StructuralError("the file is empty (0 bytes): probably a failed download")
    if PDF_MAGIC in head:
        return
    text = head.lstrip().lower()
    if any(text.startswith(marker) for marker in _MARKUP):
        raise StructuralError(
            "the file is an HTML/XML page saved as .pdf (probably a failed download or an error page)"
        )
    raise StructuralError("the file is not a PDF (no %PDF- header)")
