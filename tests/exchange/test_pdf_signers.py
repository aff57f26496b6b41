"""The signers a letter's PDF names (``build.pdf_signers``), read from its signature fields' padded CMS."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from asn1crypto import cms, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from saraban.exchange.build import pdf_signers

pytestmark = pytest.mark.no_database


def _certificate(name: str) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (cx509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(4242).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _pdf_signed_with(signature: bytes, name: str = "นายทดสอบ ลงนาม") -> bytes:
    """A one-page PDF with one signature field whose CMS (not a valid signature: only read here) ends in
    ``signature``, padded with zeros as a PDF's /Contents is."""
    cert = _certificate(name)
    signer = {"version": "v1", "digest_algorithm": {"algorithm": "sha256"},
              "sid": cms.SignerIdentifier({"issuer_and_serial_number": {"issuer": cert.issuer,
                                                                         "serial_number": cert.serial_number}}),
              "signature_algorithm": {"algorithm": "sha256_ecdsa"}, "signature": signature}
    data = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData({
        "version": "v1", "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "data"}, "certificates": [cert], "signer_infos": [signer]})}).dump()
    assert data.endswith(signature)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    value = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig, Contents=pikepdf.String(data + b"\0" * 64)))
    field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Sig, T=pikepdf.String("Signature1"), V=value))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("last", [b"\x01", b"\x00", b"\x00\x00"])
def test_a_signer_is_named_whatever_the_signature_ends_with(last: bytes) -> None:
    """A signature whose DER ends in zero bytes (1 in 256 real ones) is read whole, not cut at the padding:
    the letter then travels as signed (a flaky ``test_letter_delivered_registered_and_number_back`` showed it)."""
    [signer] = pdf_signers(_pdf_signed_with(b"\x30" * 70 + last))
    assert signer["given"] == "นายทดสอบ ลงนาม" and signer["signature_field"] == "Signature1"


def test_a_pdf_without_signatures_names_none() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    assert pdf_signers(out.getvalue()) == []
