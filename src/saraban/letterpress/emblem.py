"""The emblem printed at the top of a letter: the agency's Garuda, or a placeholder that says it is one.

Official paper carries the Garuda (ตราครุฑ): 3 cm high, top centre, on external letters, stamped
letters, directives, notices and certificates; 1.5 cm high, top left, on memos; about 1.5 cm from
the top edge (regulation.md §4, R13).  The Garuda in the regulation's forms is part of the
regulation itself (not a copyright work, Copyright Act s.7), but Saraban ships no artwork: each
agency uploads its own file (organisation settings, :mod:`saraban.orgs`), and an agency may upload
its own seal for the centre of the seal on stamped letters.

Uploads are SVG or PNG only, size-limited, and cleaned: an SVG keeps only drawing elements and
attributes (no script, no event handlers, no external references, no entities), a PNG is decoded
and written again without its metadata.  What is not configured prints :func:`placeholder`: a
dashed ring with the words "ตราครุฑ (ตัวอย่าง)" drawn as outlines (no text in the letter's text layer),
for the demo and the samples; a real letter is refused without a real emblem (by the caller that
issues letters, which knows whether the agency is a demo one).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .errors import LetterpressError

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
SVG = "image/svg+xml"
PNG = "image/png"
MAX_SVG_BYTES = 512 * 1024
MAX_PNG_BYTES = 2 * 1024 * 1024
MAX_PNG_SIDE = 4000
PLACEHOLDER_WORDS = ("ตราครุฑ", "(ตัวอย่าง)")


class EmblemInvalid(LetterpressError):
    code = "emblem_invalid"
    message_th = "ไฟล์ตราไม่ถูกต้อง ต้องเป็นไฟล์ SVG หรือ PNG ที่ปลอดภัย"
    message_en = "The emblem file is not valid: it must be a safe SVG or PNG file"


@dataclass(frozen=True)
class EmblemImage:
    """An emblem image, already checked (:func:`validate`)."""

    data: bytes = field(repr=False)
    media_type: str
    placeholder: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def uri(self) -> str:
        """A ``data:`` URI (for web pages)."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"

    @property
    def aspect(self) -> float:
        """Width over height."""
        if self.media_type == SVG:
            width, height = _svg_size(self.data)
        else:
            from PIL import Image

            with Image.open(io.BytesIO(self.data)) as image:
                width, height = image.size
        return width / height if height > 0 and width > 0 else 1.0


@dataclass(frozen=True)
class EmblemLayout:
    """Emblem sizes and position (regulation.md §4); an agency may adjust them within the bounds."""

    garuda_cm: float = 3.0
    """Height on Garuda paper (external and stamped letters, directives, notices, certificates)."""
    memo_cm: float = 1.5
    """Height on memo paper (บันทึกข้อความ, บันทึก), top left."""
    top_cm: float = 1.5
    """Distance of the emblem from the top edge of page 1."""

    BOUNDS = {"garuda_cm": (2.5, 3.5), "memo_cm": (1.2, 2.0), "top_cm": (1.0, 2.0)}

    def __post_init__(self) -> None:
        for name, (low, high) in self.BOUNDS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise LetterpressError(
                    f"ขนาดหรือตำแหน่งของตราต้องอยู่ระหว่าง {low} ถึง {high} ซม.",
                    f"The emblem's {name} must be between {low} and {high} cm",
                    code="emblem_layout_invalid", details={"field": name, "value": value, "min": low, "max": high},
                )


# --- the placeholder ----------------------------------------------------------------------------------


def _outlined(text: str, size: float, cx: float, baseline: float) -> str:
    """``text`` in Sarabun Bold as SVG path data, centred on ``cx`` with its baseline at ``baseline``."""
    import uharfbuzz as hb
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    path = FONT_DIR / "Sarabun-Bold.ttf"
    font = hb.Font(hb.Face(path.read_bytes()))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    tt = TTFont(path, lazy=True)
    scale = size / tt["head"].unitsPerEm
    glyphs, order = tt.getGlyphSet(), tt.getGlyphOrder()
    width = sum(p.x_advance for p in buf.glyph_positions) * scale
    pen = SVGPathPen(glyphs)
    x = cx - width / 2
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gx, gy = x + pos.x_offset * scale, baseline - pos.y_offset * scale
        glyphs[order[info.codepoint]].draw(TransformPen(pen, (scale, 0, 0, -scale, gx, gy)))
        x += pos.x_advance * scale
    return pen.getCommands()


