"""The verification QR code as SVG, PNG and PDF marks."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from saraban.letterpress.render import QR_BOX
from saraban.signing import qr

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

URL = "https://saraban.example/verify/0190e3c1"


def test_svg_and_png() -> None:
    svg = qr.svg(URL)
    assert svg.lstrip().startswith("<svg") and "path" in svg
    image = Image.open(io.BytesIO(qr.png(URL, scale=3)))
    size = (len(qr.make(URL).matrix) + 2 * qr.QUIET_ZONE) * 3
    assert image.size == (size, size)


def test_pdf_marks_stay_inside_the_box() -> None:
    ops = qr.pdf_marks(URL, QR_BOX).decode()
    numbers = [float(n) for line in ops.splitlines()[1:-1] for n in line.split()[:4]]
    xs, ys = numbers[0::4], numbers[1::4]
    assert min(xs) >= QR_BOX.x and max(xs) <= QR_BOX.x + QR_BOX.width
    assert min(ys) >= QR_BOX.y and max(ys) <= QR_BOX.y + QR_BOX.height
    assert ops.count(" re") > 50
