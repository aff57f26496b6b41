"""The receiving side in-process: every refusal is coded, says whether to retry, and stores nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from saraban.demo import federation
from saraban.exchange import cades, envelope, inbox, package
from saraban.exchange import node as node_mod
from saraban.exchange.errors import SbxError
from saraban.exchange.models import InboundMessage
from saraban.kernel import clock as kclock
from saraban.kernel.ids import uuid7
from tests.fixtures import make_pdf


def _seal(fed, code: str) -> cades.SealKey:
    return node_mod.load().seal_for(code)


def _message(fed, *, sender: str = "mdes-ops", recipient: str = "tmd", secrecy: str = "normal", created=None,
             expires=None, mid=None, encrypt: bool = False, subject: str = "เรื่องทดสอบ", signer: str | None = None,
             letter_org: str | None = None, uid=None):
    org, to = (f"th-org:{federation.DEMO_ORGS[c]}" for c in (sender, recipient))
    pdf = make_pdf(subject)
    uid = uid or uuid7()
    code = {"normal": "001", "confidential": "002", "secret": "003", "top_secret": "004"}[secrecy]
    meta = {"letter_uuid": str(uid), "letter_no": "ดศ 0201/1", "letter_date": "2026-03-01", "letter_kind": "external",
            "subject": subject, "secrecy": {"code": code, "label": "x"}, "urgency": {"code": "001", "label": "ปกติ"},
            "sender": {"org": letter_org or org}, "addressees": [{"org": to}], "send_date": "2026-03-01",
            "main_document": {"path": "documents/letter.pdf", "media_type": "application/pdf",
                              "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}}
    payload = package.build(meta, [package.FilePart("documents/letter.pdf", pdf)], _seal(fed, sender))
    enc_sha = None
    if encrypt:
        from saraban.exchange import crypto_box, directory

        cert = directory.encryption_cert(directory.participant(recipient))
        payload = crypto_box.encrypt(payload, cert)
        enc_sha = node_mod.cert_sha256(cert)
    now = created or kclock.now()
    env = envelope.build(message_id=mid or uuid7(), kind="letter", letter_uuid=uid, sender_org=org, recipient_org=to,
                         urgency="normal", secrecy=secrecy, created_at=now,
                         expires_at=expires or now + dt.timedelta(hours=1),
                         payload={"media_type": "application/vnd.etsi.asic-e+zip", "size": len(payload),
                                  "sha256": hashlib.sha256(payload).hexdigest(), "encrypted": encrypt,
                                  "encrypted_for_cert_sha256": enc_sha})
    return env, cades.sign(env, _seal(fed, signer or sender)), payload


def _receive(env, sig, payload, peer=None):
    peer = peer if peer is not None else node_mod.load().client_sha256
    return inbox.receive_message(env, sig, payload, peer_sha256=peer, route="local")


def _refused(code: str, *args, **kwargs) -> SbxError:
    before = InboundMessage.objects.count()
    with pytest.raises(SbxError) as info:
        _receive(*args, **kwargs)
    assert info.value.code == code, info.value
    assert info.value.retry is False
    assert InboundMessage.objects.count() == before
    body = info.value.problem("m")
    assert body["code"] == code and body["retry"] is False and body["detail_th"] and body["detail_en"]
    return info.value


def test_first_time_202_repeat_200_same_receipt_conflict_409(sbx, clock) -> None:
    env, sig, payload = _message(sbx)
    first = _receive(env, sig, payload)
    again = _receive(env, sig, payload)
    assert (first.status, again.status) == (202, 200)
    assert (again.envelope, again.signature, again.receipt_id) == (first.envelope, first.signature, first.receipt_id)
    receipt = envelope.parse(first.envelope)
    assert receipt.signal == "delivered" and receipt.evidence.payload_sha256 == hashlib.sha256(payload).hexdigest()
    mid = json.loads(env)["message_id"]
    env2, sig2, payload2 = _message(sbx, mid=__import__("uuid").UUID(mid), subject="ฉบับอื่น")
    err = _refused("CONFLICT", env2, sig2, payload2)
    assert err.status == 409
    assert InboundMessage.objects.filter(message_id=mid).count() == 1


def test_bad_input_is_refused_with_its_code(sbx, clock) -> None:
    env, sig, payload = _message(sbx)
    tampered = bytearray(payload)
    tampered[-100] ^= 1
    assert _refused("PACKAGE_INVALID", env, sig, bytes(tampered)).status == 400
    _refused("SIGNATURE_INVALID", env.replace(b'"normal"', b'"normal" ', 1) if b'"normal"' in env else env + b" ", sig,
             payload)
    _refused("SIGNATURE_INVALID", *_message(sbx, signer="nso"))  # sealed by another agency's seal
    _refused("SENDER_MISMATCH", env, sig, payload, peer="0" * 64)
    _refused("SENDER_NOT_AUTHENTICATED", env, sig, payload, peer="")
    _refused("UNKNOWN_RECIPIENT", env.replace(b"th-org:1100500000", b"th-org:9999999999"), sig, payload)
    _refused("ENVELOPE_INVALID", b"{not json", sig, payload)
    _refused("ENVELOPE_INVALID", env.replace(b'"kind":"letter"', b'"kind":"memo"'), sig, payload)
    _refused("UNSUPPORTED_VERSION", env.replace(b"sbx/1.0", b"sbx/2.0"), sig, payload)
    past = kclock.now() - dt.timedelta(hours=3)
    _refused("EXPIRED", *_message(sbx, created=past, expires=past + dt.timedelta(hours=1)))
    _refused("ENVELOPE_INVALID", *_message(sbx, created=kclock.now() + dt.timedelta(minutes=11)))
    _refused("CLASSIFICATION_NOT_ACCEPTED", *_message(sbx, secrecy="top_secret"))
    _refused("CLASSIFICATION_NOT_ACCEPTED", *_message(sbx, secrecy="confidential"))  # not encrypted
    _refused("PACKAGE_INVALID", *_message(sbx, letter_org="th-org:1100600000"))  # letter.json names another sender
    _refused("PACKAGE_INVALID", env, sig, b"PK\x03\x04 not a zip")


def test_size_limit(sbx, clock, monkeypatch) -> None:
    monkeypatch.setenv("SARABAN_SBX_MAX_MESSAGE_MB", "0.01")
    err = _refused("SIZE_LIMIT_EXCEEDED", *_message(sbx))
    assert err.status == 413


def test_classified_payload_encrypted_to_the_recipient(sbx, clock) -> None:
    env, sig, payload = _message(sbx, secrecy="secret", encrypt=True, subject="เรื่องลับมาก")
    assert b"documents/letter.pdf" not in payload and "เรื่องลับมาก".encode() not in payload
    r = _receive(env, sig, payload)
    m = InboundMessage.objects.get(receipt_id=r.receipt_id)
    assert m.secrecy == "secret" and m.package.encrypted  # the decrypted package is encrypted at rest
    assert "เรื่องลับมาก".encode() not in bytes(m.envelope)
