"""Two real nodes (separate processes and databases, mutual TLS on loopback) exchanging letters by SBX."""

from __future__ import annotations

import datetime as dt
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.exchange import twonodes as tn
from tests.exchange.helpers import signed_pdf
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.live, pytest.mark.backend("postgresql")]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[tn.SbxNode, tn.SbxNode, Path]]:
    from saraban.demo import federation
    from saraban.orgs import directory as org_directory

    tmp = tmp_path_factory.mktemp("two-nodes")
    fed = tmp / "federation"
    a, b = tn.start_pair(tmp, fed, federation.agencies_from_org(org_directory.DEMO_FILE))
    try:
        yield a, b, fed
    finally:
        tn.stop_pair(a, b)


def _inbox(b: tn.SbxNode, message_id: str) -> list[dict[str, Any]]:
    return [m for m in b.cli("inbox", "--limit", "1000") if m["message_id"] == message_id]


def test_delivered_with_signed_receipt_then_registered_number_back(pair) -> None:
    from cryptography import x509

    from saraban.exchange import cades, envelope
    from saraban.exchange.cades import Trust

    a, b, fed = pair
    subject = "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝนรายเดือน (ทดสอบสองระบบ)"
    letter = tn.issue(a, subject, signed_pdf(str(fed / "pki")))
    [row] = tn.dispatch(a, letter["id"], ["tmd"])
    assert row["status"] == "queued" and row["recipient"] == "tmd"
    done = tn.wait_status(a, letter["id"], "delivered")
    assert done["receipt_id"].startswith("rcpt-") and done["signed"] is True

    # the receipt, fetched again from B over mutual TLS, is signed by กรมอุตุนิยมวิทยา's seal and echoes the digests
    mid = done["message_id"]
    with tn.tls_client(fed, "a") as c:
        r = c.get(f"{b.endpoint}/messages/{mid}/receipt")
    assert r.status_code == 200
    from saraban.exchange import wire

    env_part, sig_part = wire.decode(r.headers["content-type"], r.content)
    pki = fed / "pki"
    trust = Trust((x509.load_pem_x509_certificate((pki / "root.crt").read_bytes()),),
                  (x509.load_pem_x509_certificate((pki / "intermediate.crt").read_bytes()),))
    tmd_seal = x509.load_pem_x509_certificate((pki / "seal-tmd.crt").read_bytes())
    report = cades.verify(env_part.data, sig_part.data, trust=trust,
                          allowed_sha256={cades.sha256_hex(cades.der(tmd_seal))})
    assert report.level == "B-T"
    receipt = envelope.parse(env_part.data)
    assert receipt.signal == "delivered" and str(receipt.in_reply_to) == mid
    assert receipt.evidence is not None and receipt.evidence.receipt_id == done["receipt_id"]
    with pytest.raises(cades.CmsInvalid):
        cades.verify(env_part.data.replace(b"delivered", b"Delivered"), sig_part.data, trust=trust)

    # B: in the registrar's queue with the metadata filled in; registering it sends the number back
    [item] = tn.wait_for(lambda: tn.intake_items(b, subject), 60, what="intake item on B")
    assert item["channel"] == "sbx" and item["metadata"]["their_ref"] == letter["registration"]["display"]
    assert item["metadata"]["letter_uuid"] == letter["letter_uuid"] and item["urgency"] == "very_urgent"
    with b.api("tmd-registrar") as c:
        reg = c.post(f"/intake/{item['id']}/register", json={})
    assert reg.status_code == 201, reg.text
    display = reg.json()["registration"]["display"]
    registered = tn.wait_status(a, letter["id"], "registered")
    assert registered["registration_display"] == display
    assert registered["registration_no"] == str(reg.json()["registration"]["number"])
    assert reg.json()["letter_uuid"] == letter["letter_uuid"]


