"""A person's key on a PKCS#11 token (SoftHSM2) registered for the drafting flow: a letter signed with
it, and the token's failures — wrong PIN, token not present, module missing — as clear coded errors
that leave nothing behind."""

from __future__ import annotations

import pytest

from saraban.drafting import keys, signing_flow, trust
from saraban.drafting.actions.keys import register_key
from saraban.drafting.models import KeyBackend, SignerKey
from saraban.kernel.errors import SarabanError
from saraban.letters.models import Letter
from saraban.signing.pki import TestPKI
from saraban.signing.softhsm import SoftToken, put_credential
from saraban.signing.validate import validate_pdf
from saraban.storage import blobs
from tests.drafting.flow import approved, demo_pki_dir, person, signing  # noqa: F401 - fixtures
from tests.fixtures import user

from ..letterpress.pdftools import pdfsig

pytestmark = pytest.mark.django_db


def test_signing_with_a_pkcs11_token(signing, soft_token: SoftToken, demo_pki_dir) -> None:  # noqa: F811
    cred = TestPKI.load(demo_pki_dir).person("permsec")
    put_credential(soft_token, cred, "permsec-demo", key_id=b"\x07")
    key = register_key(None, person=person("permsec"), backend=KeyBackend.PKCS11, path=str(soft_token.module),
                       token_label=soft_token.label, key_label="permsec-demo", raw_mechanism=True,
                       pin=soft_token.pin)
    assert key.cert_sha256 == keys.fingerprint(cred.cert) and key.backend == "pkcs11"
    draft = approved()

    for pin, code in (("0000", "pin_incorrect"), ("", "pin_required")):
        with pytest.raises(SarabanError) as exc:
            signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": pin})
        assert exc.value.code == code
    SignerKey.objects.filter(pk=key.pk).update(token_label="not-plugged-in")
    with pytest.raises(SarabanError) as exc:
        signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": soft_token.pin})
    assert exc.value.code == "token_missing" and "token" in exc.value.message_en
    SignerKey.objects.filter(pk=key.pk).update(token_label=soft_token.label, path="/nonexistent/libpkcs11.so")
    with pytest.raises(SarabanError) as exc:
        signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": soft_token.pin})
    assert exc.value.code == "token_missing"
    assert not Letter.objects.exists()

    SignerKey.objects.filter(pk=key.pk).update(path=str(soft_token.module))
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": soft_token.pin})
    pdf = blobs.read(record.signed_file.blob)
    report = validate_pdf(pdf, **trust.validation_args())
    assert report.valid and report.signatures[0].signer.startswith("TEST")
    assert "Signature is Valid" in pdfsig(pdf)
    assert record.number == "ดศ 0204/1"
