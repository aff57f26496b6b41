"""Writing queue items for transports that bring a whole letter at once (the central mailbox).

A plain function, not an action: the calling action (``mail.process``, ``mail.release``) owns the
transaction and the one audit event.  The rules are those of :func:`saraban.intake.actions.submit`:
ลับที่สุด never enters, the letter is a readable PDF, enclosures are checked
(:mod:`saraban.letters.enclosures`), classified items are encrypted at rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from saraban.kernel.models import URGENCY_RANK, Secrecy, Urgency
from saraban.letters import enclosures
from saraban.letters.enclosures import Upload
from saraban.orgs.models import Unit
from saraban.registry import errors as reg_errors
from saraban.registry.validation import IntakeMetadata

from .actions import store_files
from .models import IntakeItem


def add(unit: Unit, meta: IntakeMetadata, letter: Upload, extras: Sequence[Upload], *, channel: str,
        received_at: dt.datetime, source_ref: str = "") -> IntakeItem:
    """A pending item in ``unit``'s queue: ``letter`` and its enclosures ``extras``, in that order."""
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise reg_errors.TopSecretRefused()
    classified = meta.secrecy != Secrecy.NORMAL
    main, rest = enclosures.prepare_all(letter, list(extras), classified=classified)
    item = IntakeItem.objects.create(
        agency_id=unit.agency_id, unit=unit, channel=channel, received_at=received_at, subject=meta.subject,
        urgency=meta.urgency, urgency_rank=URGENCY_RANK[Urgency(meta.urgency)], secrecy=meta.secrecy,
        metadata=meta.model_dump(mode="json", exclude={"unit"}), source_ref=source_ref[:255],
    )
    store_files(item, main, rest)
    return item
