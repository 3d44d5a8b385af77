"""Bad inputs the tests make themselves: what failed downloads, scans and strays look like."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def _canvas(path: Path, **kwargs) -> canvas.Canvas:
    path.parent.mkdir(parents=True, exist_ok=True)
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), invariant=1, **kwargs)


def text_pdf(path: Path, lines: list[str], **kwargs) -> Path:
    pdf = _canvas(path, **kwargs)
    pdf.setFont(FONT, 12)
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 18 * i, line)
    pdf.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    return text_pdf(path, ["江苏省示例厅2019年度部门预算公开"], encrypt=StandardEncryption("secret", canPrint=0))


def scanned_pdf(path: Path) -> Path:
    """Only drawn shapes, no text layer: what an image-only scan looks like to a text extractor."""
    pdf = _canvas(path)
    for row in range(20):
        pdf.rect(72, 700 - 20 * row, 450, 18)
    pdf.save()
    return path


def not_a_budget_pdf(path: Path) -> Path:
    return text_pdf(path, ["关于召开年度工作会议的通知", "各处室：定于下周一上午九时召开会议，请准时参加。"])


def truncated_copy(source: Path, path: Path, keep: float = 0.4) -> Path:
    data = source.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: int(len(data) * keep)])
    return path
