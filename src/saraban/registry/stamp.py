"""The receipt stamp (ตรารับหนังสือ, form 12) drawn at the top right of page 1 of a presentation copy.

The original is never touched: the stamp goes on a copy, whatever the page size or rotation, and the copy
carries none of the original's active content (JavaScript, actions, embedded files: see
:func:`saraban.letters.pdf.strip_active_content`).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pikepdf

from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.letters.pdf import strip_active_content

MM = 72 / 25.4
STAMP_W_MM = 52
STAMP_H_MM = 27
MARGIN_MM = 6
NUMBER_STAMP_MM = (62.0, 16.0)


@dataclass(frozen=True)
class StampText:
    agency: str
    number: str
    date: str
    time: str


def render_stamp(text: StampText) -> bytes:
    name = html.escape(text.agency)
    # a long name takes two lines, broken between words (letterpress.linebreak), in smaller type
    n = len(text.agency)
    size, rows = (11, 11) if n <= 26 else (9.5, 10.5) if n <= 40 else (8.5, 10) if n <= 54 else (7.5, 10)
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
{font_css()}
@page {{ size: {STAMP_W_MM}mm {STAMP_H_MM}mm; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: 'Sarabun'; color: #1d3c96; }}
.box {{ box-sizing: border-box; width: {STAMP_W_MM}mm; height: {STAMP_H_MM}mm; border: 0.6mm solid #1d3c96;
        border-radius: 1.2mm; padding: 0.8mm 2.2mm; background: rgba(255,255,255,0.85); }}
.agency {{ font-weight: 700; font-size: {size}pt; text-align: center; line-height: 1.1; max-height: 2.2em;
           overflow: hidden; border-bottom: 0.3mm solid #1d3c96; padding-bottom: 0.4mm; }}
.row {{ font-size: {rows}pt; line-height: 1.25; white-space: nowrap; }}
.label {{ display: inline-block; width: 12mm; }}
.value {{ font-weight: 700; }}
</style></head><body><div class="box">
<div class="agency">{name}</div>
<div class="row"><span class="label">เลขรับ</span><span class="value">{html.escape(text.number)}</span></div>
<div class="row"><span class="label">วันที่</span><span class="value">{html.escape(text.date)}</span></div>
<div class="row"><span class="label">เวลา</span><span class="value">{html.escape(text.time)}</span></div>
</div></body></html>"""
    return html_to_pdf(doc)


def _display_to_user(rotate: int, box: list[float]) -> tuple[list[float], float, float]:
    """Matrix from the page's displayed (rotated) coordinates to its user space, and displayed size."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    rotate %= 360
    if rotate == 90:
        return [0, 1, -1, 0, x1, y0], h, w
    if rotate == 180:
        return [-1, 0, 0, -1, x1, y1], w, h
    if rotate == 270:
        return [0, -1, 1, 0, x0, y1], h, w
    return [1, 0, 0, 1, x0, y0], w, h


def _fmt(m: list[float]) -> str:
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v) for v in m)


def apply_stamp(pdf_bytes: bytes, stamp_pdf: bytes, slot: int = 0, *, left: bool = False, bottom: bool = False,
                size_mm: tuple[float, float] = (STAMP_W_MM, STAMP_H_MM)) -> bytes:
    """A copy of ``pdf_bytes`` with the stamp at the top right of page 1 as the reader sees it; ``slot`` n puts
    it beside (to the left of) n stamps already there: a sub-unit's stamp next to the agency's.  ``left`` puts
    it at the top left instead (the number-and-date stamp of a letter typed elsewhere, clear of receipt
    stamps), ``bottom`` at the bottom (a certified copy's สำเนาถูกต้อง); ``size_mm`` is the stamp's size."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf, pikepdf.open(io.BytesIO(stamp_pdf)) as stamp:
        page = pdf.pages[0]
        form = pdf.copy_foreign(stamp.pages[0].as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="SbRcpt")
        box = [float(v) for v in (page.obj.get("/CropBox") or page.mediabox)]
        rotate = int(page.obj.get("/Rotate", 0))
        to_user, width, height = _display_to_user(rotate, box)
        w, h, m = size_mm[0] * MM, size_mm[1] * MM, MARGIN_MM * MM
        scale = min(1.0, (width * 0.45) / w)  # tiny pages: keep the stamp inside
        tx, ty = width - (w * scale) - m * scale, height - (h * scale) - m * scale
        if left:
            tx = m * scale
        if bottom:
            ty = m * scale
        row, col = divmod(slot, 3)  # beside the agency's stamp in the top margin, three to a row
        tx -= col * (w + 2 * MM) * scale
        ty -= row * (h + 2 * MM) * scale
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n"))
        ops = f"q {_fmt(to_user)} cm {_fmt([scale, 0, 0, scale, tx, ty])} cm {name} Do Q\n"
        page.contents_add(pdf.make_stream(ops.encode()))
        strip_active_content(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def render_number_stamp(number: str, date: str) -> bytes:
    w, h = NUMBER_STAMP_MM
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}
@page {{ size: {w}mm {h}mm; margin: 0; }}
html, body {{ margin: 0; }}
body {{ font-family: 'Sarabun'; color: #1d3c96; }}
.box {{ box-sizing: border-box; width: {w}mm; height: {h}mm; border: 0.5mm solid #1d3c96; border-radius: 1mm;
        padding: 0.6mm 2mm; background: rgba(255,255,255,0.9); font-size: 12pt; line-height: 1.35; }}
b {{ font-weight: 700; }}
</style></head><body><div class="box"><div>ที่ <b>{html.escape(number)}</b></div>
<div>ลงวันที่ <b>{html.escape(date)}</b></div></div></body></html>"""
    return html_to_pdf(doc)


def number_stamped(pdf: bytes, number: str, date: str) -> bytes:
    """A copy of ``pdf`` with its number and date (already written as printed) at the top left of page 1."""
    return apply_stamp(pdf, render_number_stamp(number, date), left=True, size_mm=NUMBER_STAMP_MM)