@cache
def placeholder() -> EmblemImage:
    """A dashed ring saying "ตราครุฑ (ตัวอย่าง)": plainly not the Garuda (the demo and the samples)."""
    first, second = PLACEHOLDER_WORDS
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 110" width="100" height="110">'
        '<circle cx="50" cy="55" r="46" fill="none" stroke="#000" stroke-width="2.2" stroke-dasharray="7 5"/>'
        f'<path d="{_outlined(first, 20, 50, 56)}" fill="#000"/>'
        f'<path d="{_outlined(second, 15, 50, 76)}" fill="#000"/>'
        '</svg>'
    )
    return EmblemImage(svg.encode(), SVG, placeholder=True)


# --- checking uploads ---------------------------------------------------------------------------------

_NS = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_TAGS = {"svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "defs", "title", "desc",
         "linearGradient", "radialGradient", "stop", "clipPath", "mask", "symbol", "use"}
_ATTRS = {
    "id", "class", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height",
    "points", "viewBox", "preserveAspectRatio", "transform", "fill", "fill-rule", "fill-opacity", "stroke",
    "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "stroke-opacity", "opacity", "clip-path", "clip-rule", "mask", "offset", "stop-color",
    "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits", "maskUnits",
    "maskContentUnits", "href", "style", "version", "color", "display", "visibility",
}
_CSS_PROPS = {"fill", "fill-rule", "fill-opacity", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
              "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
              "stop-color", "stop-opacity", "clip-rule", "display", "visibility", "color"}
_URL = re.compile(r"url\(\s*([^)]*)\)", re.I)
_SAFE_VALUE = re.compile(r"^[#\w\s.,%()+\-/]*$")


def _safe_value(value: str) -> bool:
    """A value with no reference outside the document and nothing executable."""
    if not _SAFE_VALUE.match(value) or re.search(r"javascript|expression|@import", value, re.I):
        return False
    return all(ref.strip("'\" ").startswith("#") for ref in _URL.findall(value))


def _clean_style(style: str) -> str:
    kept = []
    for decl in style.split(";"):
        name, _, value = decl.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name in _CSS_PROPS and value and _safe_value(value):
            kept.append(f"{name}:{value}")
    return ";".join(kept)


def _clean_element(el: ET.Element) -> None:
    for child in list(el):
        tag = child.tag.split("}", 1)[-1] if isinstance(child.tag, str) else ""
        if not isinstance(child.tag, str) or not child.tag.startswith("{" + _NS + "}") or tag not in _TAGS:
            el.remove(child)
            continue
        _clean_element(child)
    for name in list(el.attrib):
        value = el.attrib[name]
        local = name.split("}", 1)[-1]
        ns = name[1:].split("}", 1)[0] if name.startswith("{") else ""
        keep = local in _ATTRS and ns in ("", _XLINK if local == "href" else "")
        if keep and local == "href":
            keep = value.strip().startswith("#")
        elif keep and local == "style":
            value = _clean_style(value)
            keep = bool(value)
        elif keep:
            keep = _safe_value(value)
        if keep:
            el.attrib[name] = value
        else:
            del el.attrib[name]


def sanitize_svg(data: bytes) -> bytes:
    """``data`` as an SVG that keeps only drawing: elements and attributes from a list, references
    inside the document only.  Raises :class:`EmblemInvalid` for anything that is not such an SVG."""
    if len(data) > MAX_SVG_BYTES:
        raise EmblemInvalid(details={"reason": "too_large", "max_bytes": MAX_SVG_BYTES})
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise EmblemInvalid(details={"reason": "doctype_or_entity"})
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise EmblemInvalid(details={"reason": "not_xml"}) from exc
    if root.tag != f"{{{_NS}}}svg":
        raise EmblemInvalid(details={"reason": "not_svg"})
    _clean_element(root)
    if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
        raise EmblemInvalid(details={"reason": "no_size"})
    ET.register_namespace("", _NS)
    ET.register_namespace("xlink", _XLINK)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def clean_png(data: bytes) -> bytes:
    """``data`` decoded as a PNG and written again (metadata dropped); refused when not a sane PNG."""
    from PIL import Image

    if len(data) > MAX_PNG_BYTES:
        raise EmblemInvalid(details={"reason": "too_large", "max_bytes": MAX_PNG_BYTES})
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise EmblemInvalid(details={"reason": "not_png"})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != "PNG" or max(probe.size) > MAX_PNG_SIDE or min(probe.size) < 16:
                raise EmblemInvalid(details={"reason": "bad_size", "size": list(probe.size)})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG", optimize=True)
    except EmblemInvalid:
        raise
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise EmblemInvalid(details={"reason": "corrupt"}) from exc
    return out.getvalue()


