"""``write_samples``: one signed letter of every kind with its text, checked with independent tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from saraban.demo.samples import write_samples
from saraban.letterpress.content import Kind
from saraban.signing.pki import TestPKI
from saraban.signing.validate import validate_pdf

from ..letterpress.pdftools import pdffonts, pdfsig, pdftotext, squash

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_samples_of_every_kind_verify_with_poppler(tmp_path: Path) -> None:
    files = write_samples(tmp_path)
    assert {f.name for f in files} == {k.value for k in Kind}
    pki = TestPKI.load(tmp_path / "test-pki")
    for f in files:
        pdf = f.pdf.read_bytes()
        out = pdfsig(pdf)
        assert "Signature is Valid" in out and "Total document signed" in out, f.name
        assert all(font["emb"] == "yes" for font in pdffonts(pdf)), f.name
        assert squash(pdftotext(pdf)) == squash(f.txt.read_text(encoding="utf-8")), f.name
        report = validate_pdf(pdf, trust_roots=pki.trust_roots)
        assert report.valid, (f.name, report.text("en"))
    assert (tmp_path / "README.txt").is_file()


def test_management_command_writes_the_samples(tmp_path: Path) -> None:
    import io

    from saraban.demo.management.commands.samples import Command

    out = io.StringIO()
    command = Command(stdout=out)
    options = vars(command.create_parser("saraban", "samples").parse_args(["letters", "--out", str(tmp_path / "s")]))
    command.handle(**options)
    assert len(list((tmp_path / "s").glob("*.pdf"))) == len(Kind)
    assert "13 sample letters written" in out.getvalue()


def test_samples_are_dated_the_day_they_are_signed_with_full_names(tmp_path: Path) -> None:
    import datetime as dt

    from saraban.kernel.clock import BANGKOK, MovableClock, use_clock
    from saraban.kernel.thai import digits, format_date

    with use_clock(MovableClock(dt.datetime(2026, 3, 3, 10, 42, tzinfo=BANGKOK))):
        files = {f.name: f for f in write_samples(tmp_path)}
    abbr = digits(format_date(dt.date(2026, 3, 3), style="abbr"), "thai")
    text = files["regulation"].txt.read_text(encoding="utf-8")
    assert "ลงนามโดย นายวีรวัฒน์ ดิจิทัลไทย" in text  # the whole name, not the certificate's cut one
    assert f"เมื่อ {abbr}" in text and squash("ประกาศ ณ วันที่ ๓ มีนาคม พ.ศ. ๒๕๖๙") in squash(text)  # they agree
    assert f"เมื่อ {abbr}" in files["external"].txt.read_text(encoding="utf-8")
    assert digits("3 มีนาคม", "thai") in files["external"].txt.read_text(encoding="utf-8")


def test_stamped_seal_carries_the_emblem_in_its_centre(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from saraban.letterpress.emblem import EmblemImage
    from saraban.signing.seal import seal_pdf

    red = EmblemImage(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                      b'<rect width="10" height="10" fill="#00a000"/></svg>', "image/svg+xml")
    pdf = seal_pdf("สำนักงานทดสอบ", red.uri())
    from ..letterpress.pdftools import render_png

    image = Image.open(io.BytesIO(render_png(pdf, dpi=72))).convert("RGB")
    w, h = image.size
    assert image.getpixel((w // 2, h // 2)) == (0, 160, 0)  # the emblem in the middle
    assert sum(1 for x in range(w) if image.getpixel((x, h // 2))[0] > 180 > image.getpixel((x, h // 2))[1]) > 2
