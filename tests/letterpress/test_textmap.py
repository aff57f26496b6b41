"""The text-layer fix: glyph → text from the font itself, and ``ำ`` rejoined from its two glyphs."""

from __future__ import annotations

import io

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from saraban.letterpress.render import FONT_FILES
from saraban.letterpress.textmap import SARA_AA, SARA_AM, _actual_text, fix_text_mapping, glyph_texts

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_every_mapped_glyph_reads_as_its_character_and_variants_as_theirs() -> None:
    path = str(FONT_FILES["regular"])
    texts = glyph_texts(path)
    tt = TTFont(path, lazy=True)
    gid = {name: i for i, name in enumerate(tt.getGlyphOrder())}
    for cp, name in tt.getBestCmap().items():
        assert texts[gid[name]] in (chr(cp), *(chr(c) for c, n in tt.getBestCmap().items() if n == name))
    # a tone-mark variant reached only through GSUB reads as the tone mark
    assert texts[gid["uni0E48.narrow"]] == "\u0e48"
    # the nikhahit + mai tho ligature reads as both marks
    assert sorted(texts[gid["uni0E4D0E49"]]) == sorted("\u0e4d\u0e49")


def test_sara_am_is_rejoined_from_nikhahit_and_sara_aa() -> None:
    assert _actual_text(["ด", "\u0e4d", SARA_AA, "เ", "น", "ิ", "น"]) == "ดำเนิน"
    assert _actual_text(["น", "\u0e49\u0e4d", SARA_AA]) == "น้ำ"  # ligature with the tone mark
    assert _actual_text(["น", "\u0e4d", "\u0e49", SARA_AA]) == "น้ำ"  # tone mark between the halves
    assert _actual_text(["ง", SARA_AA, "น"]) == "งาน"  # a plain sara aa stays
    assert _actual_text(["\u0e4d", "ก", SARA_AA]) == "\u0e4dกา"  # not joined across a consonant
    assert SARA_AM == "ำ"


def test_fonts_that_are_not_ours_are_left_alone() -> None:
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
    ))
    page = pdf.add_blank_page()
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    content = b"BT /F1 12 Tf 10 10 Td (Hello) Tj ET"
    page.obj.Contents = pdf.make_stream(content)
    assert fix_text_mapping(pdf, list(FONT_FILES.values())) == 0
    assert page.obj.Contents.read_bytes() == content
    out = io.BytesIO()
    pdf.save(out)
    assert out.getvalue().startswith(b"%PDF")
