"""PAdES signing: levels, visible Thai blocks, several signers, the seal, the QR code — each checked
by our validator and by poppler's ``pdfsig`` as an independent one."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
import segno
from PIL import Image

from saraban.letterpress.examples import DIRECTOR, PERMANENT_SECRETARY, external, memo_record, stamped
from saraban.letterpress.render import CM, QR_BOX, render_letter
from saraban.signing import qr
from saraban.signing.pades import (
    LetterSigner,
    LetterSigning,
    Level,
    SignedLetter,
    Signing,
    TrustSettings,
    VerifiedIdentity,
    sign_letter,
    sign_pdf,
    typed_name,
)
from saraban.signing.pki import TestPKI
from saraban.signing.validate import validate_pdf

from ..letterpress.pdftools import need, pdffonts, pdfsig, pdftotext, squash
from .keys import key_file

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def _validate(pdf: bytes, pki: TestPKI) -> object:
    return validate_pdf(pdf, trust_roots=pki.trust_roots, other_certs=[pki.intermediate.cert])


def test_b_t_signature_is_valid_for_us_and_for_pdfsig(signed_external: SignedLetter, pki: TestPKI) -> None:
    report = _validate(signed_external.pdf, pki)
    assert report.valid, report.text("en")
    (sig,) = report.signatures
    assert sig.level == "B-T" and sig.time_trusted and sig.whole_document and not sig.modified_after
    assert sig.signer == "TEST นายสมชาย ใจดี"
    assert sig.chain == ("TEST นายสมชาย ใจดี", "TEST Saraban Issuing CA", "TEST Saraban Root CA")
    out = pdfsig(signed_external.pdf)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert signed_external.level == Level.B_T


def test_signed_letter_keeps_fonts_embedded_and_text_extractable(signed_external: SignedLetter) -> None:
    fonts = pdffonts(signed_external.pdf)
    assert len(fonts) >= 3  # Sarabun, Sarabun Bold, and the subset in the visible signature block
    assert all(f["emb"] == "yes" for f in fonts)
    text = pdftotext(signed_external.pdf)
    assert squash(text) == squash(signed_external.text)
    assert "ลงนามโดย TEST นายสมชาย ใจดี" in signed_external.text
    assert "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in signed_external.text


def test_visible_block_sits_in_the_signature_space(signed_external: SignedLetter) -> None:
    with pikepdf.open(io.BytesIO(signed_external.pdf)) as pdf:
        widgets = [a for a in pdf.pages[0].get("/Annots", []) if a.get("/FT") == "/Sig" or "/Parent" in a]
        rects = [[float(v) for v in a.Rect] for a in widgets if a.get("/FT") == "/Sig"]
    (box,) = signed_external.rendered.signature_boxes
    assert rects == [pytest.approx(list(box.rect), abs=0.05)]


def test_verification_qr_code_is_on_page_one_and_reads_back(signed_external: SignedLetter) -> None:
    url = "https://saraban.example/verify/0190e3c1-7b2a-7c4e-9d1f-2a3b4c5d6e7f"
    matrix = segno.make(url, error="m").matrix
    modules = len(matrix) + 2 * qr.QUIET_ZONE
    dpi = 300
    tool = need("pdftoppm")
    scale = dpi / 72
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(signed_external.pdf)
        page_h = 841.89
        x, y = int(QR_BOX.x * scale), int((page_h - QR_BOX.y - QR_BOX.height) * scale)
        size = int(QR_BOX.width * scale)
        subprocess.run([tool, "-r", str(dpi), "-f", "1", "-l", "1", "-x", str(x), "-y", str(y), "-W", str(size),
                        "-H", str(size), "-gray", "-png", "-singlefile", str(src), str(Path(d) / "qr")], check=True)
        image = Image.open(Path(d) / "qr.png").convert("L")
    unit = QR_BOX.width * scale / modules
    wrong = 0
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            cx = (col + qr.QUIET_ZONE + 0.5) * unit + (QR_BOX.x * scale - x)
            cy = (row + qr.QUIET_ZONE + 0.5) * unit + ((page_h - QR_BOX.y - QR_BOX.height) * scale - y)
            pixel = image.getpixel((min(int(cx), size - 1), min(int(cy), size - 1)))
            wrong += (pixel < 128) != bool(dark)
    assert wrong == 0  # every module of the printed code equals the code for the URL


def test_qr_cannot_be_added_after_signing(signed_external: SignedLetter) -> None:
    from saraban.signing.errors import QrAfterSignature

    with pytest.raises(QrAfterSignature):
        qr.add_qr(signed_external.pdf, "https://saraban.example/verify/x")


def test_b_lt_embeds_validation_data_and_validates_offline(pki: TestPKI, trust_lt: TrustSettings) -> None:
    letter = render_letter(external())
    signed = sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"), box=letter.signature_boxes[0],
                                           position="ปลัดกระทรวง")], trust_lt)
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        dss = pdf.Root.DSS
        assert len(dss.Certs) >= 4  # signer, issuing CA, root, TSA
        assert len(dss.CRLs) >= 2
    report = validate_pdf(signed, trust_roots=pki.trust_roots)  # nothing but the root: the rest is inside
    assert report.valid, report.text("en")
    assert report.signatures[0].level == "B-LT"
    out = pdfsig(signed)
    assert "Signature is Valid" in out and "Total document signed" in out


def test_b_lta_adds_a_document_timestamp(pki: TestPKI, trust_lt: TrustSettings) -> None:
    letter = render_letter(external())
    signed = sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"), box=letter.signature_boxes[0])],
                      trust_lt, level=Level.B_LTA)
    report = validate_pdf(signed, trust_roots=pki.trust_roots)
    assert report.valid, report.text("en")
    assert [s.kind for s in report.signatures] == ["signature", "timestamp"]
    assert report.signatures[0].level == "B-LTA"
    assert report.signatures[1].signer == "TEST Saraban Time-Stamping Authority"


def test_b_b_has_no_trusted_time(pki: TestPKI, trust: TrustSettings) -> None:
    letter = render_letter(external())
    signed = sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"))], trust, level=Level.B_B)
    report = _validate(signed, pki)
    assert report.valid
    assert report.signatures[0].level == "B-B" and not report.signatures[0].time_trusted
    assert "ไม่มีตราประทับเวลา" in report.text("th")


def test_two_signers_in_order(pki: TestPKI, trust: TrustSettings) -> None:
    joint = dataclasses.replace(external(), signatories=(PERMANENT_SECRETARY, DIRECTOR))
    signed = sign_letter(joint, LetterSigning(
        signers=(LetterSigner(key_file(pki, "person-somchai")), LetterSigner(key_file(pki, "person-kamlai"))),
        trust=trust,
    ))
    report = _validate(signed.pdf, pki)
    assert report.valid, report.text("en")
    assert [s.signer for s in report.signatures] == ["TEST นายสมชาย ใจดี", "TEST นางสาวกำไล น้ำใจดี"]
    first, second = report.signatures
    assert first.coverage == "entire_revision" and not first.modified_after  # the countersignature only
    assert second.coverage == "entire_file"
    out = pdfsig(signed.pdf)
    assert out.count("Signature is Valid") == 2
    assert squash(pdftotext(signed.pdf)) == squash(signed.text)
    boxes = signed.rendered.signature_boxes
    assert len(boxes) == 2 and boxes[0].y > boxes[1].y  # the first signer's space is above


def test_stamped_letter_gets_the_red_seal_with_initials(pki: TestPKI, trust: TrustSettings) -> None:
    signed = sign_letter(stamped(), LetterSigning(
        signers=(LetterSigner(key_file(pki, "seal-mdes")),), trust=trust))
    assert _validate(signed.pdf, pki).valid
    seal = signed.rendered.seal_box
    assert seal is not None
    png = _page_png(signed.pdf, dpi=72)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    top = int(841.89 - seal.y - seal.height)
    region = image.crop((int(seal.x), top, int(seal.x + 4.5 * CM), int(top + seal.height)))
    assert _red_pixels(region) > 400  # two red circles, the agency name and the centre mark
    assert _red_pixels(image.crop((0, 0, image.width, top - 5))) == 0
    assert "ก.น." in signed.text and "ก.น." in pdftotext(signed.pdf)
    assert squash(pdftotext(signed.pdf)) == squash(signed.text)


def test_typed_name_mode(pki: TestPKI) -> None:
    from saraban.kernel.clock import MovableClock, use_clock
    from saraban.signing.errors import IdentityNotVerified

    with pytest.raises(IdentityNotVerified):
        typed_name(VerifiedIdentity("นางสาวข. ตัวอย่าง", ("รองปลัดกระทรวง",), "password", verified=False))
    import datetime as dt

    at = dt.datetime(2024, 3, 5, 3, 42, tzinfo=dt.UTC)
    with use_clock(MovableClock(at)):
        signatory = typed_name(VerifiedIdentity("นางสาวข. ตัวอย่าง", ("รองปลัดกระทรวง",), "ThaID", verified=True))
    assert signatory.typed_at == at and signatory.verified_by == "ThaID"
    letter = render_letter(dataclasses.replace(memo_record(), recorder=signatory))
    assert letter.signature_boxes == ()
    assert "(นางสาวข. ตัวอย่าง)" in letter.text
    assert "๕ มี.ค. ๒๕๖๗ ๑๐.๔๒ น." in letter.text  # system time, in Bangkok
    assert "๕ มี.ค. ๒๕๖๗ ๑๐.๔๒ น." in pdftotext(letter.pdf)


def test_signing_time_comes_from_the_clock(pki: TestPKI, trust: TrustSettings) -> None:
    import datetime as dt

    from saraban.kernel.clock import MovableClock, use_clock

    at = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=30)
    letter = render_letter(external())
    with use_clock(MovableClock(at)):
        signed = sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"), box=letter.signature_boxes[0])],
                          trust)
        report = _validate(signed, pki)
    assert report.signatures[0].signing_time == at  # the TSA stamps the clock's time too
    assert re.search(r"Signing Time: \w+ \d+ \d{4}", pdfsig(signed))


def _red_pixels(image: Image.Image) -> int:
    data = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i] > 170 and data[i + 1] < 90 and data[i + 2] < 90)


def _page_png(pdf: bytes, dpi: int) -> bytes:
    from ..letterpress.pdftools import render_png

    return render_png(pdf, dpi=dpi)
