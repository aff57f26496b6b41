"""PNG images of PDF pages (pypdfium2), so a letter reads the same on a desk and on a phone.

Every image is bounded by pixels, whatever the page's size or the width asked for: a page declared
200 inches wide, or ``?w=100000``, still gives at most :data:`MAX_PIXELS` pixels and :data:`MAX_SIDE`
on its longer side (one hostile page once took 12 s and 1.5 GB to draw when only the scale was capped).
"""

from __future__ import annotations

import io
import math

import pypdfium2 as pdfium

MIN_WIDTH = 100
MAX_WIDTH = 2000
"""Widths a caller may ask for (pixels); anything outside is clamped."""
MAX_SIDE = 4000
"""The longest side of any image (pixels)."""
MAX_PIXELS = 4_000_000
"""The most pixels in one image: an A4 page 1,680 pixels wide (about 4 bytes a pixel while drawing)."""


def clamp_width(value: object, default: int = 900) -> int:
    """A requested width (``?w=`` from a URL, say) as a sane number of pixels; junk gives ``default``."""
    try:
        width = int(str(value))
    except (TypeError, ValueError):
        width = default
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


def bounded_scale(page_width: float, page_height: float, width: int) -> float:
    """The scale that draws a ``page_width`` × ``page_height`` point page ``width`` pixels wide, reduced
    as far as needed to stay within :data:`MAX_SIDE` and :data:`MAX_PIXELS`."""
    pw, ph = max(page_width, 1.0), max(page_height, 1.0)
    scale = clamp_width(width) / pw
    scale = min(scale, MAX_SIDE / max(pw, ph), math.sqrt(MAX_PIXELS / (pw * ph)))
    return max(scale, 1e-3)


def page_png(pdf_bytes: bytes, page: int, width: int = 900, *, compress: int = 6) -> bytes:
    """Page ``page`` (from 1) as a PNG ``width`` pixels wide; ``compress`` is zlib's level (1: about four
    times faster to encode and a little larger, for previews redrawn while someone types)."""
    doc = pdfium.PdfDocument(pdf_bytes)
    doc.init_forms()  # draw form widgets too: a signed letter's visible signature blocks are widgets
    try:
        if not 1 <= page <= len(doc):
            raise IndexError(page)
        p = doc[page - 1]
        scale = bounded_scale(p.get_width(), p.get_height(), width)
        image = p.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False, compress_level=compress)
        return out.getvalue()
    finally:
        doc.close()


def page_texts(pdf_bytes: bytes) -> list[str]:
    """The text of every page (what a page shows, to tell which pages changed between two renderings)."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        out = []
        for p in doc:
            tp = p.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
        return out
    finally:
        doc.close()


def page_count(pdf_bytes: bytes) -> int:
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        return len(doc)
    finally:
        doc.close()
