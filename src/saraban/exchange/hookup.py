"""What the exchange adds to other apps when it loads: the intake hooks (its web pages register their own
panels and links, in ``saraban.web.exchange``)."""

from __future__ import annotations

from typing import Any

from saraban.kernel.actor import Actor

from . import codes, signals
from .models import InboundMessage


def _inbound_for(item: Any) -> InboundMessage | None:
    if item.channel != "sbx":
        return None
    return (InboundMessage.objects.filter(intake_item_id=item.pk, kind="letter").first()
            or InboundMessage.objects.filter(message_id=item.source_ref or None, kind="letter",
                                             recipient_code=item.agency.code).first())


def on_registered(item: Any, entry: Any, actor: Actor) -> None:
    """Registering a letter that came by SBX sends ``registered`` with the receipt number (AcceptLetterNotifier)."""
    m = _inbound_for(item)
    if m is None or m.withdrawn_at is not None:
        return
    from saraban.kernel import clock

    unit = entry.book.unit
    signals.answer(m, "registered", {
        "registration_no": str(entry.number), "registration_display": entry.display,
        "registration_date": clock.to_bkk(entry.registered_at).date().isoformat(),
        "registering_unit": (unit.agency.name_th if unit.name_th == unit.agency.name_th  # the agency once, never twice
                             else f"{unit.name_th} {unit.agency.name_th}").strip(),
    })


def on_rejected(item: Any, reason: str, actor: Actor, reason_code: str = "OTHER") -> None:
    """Returning it sends ``rejected`` with the reason (RejectLetterNotifier)."""
    m = _inbound_for(item)
    if m is None or m.withdrawn_at is not None:
        return
    signals.answer(m, "rejected", {"reason_code": reason_code if reason_code in codes.REASONS else "OTHER",
                                   "reason_text": reason})


def holders(letter_uuid: Any) -> set[str]:
    """Agencies here that sent or received a letter message with this id (for :mod:`saraban.letters.claims`)."""
    from .models import OutboxMessage

    sent = OutboxMessage.objects.filter(kind="letter", letter_uuid=letter_uuid).values_list("sender_code", flat=True)
    got = InboundMessage.objects.filter(kind="letter", letter_uuid=letter_uuid).values_list("recipient_code",
                                                                                             flat=True)
    return {*sent, *got}


def _receive(*args: Any, **kwargs: Any) -> Any:
    """The in-process receiver, imported when a message first arrives: the receiving side (CMS, envelopes,
    pydantic schemas) is 0.6 s of imports that a ``saraban`` command which receives nothing need not pay."""
    from . import inbox

    return inbox.receive_message(*args, **kwargs)


def connect() -> None:
    """Called once when the app loads: the outbox's wake-ups, the in-process receiver, the intake hooks, the web."""
    from saraban.intake import hooks
    from saraban.letters import claims

    from . import outbox, tasks, transport

    outbox.install(deliver=tasks.deliver, hand_over=tasks.hand_over)
    transport.set_receiver(_receive)
    hooks.registered.connect(on_registered)
    hooks.rejected.connect(on_rejected)
    claims.add_holder(holders)
