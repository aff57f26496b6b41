"""The verification QR code: an image, an SVG, or vector marks drawn onto page 1 of a letter.

The QR code carries only a URL to the public verification page (the letter's hash, number, date
and signature status), never anything secret.  On a letter it is drawn as filled squares — no
image, no text — so it prints sharply and leaves the letter's text layer untouched.
"""

from __future__ import annotations

import io

import pikepdf
import segno

from saraban.letterpress.render import QR_BOX, Box

from .errors import PdfInvalid, QrAfterSignature

QUIET_ZONE = 2
"""Modules of white border; the standard's 4 is more than a printed corner needs with a white box."""


def make(url: str) -> segno.QRCode:
    """The QR code for ``url`` (error correction M: survives a fold or a stamp over a corner)."""
    return segno.make(url, error="m", micro=False)


def svg(url: str, *, scale: int = 4) -> str:
    """The QR code as an SVG document."""
    out = io.BytesIO()
    make(url).save(out, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False)
    return out.getvalue().decode()


def png(url: str, *, scale: int = 4) -> bytes:
    """The QR code as a PNG image."""
    out = io.BytesIO()
    make(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def pdf_marks(url: str, box: Box) -> bytes:
    """PDF content operators drawing the QR code (with its white quiet zone) filling ``box``."""
    matrix = make(url).matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    size = min(box.width, box.height)
    unit = size / modules
    x0 = box.x + (box.width - size) / 2
    y0 = box.y + (box.height - size) / 2
    ops = [f"q 1 1 1 rg {x0:.3f} {y0:.3f} {size:.3f} {size:.3f} re f 0 0 0 rg"]
    for row, line in enumerate(matrix):
        y = y0 + size - (row + QUIET_ZONE + 1) * unit
        col = 0
        while col < len(line):
            if line[col]:
                start = col
                while col < len(line) and line[col]:
                    col += 1
                ops.append(f"{x0 + (start + QUIET_ZONE) * unit:.3f} {y:.3f} {(col - start) * unit:.3f} {unit:.3f} re")
            else:
                col += 1
    ops.append("f Q")
    return "\n".join(ops).encode()


def add_qr(pdf: bytes, url: str, box: Box = QR_BOX) -> bytes:
    """``pdf`` with the QR code for ``url`` drawn in ``box``; refused on a signed document."""
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        raise PdfInvalid(reason=str(exc)) from exc
    with doc:
        acro = doc.Root.get("/AcroForm")
        if acro is not None and any(f.get("/FT") == "/Sig" and "/V" in f for f in acro.get("/Fields", [])):
            raise QrAfterSignature()
        page = doc.pages[box.page]
        # Isolate the page's own graphics state (WeasyPrint leaves a flipped CTM), then draw.
        page.contents_add(doc.make_stream(b"q\n"), prepend=True)
        page.contents_add(doc.make_stream(b"\nQ\n" + pdf_marks(url, box)), prepend=False)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
