"""Bad input: tampered files, unknown, expired and revoked certificates, wrong passwords, the wrong
signer, a dead TSA — each a clear error with a code and Thai and English messages, nothing signed."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from saraban.kernel import clock
from saraban.kernel.errors import SarabanError
from saraban.letterpress.examples import external
from saraban.letterpress.render import RenderedLetter, render_letter
from saraban.signing.errors import (
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    DocumentTampered,
    KeyMissing,
    PdfInvalid,
    PinIncorrect,
    SignerNotApproved,
    TimestampFailed,
)
from saraban.signing.pades import (
    Level,
    SignedLetter,
    Signing,
    TrustSettings,
    expect_certificate,
    expect_email,
    sign_pdf,
    write_atomic,
)
from saraban.signing.pki import PersonSpec, TestPKI
from saraban.signing.signers import KeyFile
from saraban.signing.tsa import HttpTimeStamper
from saraban.signing.validate import validate_pdf

from ..letterpress.pdftools import pdfsig
from .keys import PASSWORD, key_file

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


@pytest.fixture(scope="module")
def letter() -> RenderedLetter:
    return render_letter(external())


def _sign(letter: RenderedLetter, key: KeyFile, trust: TrustSettings, **kw: object) -> bytes:
    return sign_pdf(letter.pdf, [Signing(key=key, box=letter.signature_boxes[0], **kw)], trust)  # type: ignore[arg-type]


def _assert_clear(err: SarabanError, code: str) -> None:
    body = err.as_dict()
    assert body["code"] == code
    assert body["message_th"] and any("\u0e00" <= ch <= "\u0e7f" for ch in body["message_th"])
    assert body["message_en"] and body["message_en"].isascii()


# --- tampering -----------------------------------------------------------------------------------


def test_one_byte_change_is_invalid_for_us_and_for_pdfsig(signed_external: SignedLetter, pki: TestPKI) -> None:
    pdf = bytearray(signed_external.pdf)
    at = pdf.index(b"WeasyPrint")  # the Producer entry, inside the signed range
    pdf[at] = ord("X")
    report = validate_pdf(bytes(pdf), trust_roots=pki.trust_roots)
    assert not report.valid
    assert "digest_mismatch" in report.signatures[0].problems
    assert "ไม่ถูกต้อง" in report.text("th")
    out = pdfsig(bytes(pdf))
    assert "Signature is Valid" not in out
    assert "Invalid" in out or "Mismatch" in out


def _with_added_page_content(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 100 400 300 60 re f Q")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_added_page_content_after_signing_is_invalid_for_us_and_for_pdfsig(
    signed_external: SignedLetter, pki: TestPKI
) -> None:
    tampered = _with_added_page_content(signed_external.pdf)
    report = validate_pdf(tampered, trust_roots=pki.trust_roots)
    assert not report.valid
    sig = report.signatures[0]
    assert sig.intact and sig.modified_after and not sig.whole_document
    assert "modified_after_signing" in sig.problems
    assert "แก้ไขหลังลงนาม: ใช่" in report.text("th")
    out = pdfsig(tampered)
    assert "Not total document signed" in out  # poppler: the signature no longer covers the file


def test_countersigning_a_tampered_document_is_refused(
    signed_external: SignedLetter, pki: TestPKI, trust: TrustSettings
) -> None:
    tampered = _with_added_page_content(signed_external.pdf)
    with pytest.raises(DocumentTampered) as err:
        sign_pdf(tampered, [Signing(key=key_file(pki, "person-kamlai"))], trust)
    _assert_clear(err.value, "document_tampered")


def test_not_a_pdf(pki: TestPKI, trust: TrustSettings) -> None:
    with pytest.raises(PdfInvalid):
        sign_pdf(b"hello", [Signing(key=key_file(pki, "person-somchai"))], trust)
    with pytest.raises(PdfInvalid):
        sign_pdf(b"%PDF-1.7 nonsense", [Signing(key=key_file(pki, "person-somchai"))], trust)
    report = validate_pdf(b"%PDF-1.7 nonsense", trust_roots=pki.trust_roots)
    assert not report.valid and report.problems == ("pdf_unreadable",)


def test_unsigned_document_has_no_valid_signature(letter: RenderedLetter, pki: TestPKI) -> None:
    report = validate_pdf(letter.pdf, trust_roots=pki.trust_roots)
    assert not report.valid and report.problems == ("no_signature",)


# --- certificates --------------------------------------------------------------------------------


def test_unknown_certificate_is_refused_and_reported(
    letter: RenderedLetter, pki: TestPKI, other_pki: TestPKI, trust: TrustSettings, signed_external: SignedLetter
) -> None:
    stranger = key_file(other_pki, "person-somchai")
    with pytest.raises(CertificateUntrusted) as err:
        _sign(letter, stranger, trust)
    _assert_clear(err.value, "certificate_untrusted")
    # and a letter signed in our PKI is untrusted for someone who trusts another root
    report = validate_pdf(signed_external.pdf, trust_roots=other_pki.trust_roots)
    assert not report.valid
    assert "certificate_untrusted" in report.signatures[0].problems
    assert report.signatures[0].intact  # the content itself is untouched


def test_expired_and_not_yet_valid_certificates_are_refused(
    letter: RenderedLetter, pki: TestPKI, trust: TrustSettings
) -> None:
    now = clock.now()
    pki.issue_person(PersonSpec("old", "นายเก่า หมดอายุ"), not_before=now - dt.timedelta(days=800),
                     not_after=now - dt.timedelta(days=1))
    with pytest.raises(CertificateExpired) as err:
        _sign(letter, key_file(pki, "person-old"), trust)
    _assert_clear(err.value, "certificate_expired")
    pki.issue_person(PersonSpec("early", "นายใหม่ ยังไม่ถึงเวลา"), not_before=now + dt.timedelta(days=1),
                     not_after=now + dt.timedelta(days=30))
    with pytest.raises(CertificateExpired):
        _sign(letter, key_file(pki, "person-early"), trust)


def test_revoked_certificate_is_refused(letter: RenderedLetter, pki: TestPKI, timestamper: HttpTimeStamper) -> None:
    cred = pki.issue_person(PersonSpec("revoked", "นายถูก เพิกถอน"))
    pki.revoke(cred)
    trust = TrustSettings(trust_roots=tuple(pki.trust_roots), other_certs=(pki.intermediate.cert, pki.tsa.cert),
                          crls=tuple(pki.crls()), timestamper=timestamper)
    with pytest.raises(CertificateRevoked) as err:
        _sign(letter, key_file(pki, "person-revoked"), trust)
    _assert_clear(err.value, "certificate_revoked")


def test_signature_made_while_the_certificate_was_valid_stays_valid_later(
    signed_external: SignedLetter, letter: RenderedLetter, pki: TestPKI, trust_lt: TrustSettings
) -> None:
    # Three years on, the signer's certificate (2 years) has expired and the CRLs in the file are
    # stale; the trusted time-stamp shows the signature was made while all was in force.
    later = clock.now() + dt.timedelta(days=3 * 365)
    report = validate_pdf(signed_external.pdf, trust_roots=pki.trust_roots,
                          other_certs=[pki.intermediate.cert], moment=later)
    assert report.valid, report.text("en")
    assert report.signatures[0].validated_at is not None
    assert "ณ เวลาลงนาม" in report.text("th")
    b_lt = _sign(letter, key_file(pki, "person-somchai"), trust_lt)
    assert validate_pdf(b_lt, trust_roots=pki.trust_roots, moment=later).valid
    # but a signature without a time-stamp cannot prove when it was made
    b_b = sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"))], trust_lt, level=Level.B_B)
    old = validate_pdf(b_b, trust_roots=pki.trust_roots, other_certs=[pki.intermediate.cert], moment=later)
    assert not old.valid


# --- keys and signers ------------------------------------------------------------------------------


def test_wrong_password_and_missing_key_file(letter: RenderedLetter, pki: TestPKI, trust: TrustSettings) -> None:
    with pytest.raises(PinIncorrect) as err:
        _sign(letter, key_file(pki, "person-somchai", password="wrong"), trust)
    _assert_clear(err.value, "pin_incorrect")
    with pytest.raises(KeyMissing):
        _sign(letter, KeyFile(pki.directory / "nobody.p12", PASSWORD), trust)


def test_pem_key_file_signs(letter: RenderedLetter, pki: TestPKI, trust: TrustSettings) -> None:
    cred = pki.person("kamlai")
    key = KeyFile(pki.directory / f"{cred.id}.key", None, cert=pki.directory / f"{cred.id}.crt",
                  chain=(pki.directory / "intermediate.crt",))
    signed = _sign(letter, key, trust)
    assert validate_pdf(signed, trust_roots=pki.trust_roots).valid


def test_only_the_approved_signer_may_sign(letter: RenderedLetter, pki: TestPKI, trust: TrustSettings) -> None:
    somchai = key_file(pki, "person-somchai")
    with pytest.raises(SignerNotApproved) as err:
        _sign(letter, somchai, trust, expected=expect_email("kamlai@mdes.go.th"))
    _assert_clear(err.value, "signer_not_approved")
    with pytest.raises(SignerNotApproved):
        _sign(letter, somchai, trust, expected=expect_certificate(pki.person("kamlai").cert))
    signed = _sign(letter, somchai, trust, expected=expect_certificate(pki.person("somchai").cert))
    assert validate_pdf(signed, trust_roots=pki.trust_roots).valid
    assert validate_pdf(_sign(letter, somchai, trust, expected=expect_email("SOMCHAI@mdes.go.th")),
                        trust_roots=pki.trust_roots).valid


def test_dead_tsa_is_a_clear_error(letter: RenderedLetter, pki: TestPKI) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens there
    dead = HttpTimeStamper(f"http://127.0.0.1:{port}/", timeout=2)
    trust = TrustSettings(trust_roots=tuple(pki.trust_roots), other_certs=(pki.intermediate.cert,),
                          timestamper=dead)
    with pytest.raises(TimestampFailed) as err:
        _sign(letter, key_file(pki, "person-somchai"), trust)
    _assert_clear(err.value, "timestamp_failed")
    no_tsa = TrustSettings(trust_roots=tuple(pki.trust_roots))
    with pytest.raises(TimestampFailed):
        sign_pdf(letter.pdf, [Signing(key=key_file(pki, "person-somchai"))], no_tsa, level=Level.B_T)


def test_nothing_is_half_signed(letter: RenderedLetter, pki: TestPKI, trust: TrustSettings, tmp_path: object) -> None:
    # The second signer fails: sign_pdf raises and returns nothing, the target file is never created.
    good = Signing(key=key_file(pki, "person-somchai"), box=letter.signature_boxes[0])
    bad = Signing(key=key_file(pki, "person-kamlai", password="wrong"))
    target = tmp_path / "signed.pdf"  # type: ignore[operator]
    with pytest.raises(PinIncorrect):
        write_atomic(target, sign_pdf(letter.pdf, [good, bad], trust))
    assert not target.exists()
    write_atomic(target, b"%PDF-complete")
    assert target.read_bytes() == b"%PDF-complete"
    assert os.listdir(tmp_path) == ["signed.pdf"]  # no temporary file left behind