def validate(data: bytes, filename: str = "") -> EmblemImage:
    """An uploaded emblem, checked and cleaned: SVG (sanitised) or PNG (decoded and re-encoded)."""
    name = filename.lower()
    if data.lstrip()[:1] == b"<" or name.endswith(".svg"):
        return EmblemImage(sanitize_svg(data), SVG)
    if data.startswith(b"\x89PNG") or name.endswith(".png"):
        return EmblemImage(clean_png(data), PNG)
    raise EmblemInvalid(details={"reason": "type", "allowed": ["svg", "png"]})


def _svg_size(data: bytes) -> tuple[float, float]:
    root = ET.fromstring(data)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4:
            return float(box[2]), float(box[3])
        return float(re.sub(r"[a-z%]+$", "", root.get("width", ""))), \
            float(re.sub(r"[a-z%]+$", "", root.get("height", "")))
    except ValueError as exc:
        raise EmblemInvalid(details={"reason": "no_size"}) from exc


@lru_cache(maxsize=16)
def form_pdf(image: EmblemImage) -> bytes:
    """The emblem alone on a one-page PDF 72 pt high (vector for an SVG), made once per process: the
    letter is laid out with an empty box where the emblem goes, and the emblem is drawn into it
    afterwards as a form (:func:`saraban.letterpress.render.render_letter`) — a Garuda's thousands of path
    points, parsed and drawn by WeasyPrint on every letter, would double the render time."""
    from weasyprint import HTML

    w_pt, h_pt = 72.0 * image.aspect, 72.0
    html = (f"<html><head><style>@page {{ size: {w_pt:.3f}pt {h_pt:.3f}pt; margin: 0 }} html, body {{ margin: 0 }}"
            f" img {{ display: block; width: {w_pt:.3f}pt; height: {h_pt:.3f}pt }}</style></head>"
            f'<body><img src="{image.uri()}" alt=""></body></html>')
    return HTML(string=html).write_pdf()


def draw(pdf: Any, image: EmblemImage, page_index: int, rect: tuple[float, float, float, float]) -> None:
    """Draw ``image`` (its :func:`form_pdf`) into ``rect`` (x1, y1, x2, y2 in points) of a page of ``pdf``
    (a ``pikepdf.Pdf``), the page's own graphics state isolated first."""
    import pikepdf

    with pikepdf.open(io.BytesIO(form_pdf(image))) as source:
        src_page = source.pages[0]
        width, height = (float(v) for v in src_page.mediabox[2:4])
        xobject = pdf.copy_foreign(src_page.as_form_xobject())
    page = pdf.pages[page_index]
    name = page.add_resource(xobject, pikepdf.Name.XObject, prefix="SbEmblem")
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    x1, y1, x2, y2 = rect
    ops = f"\nQ\nq {(x2 - x1) / width:.5f} 0 0 {(y2 - y1) / height:.5f} {x1:.3f} {y1:.3f} cm {name} Do Q\n"
    page.contents_add(pdf.make_stream(ops.encode()))


def load(configured: EmblemImage | Path | str | None) -> EmblemImage:
    """The emblem to print: ``configured`` (an image, or a file to check), else :func:`placeholder`."""
    if configured is None:
        return placeholder()
    if isinstance(configured, EmblemImage):
        return configured
    path = Path(configured)
    if path.suffix.lower() not in (".svg", ".png") or not path.is_file():
        raise LetterpressError(
            "ไม่พบไฟล์ภาพตราของส่วนราชการ หรือชนิดไฟล์ไม่รองรับ (ต้องเป็น SVG หรือ PNG)",
            "The agency emblem file is missing or of an unsupported type (SVG or PNG only)",
            code="emblem_missing",
            details={"path": str(path)},
        )
    return _load_file(str(path), path.stat().st_mtime_ns)


@cache
def _load_file(path: str, mtime: int) -> EmblemImage:
    return validate(Path(path).read_bytes(), path)


def emblem_uri(configured: EmblemImage | Path | str | None = None) -> str:
    """A ``data:`` URI of the emblem (for web pages)."""
    return load(configured).uri()