def test_receiver_down_then_up_delivered_exactly_once(pair) -> None:
    a, b, _fed = pair
    subject = "ทดสอบปลายทางปิดระบบชั่วคราว"
    b.stop_sbx()
    try:
        letter = tn.issue(a, subject, make_pdf(subject))
        tn.dispatch(a, letter["id"], ["tmd"])
        row = tn.wait_for(lambda: next((r for r in tn.dispatch_status(a, letter["id"]) if r["attempts"] >= 2), None),
                          30, what="two failed attempts")
        assert row["status"] == "queued" and "NETWORK" in (row["last_error"] or "")
    finally:
        b.start_sbx()
    done = tn.wait_status(a, letter["id"], "delivered", 60)
    assert len(_inbox(b, done["message_id"])) == 1
    assert len(tn.wait_for(lambda: tn.intake_items(b, subject), 60)) == 1


def test_response_lost_after_commit_retry_gets_same_receipt(pair) -> None:
    a, b, _fed = pair
    subject = "ทดสอบคำตอบหายหลังปลายทางบันทึกแล้ว"
    b.stop_sbx()
    b.start_sbx(SARABAN_SBX_TEST_DROP_RESPONSES="1")
    try:
        letter = tn.issue(a, subject, make_pdf(subject))
        tn.dispatch(a, letter["id"], ["tmd"])
        done = tn.wait_status(a, letter["id"], "delivered", 60)
    finally:
        b.stop_sbx()
        b.start_sbx()
    assert done["attempts"] >= 2
    [stored] = _inbox(b, done["message_id"])
    assert stored["receipt_id"] == done["receipt_id"]
    assert len(tn.wait_for(lambda: tn.intake_items(b, subject), 60)) == 1


def test_tampered_and_conflicting_and_unauthenticated_messages_refused(pair) -> None:
    from saraban.exchange import wire

    _a, b, fed = pair
    url = f"{b.endpoint}/messages"
    pdf = make_pdf("ข้อความปลอม")
    with tn.tls_client(fed, "a") as c:
        env, sig, payload, mid = tn.crafted(fed, pdf=pdf)
        tampered = bytearray(payload)
        tampered[len(tampered) // 2] ^= 0x01
        r = tn.post(c, url, env, sig, bytes(tampered))
        assert (r.status_code, r.json()["code"], r.json()["retry"]) == (400, "PACKAGE_INVALID", False)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert _inbox(b, str(mid)) == []

        r = tn.post(c, url, env, sig, payload)
        assert r.status_code == 202
        first = [p.data for p in wire.decode(r.headers["content-type"], r.content)]
        r = tn.post(c, url, env, sig, payload)
        assert r.status_code == 200 and [p.data for p in wire.decode(r.headers["content-type"], r.content)] == first

        env2, sig2, payload2, _ = tn.crafted(fed, pdf=make_pdf("อีกฉบับ"), message_id=mid)
        r = tn.post(c, url, env2, sig2, payload2)
        assert (r.status_code, r.json()["code"]) == (409, "CONFLICT")
        assert len(_inbox(b, str(mid))) == 1

        r = tn.post(c, url, env.replace(b'"kind":"letter"', b'"kind":"letter" '), sig, payload)
        assert (r.status_code, r.json()["code"]) == (403, "SIGNATURE_INVALID")

        env3, sig3, payload3, mid3 = tn.crafted(fed, pdf=pdf, spec="sbx/2.0")
        assert tn.post(c, url, env3, sig3, payload3).json()["code"] == "UNSUPPORTED_VERSION"
        past, future = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2), dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
        env4, sig4, payload4, mid4 = tn.crafted(fed, pdf=pdf, created_at=past)
        assert tn.post(c, url, env4, sig4, payload4).json()["code"] == "EXPIRED"
        env5, sig5, payload5, mid5 = tn.crafted(fed, pdf=pdf, created_at=future)
        assert tn.post(c, url, env5, sig5, payload5).json()["code"] == "ENVELOPE_INVALID"
        env6, sig6, payload6, mid6 = tn.crafted(fed, pdf=pdf, recipient="nso")
        assert tn.post(c, url, env6, sig6, payload6).json()["code"] == "UNKNOWN_RECIPIENT"
        assert all(_inbox(b, str(m)) == [] for m in (mid3, mid4, mid5, mid6))

    # B's own client certificate, but the envelope says the sender is an agency of A
    with tn.tls_client(fed, "b") as c:
        env7, sig7, payload7, mid7 = tn.crafted(fed, pdf=pdf)
        r = tn.post(c, url, env7, sig7, payload7)
        assert (r.status_code, r.json()["code"]) == (403, "SENDER_MISMATCH")
    # no client certificate at all
    with tn.anonymous_tls_client(fed) as c:
        r = tn.post(c, url, env7, sig7, payload7)
        assert (r.status_code, r.json()["code"]) == (401, "SENDER_NOT_AUTHENTICATED")
        assert c.get(f"https://127.0.0.1:{b.port}/.well-known/sbx").json()["entries"][0]["code"] == "tmd"
    assert _inbox(b, str(mid7)) == []


