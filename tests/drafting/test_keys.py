"""Registering signing keys (``saraban signing …``): a person's key file, an agency seal with a stored
PIN, replacing a key, and clear errors for a wrong password or a seal without a stored PIN."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from saraban.drafting.models import SignerKey
from saraban.kernel.errors import SarabanError

from .flow import PIN, person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("signing", *args, stdout=out)
    return out.getvalue()


def test_signing_cli(signing, demo_pki_dir, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DIRECTOR_PIN", PIN)
    old = SignerKey.objects.get(person=person("director"), active=True)
    out = run("add-keyfile", "--person", "director", "--file", str(demo_pki_dir / "person-director.p12"),
              "--pin-env", "DIRECTOR_PIN")
    assert "registered: CN=TEST นายประเสริฐ บริหารดี" in out
    new = SignerKey.objects.get(person=person("director"), active=True)
    assert new.pk != old.pk and SignerKey.objects.filter(pk=old.pk, active=False).exists()
    assert new.cert_sha256 == old.cert_sha256 and new.test

    monkeypatch.setenv("DIRECTOR_PIN", "not-the-password")
    with pytest.raises(CommandError, match="pin_incorrect"):
        run("add-keyfile", "--person", "director", "--file", str(demo_pki_dir / "person-director.p12"),
            "--pin-env", "DIRECTOR_PIN")
    with pytest.raises(CommandError, match="no person"):
        run("add-keyfile", "--person", "nobody", "--file", "x.p12", "--pin-env", "DIRECTOR_PIN")

    pin_file = tmp_path / "seal-pin"
    pin_file.write_text(PIN)
    out = run("add-seal", "--agency", "tmd", "--file", str(demo_pki_dir / "seal-tmd.p12"), "--pin-ref",
              f"file:{pin_file}")
    assert "TEST agency seal tmd" in out
    with pytest.raises(CommandError, match="key_missing"):
        run("add-seal", "--agency", "tmd", "--file", str(demo_pki_dir / "seal-tmd.p12"), "--pin-ref", "env:NOPE")

    check = run("check")
    assert "time-stamping authority: local (TEST)" in check and "level: PAdES B-LT" in check
    assert "TEST Saraban Root CA" in check and "seal of tmd" in check


def test_a_seal_key_needs_a_stored_pin(signing, demo_pki_dir) -> None:
    from saraban.drafting.actions.keys import register_key
    from saraban.orgs.models import Agency

    with pytest.raises(SarabanError) as exc:
        register_key(None, agency=Agency.objects.get(code="tmd"), path=str(demo_pki_dir / "seal-tmd.p12"),
                     pin=PIN)
    assert exc.value.code == "seal_pin_required"
