"""Two agencies of one deployment exchange a letter through the very same SBX path, in-process."""

from __future__ import annotations

from saraban.exchange import actions
from saraban.exchange.models import Dispatch, InboundMessage, OutboxMessage
from saraban.exchange.outbox import worker
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.letters.models import Letter
from tests.exchange.conftest import pump
from tests.exchange.helpers import issue, signed_pdf
from tests.fixtures import user


def test_letter_delivered_registered_and_number_back(sbx, clock) -> None:
    entry = issue(pdf=signed_pdf(str(sbx / "pki")))
    letter = Letter.objects.get(pk=entry.letter_id)
    [d] = actions.dispatch(user("registrar"), letter, ["tmd"])
    assert d.status == "queued"
    pump()
    d.refresh_from_db()
    assert d.status == "delivered" and d.receipt_id.startswith("rcpt-") and d.signed
    msg = OutboxMessage.objects.get(dispatch=d)
    assert msg.route == "local" and msg.attempts == 1
    inbound = InboundMessage.objects.get(message_id=msg.message_id)
    assert inbound.receipt_id == d.receipt_id and inbound.recipient_code == "tmd"
    assert inbound.verification["envelope"]["level"] == "B-T"
    assert inbound.verification["letter"]["valid"] is True  # the PAdES signature validated at the receiver
    item = IntakeItem.objects.get(pk=inbound.intake_item_id)
    assert item.channel == "sbx" and item.unit.code == "tmd-admin" and item.subject == letter.subject
    assert item.metadata["their_ref"] == entry.display and item.metadata["letter_uuid"] == str(letter.letter_uuid)
    assert item.urgency == "urgent"

    reg = intake.register(user("tmd-registrar"), item, {})
    pump()
    d.refresh_from_db()
    assert d.status == "registered"
    assert d.registration_display == reg.display and d.registration_no == str(reg.number)
    assert reg.letter.letter_uuid == letter.letter_uuid


def test_return_sends_rejected_with_reason(sbx, clock) -> None:
    entry = issue()
    [d] = actions.dispatch(user("registrar"), Letter.objects.get(pk=entry.letter_id), ["tmd"])
    pump()
    item = IntakeItem.objects.get(channel="sbx")
    intake.reject(user("tmd-registrar"), item, "ไม่ใช่หนังสือถึงกรมอุตุนิยมวิทยา", "NOT_ADDRESSEE")
    pump()
    d.refresh_from_db()
    assert (d.status, d.reason_code, d.reason_text) == ("rejected", "NOT_ADDRESSEE", "ไม่ใช่หนังสือถึงกรมอุตุนิยมวิทยา")


def test_unsigned_letter_arrives_with_report_saying_so(sbx, clock) -> None:
    entry = issue()
    actions.dispatch(user("registrar"), Letter.objects.get(pk=entry.letter_id), ["tmd", "nso"])
    pump()
    assert set(Dispatch.objects.values_list("status", flat=True)) == {"delivered"}
    reports = [m.verification["letter"] for m in InboundMessage.objects.all()]
    assert len(reports) == 2 and all(r["valid"] is False and "no_signature" in r["problems"] for r in reports)
    # one package for both recipients
    assert len({m.payload_sha256 for m in OutboxMessage.objects.filter(kind="letter")}) == 1
    assert worker.deliver_due() == {}


def test_the_cli_sends_the_due_messages_and_shows_one(sbx, clock, capsys) -> None:
    import json

    from django.core.management import call_command

    [d] = actions.dispatch(user("registrar"), Letter.objects.get(pk=issue().letter_id), ["tmd"])
    call_command("sbx", "outbox", "run")
    assert json.loads(capsys.readouterr().out) == {"delivered": 1}
    mid = str(OutboxMessage.objects.get(dispatch=d).message_id)
    call_command("sbx", "status", mid, "--remote")  # a local route: nothing to ask remotely
    shown = json.loads(capsys.readouterr().out)
    assert shown["sent"]["status"] == "delivered" and shown["sent"]["route"] == "local" and "remote" not in shown
    assert shown["received"]["receipt_id"] == shown["sent"]["receipt_id"]
