"""Handing a received letter to the recipient's intake queue, its metadata filled in from ``letter.json``.

The PAdES signatures of the letter are validated here and the report kept with the message (a letter
whose personal signature does not validate is still delivered: the registrar sees the report).  A file
that is not a readable PDF is returned to the sender with ``rejected`` / ``UNREADABLE``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.db.models import Q

from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.kernel import clock
from saraban.kernel.errors import SarabanError
from saraban.letters.enclosures import Upload
from saraban.registry.validation import IntakeMetadata
from saraban.storage import blobs

from . import actions, codes, local, package
from . import node as node_mod
from .models import InboundMessage, Participant


def letter_report(pdf: bytes) -> dict[str, Any]:
    """The received letter's signatures, judged against the same trust as the letter page's signature panel (the
    deployment's signing trust) and the exchange network's roots: two panels never disagree about one file."""
    from saraban.drafting import trust
    from saraban.signing.validate import validate_pdf  # pyHanko on first use, not when a command starts

    node = node_mod.load()
    signing = trust.validation_args()
    report = validate_pdf(pdf, trust_roots=[*node.trust.roots, *signing["trust_roots"]],  # type: ignore[misc]
                          other_certs=[*node.trust.intermediates, *signing["other_certs"]],  # type: ignore[misc]
                          crls=list(signing["crls"]))  # type: ignore[call-overload]
    data = json.loads(json.dumps(report.as_dict(), default=str))
    data["text_th"] = report.text("th")
    data["text_en"] = report.text("en")
    data["signers"] = [s.signer for s in report.signatures if s.kind == "signature"]
    return data


def metadata(m: InboundMessage, letter: package.LetterJson) -> IntakeMetadata:
    from saraban.orgs.models import Agency

    agency = Agency.objects.get(code=m.recipient_code)
    sender = Participant.objects.filter(code=m.sender_code).first()
    sender_text = (letter.sender.person.position if letter.sender.person and letter.sender.person.position
                   else (sender.name_th if sender else m.sender_code))
    me = next((a for a in letter.addressees if Participant.objects.filter(org=a.org, code=m.recipient_code).exists()),
              None)
    addressee = (me.position or me.person) if me and (me.position or me.person) else agency.name_th
    return IntakeMetadata(
        their_ref=letter.letter_no[:255], their_date=letter.letter_date, sender=sender_text[:500],
        addressee=addressee[:500], subject=letter.subject[:1000], kind=letter.letter_kind,
        urgency=codes.SPEED_TO_URGENCY.get(letter.urgency.code, "normal"),
        secrecy=codes.SECRET_TO_SECRECY.get(letter.secrecy.code, "normal"), unit=local.central_unit(agency).code,
        remark=letter.remark[:1000], letter_uuid=letter.letter_uuid,
        reply_to_uuid=next((r.letter_uuid for r in letter.references if r.letter_uuid), None),
    )


LEASE = dt.timedelta(seconds=60)


def due_ids(limit: int = 16) -> list[Any]:
    """Received letters not yet in the intake queue (the exchange process's loop picks them up)."""
    now = clock.now()
    return list(InboundMessage.objects.filter(kind="letter", mailbox=False, handed_over_at__isnull=True)
                .filter(Q(handover_lease__isnull=True) | Q(handover_lease__lt=now))
                .order_by("received_at").values_list("pk", flat=True)[:limit])


def next_due_in() -> float | None:
    """Seconds until a letter whose hand-over lease runs out may be tried again; None: none waits."""
    now = clock.now()
    first = (InboundMessage.objects.filter(kind="letter", mailbox=False, handed_over_at__isnull=True,
                                           handover_lease__gt=now)
             .order_by("handover_lease").values_list("handover_lease", flat=True).first())
    return None if first is None else max(0.0, (first - now).total_seconds())


def waited(inbound_pk: Any) -> float:
    """Seconds since the letter was received."""
    at = InboundMessage.objects.filter(pk=inbound_pk).values_list("received_at", flat=True).first()
    return (clock.now() - at).total_seconds() if at else 0.0


def _claim(inbound_pk: Any) -> bool:
    """Only one worker hands a letter over at a time (the task queue and the exchange loop may both try)."""
    now = clock.now()
    free = (InboundMessage.objects.filter(pk=inbound_pk, handed_over_at__isnull=True)
            .filter(Q(handover_lease__isnull=True) | Q(handover_lease__lt=now)))
    with transaction.atomic():
        return free.update(handover_lease=now + LEASE) == 1


def hand_over(inbound_pk: str) -> str:
    m = InboundMessage.objects.select_related("payload", "package").get(pk=inbound_pk)
    if m.handed_over_at is not None or m.kind != "letter" or m.mailbox:
        return "done"
    if not _claim(m.pk):
        return "busy"
    data = blobs.read(m.package) if m.package_id else blobs.read(m.payload)
    letter, files = package.read_unverified(data)
    main = files[letter.main_document.path]
    report = letter_report(main)
    item = IntakeItem.objects.filter(channel="sbx", source_ref=str(m.message_id),
                                     agency__code=m.recipient_code).first()
    if item is None:
        enclosures = [Upload(files[e.path], (e.filename or e.path.rsplit("/", 1)[-1])[:255], title=e.title or "")
                      for e in letter.enclosures]
        try:
            item = intake.submit(None, metadata(m, letter), Upload(main, (letter.main_document.filename or
                                                                            "letter.pdf")[:255]),
                                 channel="sbx", received_at=m.received_at, source_ref=str(m.message_id),
                                 attachments=enclosures)
        except SarabanError as exc:
            actions.record_hand_over(m, item_id=None, letter_report=report,
                                     rejected=("UNREADABLE", f"{exc.message_th} / {exc.message_en}"))
            return "rejected"
    actions.record_hand_over(m, item_id=item.pk, letter_report=report)
    return str(item.pk)
