"""The retention stamp (ข้อ 54): "เก็บถึง พ.ศ. …" or, in red, "ห้ามทำลาย", at the lower right of page 1 of a
derived copy.  Drawn the way the registry draws its receipt stamp (a one-page PDF laid over the page with
pikepdf); the original is never touched."""

from __future__ import annotations

import html
import io

import pikepdf

from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.letters.pdf import strip_active_content
from saraban.registry.stamp import MM, _display_to_user, _fmt

STAMP_MM = (44.0, 13.0)
MARGIN_MM = 8
RED = "#c0161b"
BLUE = "#1d3c96"


def stamp_text(keep_until_be: int | None) -> str:
    return "ห้ามทำลาย" if keep_until_be is None else f"เก็บถึง พ.ศ. {keep_until_be}"


def render(keep_until_be: int | None, initials: str = "") -> bytes:
    w, h = STAMP_MM
    colour = RED if keep_until_be is None else BLUE
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}
@page {{ size: {w}mm {h}mm; margin: 0; }}
html, body {{ margin: 0; }}
body {{ font-family: 'Sarabun'; color: {colour}; }}
.box {{ box-sizing: border-box; width: {w}mm; height: {h}mm; border: 0.6mm solid {colour}; border-radius: 1mm;
        background: rgba(255,255,255,0.9); text-align: center; padding-top: 0.6mm; }}
.t {{ font-size: 15pt; font-weight: 700; line-height: 1.15; }}
.i {{ font-size: 8pt; line-height: 1.1; }}
</style></head><body><div class="box"><div class="t">{html.escape(stamp_text(keep_until_be))}</div>
<div class="i">{html.escape(initials)}</div></div></body></html>"""
    return html_to_pdf(doc)


def stamped(pdf_bytes: bytes, keep_until_be: int | None, initials: str = "") -> bytes:
    """A copy of ``pdf_bytes`` with the retention stamp at the lower right of page 1 as the reader sees it."""
    stamp_pdf = render(keep_until_be, initials)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf, pikepdf.open(io.BytesIO(stamp_pdf)) as stamp:
        page = pdf.pages[0]
        form = pdf.copy_foreign(stamp.pages[0].as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="SbKeep")
        box = [float(v) for v in (page.obj.get("/CropBox") or page.mediabox)]
        to_user, width, _height = _display_to_user(int(page.obj.get("/Rotate", 0)), box)
        w, m = STAMP_MM[0] * MM, MARGIN_MM * MM
        scale = min(1.0, (width * 0.45) / w)
        tx, ty = width - w * scale - m * scale, m * scale
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n"))
        ops = f"q {_fmt(to_user)} cm {_fmt([scale, 0, 0, scale, tx, ty])} cm {name} Do Q\n"
        page.contents_add(pdf.make_stream(ops.encode()))
        strip_active_content(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