def test_expiry_fails_and_offers_the_fallback(pair) -> None:
    a, b, _fed = pair
    subject = "ทดสอบหมดอายุการส่ง"
    b.stop_sbx()
    try:
        letter = tn.issue(a, subject, make_pdf(subject))
        tn.dispatch(a, letter["id"], ["tmd"], ttl_seconds=3)
        row = tn.wait_status(a, letter["id"], "failed", 30)
    finally:
        b.start_sbx()
    assert row["reason_code"] == "EXPIRED" and row["attempts"] >= 2
    assert row["fallback"] == {"email": "saraban@tmd.mdes.test", "paper": True,
                               "channels": ["email", "post", "messenger"]}
    with a.api("registrar") as c:
        r = c.post(f"/exchange/dispatches/{row['id']}/fallback", json={"channel": "email", "evidence": "<abc@mdes>"})
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == "email" and r.json()["status"] == "sent" and r.json()["fallback_of"] == row["id"]
    rows = tn.dispatch_status(a, letter["id"])
    assert [x["status"] for x in rows] == ["failed", "sent"] and rows[0]["fallback"] is None


def test_sender_worker_killed_mid_send_nothing_lost_nothing_twice(pair) -> None:
    a, b, _fed = pair
    b.stop_sbx()
    b.start_sbx(SARABAN_SBX_TEST_DELAY_MS="400")  # keep sends in flight
    subjects = [f"ทดสอบหยุดกระบวนการส่งกลางคัน {i}" for i in range(10)]
    letters = [tn.issue(a, s, make_pdf(s)) for s in subjects]
    try:
        for letter in letters:
            tn.dispatch(a, letter["id"], ["tmd"])
        tn.wait_for(lambda: any(tn.dispatch_status(a, x["id"])[0]["status"] == "delivered" for x in letters), 60)
        a.stop_sbx(signal.SIGKILL)
        pending = [x for x in letters if tn.dispatch_status(a, x["id"])[0]["status"] == "queued"]
        assert pending, "the kill came too late to catch sends in flight"
        a.start_sbx()
        rows = [tn.wait_status(a, x["id"], "delivered", 90) for x in letters]
    finally:
        b.stop_sbx()
        b.start_sbx()
    inbox = {m["message_id"]: m for m in b.cli("inbox", "--limit", "1000")}
    for row in rows:
        assert inbox[row["message_id"]]["receipt_id"] == row["receipt_id"]
    for s in subjects:
        assert len(tn.wait_for(lambda s=s: tn.intake_items(b, s), 60)) == 1
    assert len({r["message_id"] for r in rows}) == len(letters)
    assert all(uuid.UUID(r["message_id"]).version == 7 for r in rows)
