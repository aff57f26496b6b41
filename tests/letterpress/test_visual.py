"""Visual regression: page 1 of every kind against a reviewed reference PNG (``pdftoppm -r 50``).

Regenerate with ``SARABAN_UPDATE_REFERENCES=1 .venv/bin/pytest tests/letterpress/test_visual.py -p no:django``
and look at the images before committing them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from saraban.letterpress.examples import EXAMPLES
from saraban.letterpress.render import RenderedLetter

from .imagecompare import assert_matches_reference, difference
from .pdftools import render_png

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

REFERENCE = Path(__file__).with_name("reference")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_page_one_matches_reference(rendered: dict[str, RenderedLetter], name: str) -> None:
    png = render_png(rendered[name].pdf, dpi=50)
    assert_matches_reference(png, REFERENCE / f"{name}.png")


def test_comparison_catches_a_moved_line() -> None:
    # The helper must fail on a real change: a line of text shifted by a few pixels.
    reference = (REFERENCE / "external.png").read_bytes()
    image = Image.open(io.BytesIO(reference)).convert("RGB")
    moved = image.copy()
    box = (60, 300, 350, 320)
    moved.paste((255, 255, 255), box)
    moved.paste(image.crop(box), (60, 306))
    out = io.BytesIO()
    moved.save(out, format="PNG")
    assert not difference(out.getvalue(), reference).within(max_changed=0.002, max_mean=1.0)
    assert difference(reference, reference).within(max_changed=0.0, max_mean=0.0)


def test_comparison_catches_a_colour_change() -> None:
    reference = (REFERENCE / "memo.png").read_bytes()
    image = Image.open(io.BytesIO(reference)).convert("RGB")
    ImageDraw.Draw(image).rectangle((150, 0, 260, 20), fill=(0, 0, 0))  # the red secrecy mark gone black
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert not difference(out.getvalue(), reference).within(max_changed=0.002, max_mean=1.0)
