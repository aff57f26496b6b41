"""Independent checks on PDFs for the tests: poppler's command-line tools and PDFium."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace normalisation for comparing extracted text: Thai has no spaces between words, so a
    line break may fall where the source has none; drop all whitespace."""
    return _SPACE.sub("", text)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def _run(args: list[str], pdf: bytes, *after: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run([*args, f.name, *after], capture_output=True, check=False)
    return out.stdout.decode("utf-8", errors="replace")


def pdftotext(pdf: bytes, *extra: str) -> str:
    return _run([need("pdftotext"), *extra], pdf, "-")


def pdffonts(pdf: bytes) -> list[dict[str, str]]:
    """One dict per font: name, type, emb, sub, uni."""
    out = _run([need("pdffonts")], pdf)
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name type... encoding emb sub uni object-id gen
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdfsig(pdf: bytes) -> str:
    return _run([need("pdfsig")], pdf)


def pdfium_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\f".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


@dataclass(frozen=True)
class CharStyle:
    size: float
    rgb: tuple[int, int, int]


def char_style(pdf: bytes, needle: str, page: int = 0, nth: int = 0) -> CharStyle:
    """Font size (pt, as printed) and fill colour of the first character of the ``nth`` ``needle``
    (``-1``: the last), per PDFium."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        text = textpage.get_text_range()
        found = [m.start() for m in re.finditer(re.escape(needle), text)]
        index = found[nth] if found else text.index(needle)
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        pdfium_c.FPDFText_GetFillColor(textpage.raw, index, r, g, b, a)
        matrix = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)  # text and page matrices together
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.d)
        return CharStyle(size=size, rgb=(r.value, g.value, b.value))
    finally:
        doc.close()


def render_png(pdf: bytes, *, dpi: int = 50, page: int = 1) -> bytes:
    """Page ``page`` (1-based) as a PNG, rendered by poppler's ``pdftoppm``."""
    tool = need("pdftoppm")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run([tool, "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        str(src), str(Path(d) / "out")], check=True, capture_output=True)
        return (Path(d) / "out.png").read_bytes()
