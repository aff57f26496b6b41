"""Writing queue items for transports that arrive with several files (the central mailbox).

Plain functions, not actions: the calling action (e.g. ``mail.process``) owns the transaction and the one
audit event.  The rules are those of :func:`saraban.intake.actions.submit`: ลับที่สุด never enters, every
file is a readable PDF, classified items are encrypted at rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saraban.kernel.models import URGENCY_RANK, Secrecy, Urgency
from saraban.letters.pdf import inspect_pdf
from saraban.orgs.models import Unit
from saraban.registry import errors as reg_errors
from saraban.registry.validation import IntakeMetadata
from saraban.storage import blobs

from .models import IntakeFile, IntakeItem


@dataclass(frozen=True)
class QueuedFile:
    name: str
    data: bytes
    is_main: bool = False


def add(unit: Unit, meta: IntakeMetadata, files: list[QueuedFile], *, channel: str, received_at: dt.datetime,
        source_ref: str = "") -> IntakeItem:
    """A pending item in ``unit``'s queue with its files (exactly one of them the letter)."""
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise reg_errors.TopSecretRefused()
    if sum(1 for f in files if f.is_main) != 1:
        raise ValueError("exactly one file must be the letter")
    for f in files:
        inspect_pdf(f.data, max_bytes=max(len(f.data), 1))
    classified = meta.secrecy != Secrecy.NORMAL
    item = IntakeItem.objects.create(
        agency_id=unit.agency_id, unit=unit, channel=channel, received_at=received_at, subject=meta.subject,
        urgency=meta.urgency, urgency_rank=URGENCY_RANK[Urgency(meta.urgency)], secrecy=meta.secrecy,
        metadata=meta.model_dump(mode="json", exclude={"unit"}), source_ref=source_ref[:255],
    )
    for f in sorted(files, key=lambda f: not f.is_main):
        blob = blobs.put(f.data, "application/pdf", encrypted=classified)
        IntakeFile.objects.create(item=item, name=f.name[:255], blob=blob, is_main=f.is_main)
    return item


def set_main(item: IntakeItem, file_id: object) -> IntakeFile:
    """Make another file of a pending item the letter (the officer says the first PDF is an enclosure)."""
    target = IntakeFile.objects.get(item=item, pk=file_id)
    IntakeFile.objects.filter(item=item).exclude(pk=target.pk).update(is_main=False)
    IntakeFile.objects.filter(pk=target.pk).update(is_main=True)
    target.is_main = True
    return target
