"""The outbox (retries with back-off, expiry, final errors, receipts checked) and the signed directory."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from saraban.exchange import actions, directory, refresh, schemas, transport
from saraban.exchange.errors import DirectoryInvalid
from saraban.exchange.models import DirectoryVersion, Dispatch, InboundMessage, OutboxMessage
from saraban.exchange.outbox import worker
from saraban.letters.models import Letter
from tests.exchange.conftest import pump
from tests.exchange.helpers import issue
from tests.fixtures import user


def _send(recipients=("tmd",), **kw):
    return actions.dispatch(user("registrar"), Letter.objects.get(pk=issue().letter_id), list(recipients), **kw)


def test_network_failures_back_off_then_expire_with_fallback(sbx, clock, fake_transport, monkeypatch) -> None:
    monkeypatch.setenv("SARABAN_SBX_BACKOFF", "30,120,600")
    fake_transport.fail("NETWORK", "connection refused", times=2)
    [d] = _send(ttl=dt.timedelta(minutes=20))
    msg = OutboxMessage.objects.get(dispatch=d)
    assert worker.deliver_due() == {"retry": 1}
    msg.refresh_from_db()
    delay = (msg.next_attempt_at - clock.now()).total_seconds()
    assert 15 <= delay <= 30 and msg.last_error_code == "NETWORK"  # first step, with jitter
    assert worker.deliver_due() == {}  # not due yet
    clock.advance(seconds=31)
    assert worker.deliver_due() == {"retry": 1}
    msg.refresh_from_db()
    assert 60 <= (msg.next_attempt_at - clock.now()).total_seconds() <= 120
    first_envelope = bytes(msg.envelope)
    clock.advance(minutes=25)
    assert worker.deliver_due() == {"failed": 1}
    d.refresh_from_db()
    assert (d.status, d.reason_code) == ("failed", "EXPIRED")
    calls = [json.loads(s.message.envelope)["message_id"] for s in fake_transport.sent]
    assert len(set(calls)) == 1 and len(calls) == 2  # one message id for every attempt
    assert InboundMessage.objects.count() == 0  # nothing reached the recipient
    msg.refresh_from_db()
    assert bytes(msg.envelope) == first_envelope and msg.attempts == 3
    from saraban.exchange import queries

    assert queries.fallback(d) == {"email": "saraban@tmd.mdes.test", "paper": True,
                                   "channels": ["email", "post", "messenger"]}
    fb = actions.record_fallback(user("registrar"), d, "post", "EMS TH1234567")
    assert fb.status == "sent" and fb.fallback_of_id == d.pk and queries.fallback(d) is None


def test_a_timeout_is_retried_with_the_same_message(sbx, clock, fake_transport) -> None:
    fake_transport.time_out()
    [d] = _send()
    assert worker.deliver_due() == {"retry": 1}
    clock.advance(minutes=1)
    pump()
    d.refresh_from_db()
    assert d.status == "delivered" and [s.outcome for s in fake_transport.sent] == ["NETWORK", "delivered"]
    assert fake_transport.sent[0].message == fake_transport.sent[1].message


def test_final_error_fails_at_once(sbx, clock, fake_transport) -> None:
    fake_transport.fail("UNKNOWN_RECIPIENT", "not here", retry=False, status=404)
    [d] = _send()
    assert worker.deliver_due() == {"failed": 1}
    d.refresh_from_db()
    assert (d.status, d.reason_code) == ("failed", "UNKNOWN_RECIPIENT")


def test_a_receipt_that_does_not_match_is_not_accepted(sbx, clock, fake_transport) -> None:
    def forged(answer: transport.Answer) -> transport.Answer:
        return transport.Answer(answer.status, answer.envelope.replace(b'"receipt_id":"rcpt-', b'"receipt_id":"rcpX-'),
                                answer.signature)

    fake_transport.tamper(forged)
    [d] = _send()
    assert worker.deliver_due() == {"retry": 1}
    assert OutboxMessage.objects.get(dispatch=d).last_error_code == "RECEIPT_INVALID"
    fake_transport.tamper(None)
    clock.advance(minutes=1)
    pump()
    d.refresh_from_db()
    inbound = InboundMessage.objects.get(kind="letter")
    assert d.status == "delivered" and d.receipt_id == inbound.receipt_id  # the retry got the same receipt


def test_signals_in_any_order(sbx, clock) -> None:
    from saraban.exchange import signals

    [d] = _send()
    sent = OutboxMessage.objects.get(dispatch=d)
    assert signals.may_move("queued", "registered") and not signals.may_move("registered", "delivered")
    assert signals.may_move("registered", "invalid") and not signals.may_move("rejected", "registered")
    pump()
    d.refresh_from_db()
    assert d.status == "delivered" and sent.message_id


def test_directory_checks(sbx, clock, tmp_path) -> None:
    from saraban.exchange import cades
    from saraban.exchange import node as node_mod

    held = directory.current()
    doc = json.loads((sbx / "directory.json").read_bytes())
    sig = (sbx / "directory.json.p7s").read_bytes()
    altered = (sbx / "directory.json").read_bytes().replace("กรมอุตุนิยมวิทยา".encode(), "กรมปลอม".encode())
    bad = tmp_path / "bad.json"
    bad.write_bytes(altered)
    (tmp_path / "bad.json.p7s").write_bytes(sig)
    with pytest.raises(DirectoryInvalid):
        refresh.load_from(str(bad))
    assert directory.participant("tmd").name_th == "กรมอุตุนิยมวิทยา"

    seal = node_mod.load().seal_for("tmd")  # signed, but not by the directory operator
    for name, changes in (("stranger", {}), ("old", {"serial": 0}),
                          ("expired", {"expires_at": (clock.now() - dt.timedelta(days=1)).isoformat()})):
        raw = json.dumps({**doc, **changes}, ensure_ascii=False).encode()
        op = seal if name == "stranger" else _operator(sbx)
        (tmp_path / f"{name}.json").write_bytes(raw)
        (tmp_path / f"{name}.json.p7s").write_bytes(cades.sign(raw, op))
        with pytest.raises(DirectoryInvalid):
            refresh.load_from(str(tmp_path / f"{name}.json"))
    newer = json.dumps({**doc, "serial": doc["serial"] + 1}, ensure_ascii=False).encode()
    (tmp_path / "newer.json").write_bytes(newer)
    (tmp_path / "newer.json.p7s").write_bytes(cades.sign(newer, _operator(sbx)))
    v = refresh.load_from(str(tmp_path / "newer.json"))
    assert v.serial == held.serial + 1 and DirectoryVersion.objects.count() == 2
    assert Dispatch.objects.count() == 0


def _operator(root):
    from cryptography import x509

    from saraban.exchange.cades import SealKey, load_private_key

    pki = root / "pki"
    return SealKey(x509.load_pem_x509_certificate((pki / "seal-directory-operator.crt").read_bytes()),
                   load_private_key((pki / "seal-directory-operator.key").read_bytes()))


def test_published_schemas_match_the_models() -> None:
    for name, schema in schemas.generate().items():
        assert schemas.published(name) == json.loads(json.dumps(schema, ensure_ascii=False)), name
    assert "message_id" in schemas.published("envelope.json")["required"]
    assert "subject" not in json.dumps(schemas.published("envelope.json")["properties"])


def test_the_transport_is_chosen_by_settings(sbx, settings) -> None:
    from saraban.exchange.transport.testing import TestTransport

    assert transport.current().name == "sbx"  # in-process for agencies hosted here, HTTPS for the others
    settings.SARABAN_SBX_TRANSPORT = "test"
    assert isinstance(transport.current(), TestTransport)
    settings.SARABAN_SBX_TRANSPORT = "local"
    with pytest.raises(transport.SendFailed) as err:
        transport.current().send(transport.Route("https", "https://elsewhere.example/sbx/v1/messages"), None)
    assert (err.value.code, err.value.retry) == ("NO_ROUTE", False)
