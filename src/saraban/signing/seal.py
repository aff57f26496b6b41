"""The agency seal (ตราชื่อส่วนราชการ) drawn in red: two concentric circles, outer 4.5 cm and inner
3.5 cm across, the agency's name set round the ring between them, and the emblem in the centre
(regulation.md §4, ข้อ 72).  The centre carries the agency's emblem image (its own seal, or the
Garuda: :mod:`saraban.orgs.emblems`), drawn by WeasyPrint into a one-page PDF with the rings; without
one (tests) it is a plain drawn star.

The name is shaped with HarfBuzz (Thai marks placed by the font) and drawn as glyph outlines, so
the seal is artwork: it adds no text to the letter's text layer.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import lru_cache

import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from saraban.letterpress.render import CM, FONT_FILES

RED = (0.82, 0.05, 0.05)
OUTER_DIAMETER = 4.5 * CM
INNER_DIAMETER = 3.5 * CM

Point = tuple[float, float]


class _PdfPathPen(BasePen):
    """Glyph outlines → PDF path operators, through a point transform."""

    def __init__(self, glyph_set: object, transform: Callable[[Point], Point]) -> None:
        super().__init__(glyph_set)  # type: ignore[arg-type]
        self.ops: list[str] = []
        self._t = transform

    def _p(self, pt: Point) -> str:
        x, y = self._t(pt)
        return f"{x:.2f} {y:.2f}"

    def _moveTo(self, pt: Point) -> None:
        self.ops.append(f"{self._p(pt)} m")

    def _lineTo(self, pt: Point) -> None:
        self.ops.append(f"{self._p(pt)} l")

    def _curveToOne(self, pt1: Point, pt2: Point, pt3: Point) -> None:
        self.ops.append(f"{self._p(pt1)} {self._p(pt2)} {self._p(pt3)} c")

    def _closePath(self) -> None:
        self.ops.append("h")


@lru_cache(maxsize=2)
def _font(path: str) -> tuple[hb.Font, TTFont, int]:
    data = open(path, "rb").read()  # noqa: SIM115 - read once, cached
    face = hb.Face(data)
    tt = TTFont(path, lazy=True)
    return hb.Font(face), tt, tt["head"].unitsPerEm


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (
        f"{cx + r:.2f} {cy:.2f} m "
        f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
        f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
        f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
        f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c h"
    )


def _star(cx: float, cy: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    ops = [f"{points[0][0]:.2f} {points[0][1]:.2f} m"]
    ops += [f"{x:.2f} {y:.2f} l" for x, y in points[1:]]
    return " ".join(ops) + " h"


def ring_text(text: str, cx: float, cy: float, radius: float, *, font_size: float, max_arc: float,
              font_path: str | None = None) -> str:
    """PDF path operators for ``text`` set clockwise along a circle, centred at the top.

    ``radius`` is the baseline's; ``max_arc`` (radians) is the most of the circle the text may
    take: a longer text is set smaller.
    """
    font, tt, upem = _font(font_path or str(FONT_FILES["bold"]))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    total = sum(p.x_advance for p in buf.glyph_positions)
    scale = font_size / upem
    if total * scale > max_arc * radius:
        scale = max_arc * radius / total
    theta0 = math.pi / 2 + (total * scale / 2) / radius
    glyph_set = tt.getGlyphSet()
    order = tt.getGlyphOrder()
    ops: list[str] = []
    pen_x = 0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gx = pen_x + pos.x_offset
        gy = pos.y_offset
        mid = gx + pos.x_advance / 2
        theta = theta0 - mid * scale / radius
        radial = (math.cos(theta), math.sin(theta))
        tangent = (math.sin(theta), -math.cos(theta))

        def place(pt: Point, gx: float = gx, gy: float = gy, mid: float = mid,
                  radial: Point = radial, tangent: Point = tangent) -> Point:
            u = (gx + pt[0] - mid) * scale
            v = (gy + pt[1]) * scale
            return (cx + (radius + v) * radial[0] + u * tangent[0],
                    cy + (radius + v) * radial[1] + u * tangent[1])

        pen = _PdfPathPen(glyph_set, place)
        glyph_set[order[info.codepoint]].draw(pen)
        ops.extend(pen.ops)
        pen_x += pos.x_advance
    return " ".join(ops)


def seal_marks(agency: str, *, x: float = 0.0, y: float = 0.0, color: tuple[float, float, float] = RED,
               star: bool = True) -> bytes:
    """PDF content drawing the seal of ``agency`` with its bottom-left corner at (``x``, ``y``); ``star``
    draws the plain star in the centre (else the centre is left for an emblem image)."""
    r_out = OUTER_DIAMETER / 2
    r_in = INNER_DIAMETER / 2
    cx, cy = x + r_out, y + r_out
    red = f"{color[0]:.3f} {color[1]:.3f} {color[2]:.3f}"
    parts = [
        "q",
        f"{red} RG {red} rg",
        f"1.4 w {_circle(cx, cy, r_out - 0.7)} S",
        f"0.9 w {_circle(cx, cy, r_in)} S",
        *([f"0.8 w {_circle(cx, cy, r_in * 0.62)} S", f"{_star(cx, cy, r_in * 0.5)} f"] if star else []),
        ring_text(agency, cx, cy, r_in + 3.4, font_size=9.5, max_arc=math.radians(300)),
        "f",
        "Q",
    ]
    return "\n".join(parts).encode()


CENTRE_HEIGHT = 2.4 * CM
"""Height of the emblem image in the centre of the seal (inside the 3.5 cm inner ring)."""


@lru_cache(maxsize=32)
def seal_pdf(agency: str, centre_uri: str) -> bytes:
    """A one-page PDF the size of the seal: the rings and the agency's name, and the image at
    ``centre_uri`` (a ``data:`` URI of an emblem already checked) in the centre."""
    import pikepdf

    from saraban.letterpress.html_pdf import html_to_pdf

    size = OUTER_DIAMETER
    html = (f"<html><head><style>@page {{ size: {size:.2f}pt {size:.2f}pt; margin: 0; }} html, body {{ margin: 0; }}"
            f" img {{ position: absolute; height: {CENTRE_HEIGHT:.2f}pt; max-width: {INNER_DIAMETER * 0.8:.2f}pt;"
            f" left: 50%; top: 50%; transform: translate(-50%, -50%); }}</style></head>"
            f'<body><img src="{centre_uri}" alt=""></body></html>')
    with pikepdf.open(io.BytesIO(html_to_pdf(html))) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n" + seal_marks(agency, star=False)))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
