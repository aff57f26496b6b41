"""Signing with a key on a PKCS#11 token (SoftHSM2), and the token errors."""

from __future__ import annotations

import dataclasses

import pytest

from saraban.letterpress.examples import external
from saraban.letterpress.render import render_letter
from saraban.signing.errors import KeyMissing, PinIncorrect, TokenMissing
from saraban.signing.pades import Signing, TrustSettings, sign_pdf
from saraban.signing.pki import TestPKI
from saraban.signing.signers import KeySource
from saraban.signing.softhsm import SoftToken
from saraban.signing.validate import validate_pdf

from ..letterpress.pdftools import pdfsig

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_sign_with_a_token(soft_token: SoftToken, pki: TestPKI, trust: TrustSettings) -> None:
    key = soft_token.key_source("somchai", credential=pki.person("somchai"))
    assert isinstance(key, KeySource)
    letter = render_letter(external())
    signed = sign_pdf(letter.pdf, [Signing(key=key, box=letter.signature_boxes[0], position="ปลัดกระทรวง")], trust)
    report = validate_pdf(signed, trust_roots=pki.trust_roots)
    assert report.valid, report.text("en")
    assert report.signatures[0].signer == "TEST นายสมชาย ใจดี"
    assert "Signature is Valid" in pdfsig(signed)


def test_wrong_pin(soft_token: SoftToken, pki: TestPKI, trust: TrustSettings) -> None:
    key = soft_token.key_source("somchai", pin="0000")
    with pytest.raises(PinIncorrect) as err:
        sign_pdf(render_letter(external()).pdf, [Signing(key=key)], trust)
    assert err.value.code == "pin_incorrect"


def test_missing_token(soft_token: SoftToken, trust: TrustSettings) -> None:
    key = dataclasses.replace(soft_token.key_source("somchai"), token_label="not-plugged-in")
    with pytest.raises(TokenMissing) as err:
        sign_pdf(render_letter(external()).pdf, [Signing(key=key)], trust)
    assert err.value.code == "token_missing" and "token" in err.value.message_en.lower()


def test_missing_key_on_the_token(soft_token: SoftToken, trust: TrustSettings) -> None:
    with pytest.raises(KeyMissing):
        sign_pdf(render_letter(external()).pdf, [Signing(key=soft_token.key_source("nobody"))], trust)
