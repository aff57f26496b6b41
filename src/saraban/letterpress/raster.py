"""PNG images of PDF pages (pypdfium2), so a letter reads the same on a desk and on a phone."""

from __future__ import annotations

import io

import pypdfium2 as pdfium


def page_png(pdf_bytes: bytes, page: int, width: int = 900) -> bytes:
    doc = pdfium.PdfDocument(pdf_bytes)
    doc.init_forms()  # draw form widgets too: a signed letter's visible signature blocks are widgets
    try:
        if not 1 <= page <= len(doc):
            raise IndexError(page)
        p = doc[page - 1]
        scale = max(0.2, min(4.0, width / p.get_width()))
        image = p.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        doc.close()


def page_count(pdf_bytes: bytes) -> int:
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        return len(doc)
    finally:
        doc.close()
