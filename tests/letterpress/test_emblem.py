"""The emblem: the placeholder says what it is, uploads are checked and cleaned, sizes follow §4."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from saraban.letterpress import emblem
from saraban.letterpress.emblem import EmblemInvalid, EmblemLayout
from saraban.letterpress.errors import LetterpressError
from saraban.letterpress.examples import EXAMPLES, external, memo
from saraban.letterpress.render import CM, RenderSettings, render_letter

from .pdftools import pdftotext

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

GOOD_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120">'
            b'<path d="M10 10 L90 10 L50 110 Z" style="fill:#000;stroke:none"/></svg>')


def _png(size: tuple[int, int] = (90, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 0)).save(out, format="PNG")
    return out.getvalue()


def test_placeholder_says_it_is_a_placeholder_in_outlines_only() -> None:
    image = emblem.placeholder()
    assert image.placeholder and image.media_type == "image/svg+xml"
    assert b"<path" in image.data and b"<text" not in image.data  # drawn, not text
    pdf = render_letter(external()).pdf
    assert "ตราครุฑ" not in pdftotext(pdf)  # nothing added to the letter's text


@pytest.mark.parametrize("hostile", [
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><path d="M0 0"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><path d="M0 0"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    b'<use xlink:href="http://evil.example/x.svg#a"/><image href="file:///etc/passwd"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject><p>x</p></foreignObject>'
    b'<rect width="5" height="5" style="fill:url(http://evil.example/p)"/>'
    b'<rect width="5" height="5" fill="url(#g)" style="fill:red;behavior:url(x.htc)"/></svg>',
])
def test_svg_upload_keeps_drawing_only(hostile: bytes) -> None:
    clean = emblem.sanitize_svg(hostile)
    lowered = clean.lower()
    for bad in (b"script", b"onload", b"evil", b"passwd", b"foreignobject", b"behavior", b"<image"):
        assert bad not in lowered
    assert clean.startswith(b"<svg")


@pytest.mark.parametrize("bad, reason", [
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "doctype_or_entity"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><path d='M0 0'", "not_xml"),
    (b"<html><body>not an svg</body></html>", "not_svg"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><path d='M0 0'/></svg>", "no_size"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'>" + b"<g/>" * 200_000 + b"</svg>", "too_large"),
])
def test_bad_svg_is_refused_with_a_code(bad: bytes, reason: str) -> None:
    with pytest.raises(EmblemInvalid) as err:
        emblem.validate(bad, "garuda.svg")
    assert err.value.code == "emblem_invalid" and err.value.details["reason"] == reason
    assert err.value.message_th and err.value.message_en


def test_png_is_decoded_and_written_again() -> None:
    image = emblem.validate(_png(), "garuda.png")
    assert image.media_type == "image/png" and image.data.startswith(b"\x89PNG")
    for bad in (_png()[:60], b"\x89PNG\r\n\x1a\n" + b"\0" * 100, _png((5000, 20)), b"GIF89a....", b"%PDF-1.7"):
        with pytest.raises(EmblemInvalid):
            emblem.validate(bad, "garuda.png")
    with pytest.raises(EmblemInvalid):
        emblem.validate(b"\x89PNG\r\n\x1a\n" + b"\0" * (emblem.MAX_PNG_BYTES + 1), "big.png")


def test_uploaded_svg_prints_at_the_regulation_sizes() -> None:
    image = emblem.validate(GOOD_SVG, "garuda.svg")
    for name in EXAMPLES:
        letter = EXAMPLES[name]()
        rendered = render_letter(letter, RenderSettings(emblem=image))
        if "emblem" not in rendered.anchors:  # minutes print no emblem
            continue
        small = name in ("memo", "memo_record")
        assert rendered.anchors["emblem"].height == pytest.approx((1.5 if small else 3) * CM, abs=0.1), name
        top = 841.89 - rendered.anchors["emblem"].y - rendered.anchors["emblem"].height
        assert top == pytest.approx(1.5 * CM, abs=0.6 * CM), name  # about 1.5 cm from the top edge


def test_agency_may_adjust_sizes_within_bounds() -> None:
    layout = EmblemLayout(garuda_cm=3.2, memo_cm=1.8, top_cm=1.2)
    rendered = render_letter(external(), RenderSettings(emblem_layout=layout))
    assert rendered.anchors["emblem"].height == pytest.approx(3.2 * CM, abs=0.1)
    assert render_letter(memo(), RenderSettings(emblem_layout=layout)).anchors["emblem"].height == \
        pytest.approx(1.8 * CM, abs=0.1)
    with pytest.raises(LetterpressError) as err:
        EmblemLayout(garuda_cm=6)
    assert err.value.code == "emblem_layout_invalid"
