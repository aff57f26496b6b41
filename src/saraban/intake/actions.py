"""Items arriving for registration, and registering or rejecting them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.errors import Conflict, InvalidInput
from saraban.kernel.models import URGENCY_RANK, Secrecy, Urgency
from saraban.kernel.validation import parse
from saraban.letters.pdf import inspect_pdf
from saraban.registry import errors as reg_errors
from saraban.registry import policy as registry_policy
from saraban.registry.actions import Upload, _register_incoming, resolve_unit
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IncomingMetadata, IntakeMetadata
from saraban.storage import blobs

from . import hooks, policy
from .models import IntakeFile, IntakeItem, IntakeStatus
from .reasons import RETURN_REASONS


class IntakeClosed(Conflict):
    code = "intake_closed"
    message_th = "รายการนี้ลงทะเบียนหรือส่งคืนไปแล้ว"
    message_en = "This item was already registered or returned"


@action("intake.submit")
def submit(actor: Any, meta: IntakeMetadata, upload: Upload, *, channel: str = "upload",
           received_at: dt.datetime | None = None, source_ref: str = "",
           attachments: list[Upload] | None = None) -> IntakeItem:
    """Put an arrived letter in the unit's queue to be registered."""
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise reg_errors.TopSecretRefused()
    unit = resolve_unit(actor, meta.unit)
    if actor is not None and not registry_policy.can_register_in(principal_for(actor), unit.pk, meta.secrecy):
        raise reg_errors.NotAllowed(f"ท่านไม่มีสิทธิ์ส่งหนังสือเข้าคิวของ {unit.name_th}",
                                    f"You may not add items to the queue of {unit.code}")
    inspect_pdf(upload.data)
    for extra in attachments or []:
        inspect_pdf(extra.data)
    classified = meta.secrecy != Secrecy.NORMAL
    item = IntakeItem.objects.create(
        agency_id=unit.agency_id, unit=unit, channel=channel, received_at=received_at or clock.now(),
        subject=meta.subject, urgency=meta.urgency, urgency_rank=URGENCY_RANK[Urgency(meta.urgency)],
        secrecy=meta.secrecy, metadata=meta.model_dump(mode="json", exclude={"unit"}), source_ref=source_ref,
        created_by=actor,
    )
    for i, part in enumerate([upload, *(attachments or [])]):
        blob = blobs.put(part.data, "application/pdf", encrypted=classified)
        IntakeFile.objects.create(item=item, name=part.name, blob=blob, is_main=(i == 0))
    audit.record("intake.submit", actor=actor, obj=item, data={
        "unit": unit.code, "channel": channel, "subject": meta.subject if not classified else "",
        "source_ref": source_ref,
    })
    return item


def _open_item(item: IntakeItem) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").get(pk=item.pk)
    if item.status != IntakeStatus.PENDING:
        raise IntakeClosed()
    return item


def _staged_upload(f: IntakeFile) -> Upload:
    """An intake file is already in the blob store: hand it over without writing it again."""
    return Upload(data=blobs.read(f.blob), name=f.name, staged=blobs.Staged.of(f.blob))


@action("intake.register")
def register(actor: Any, item: IntakeItem, overrides: dict[str, Any] | None = None) -> RegisterEntry:
    """Register a queued item; ``overrides`` complete or correct the proposed metadata."""
    item = _open_item(item)
    proposed = {k: v for k, v in item.metadata.items() if v not in (None, "")}
    merged = {**proposed, **(overrides or {})}
    merged.setdefault("unit", item.unit.code)
    meta = parse(IncomingMetadata, merged)
    unit = resolve_unit(actor, meta.unit)
    if unit.agency_id != item.agency_id:
        raise InvalidInput("ลงทะเบียนได้เฉพาะในหน่วยงานที่รับหนังสือ", "Register it within the receiving agency",
                           code="wrong_agency")
    files = list(item.files.select_related("blob").order_by("-is_main", "name"))
    main, extras = files[0], files[1:]
    entry = _register_incoming(
        actor, meta, _staged_upload(main), unit=unit, channel=item.channel,
        enclosures=[_staged_upload(f) for f in extras], audit_extra={"intake_item": str(item.pk)},
    )
    IntakeItem.objects.filter(pk=item.pk).update(status=IntakeStatus.REGISTERED, letter=entry.letter)
    item.status, item.letter = IntakeStatus.REGISTERED, entry.letter
    hooks.registered.fire(item=item, entry=entry, actor=actor)
    # _register_incoming wrote the registration's audit event; this action's one event is that one
    return entry


@action("intake.reject")
def reject(actor: Any, item: IntakeItem, reason: str, reason_code: str = "OTHER") -> IntakeItem:
    """Return an item without registering it (wrong addressee, defective), with a coded reason and words."""
    item = _open_item(item)
    reason = " ".join((reason or "").split())
    if reason_code not in RETURN_REASONS:
        raise InvalidInput("รหัสเหตุผลไม่ถูกต้อง", "Unknown reason code", code="invalid_reason_code")
    if not reason and reason_code != "OTHER":
        reason = RETURN_REASONS[reason_code][0]
    if not reason:
        raise InvalidInput("ต้องระบุเหตุผล", "A reason is required", code="reason_required")
    if not registry_policy.can_register_in(principal_for(actor), item.unit_id, item.secrecy):
        raise reg_errors.NotAllowed()
    IntakeItem.objects.filter(pk=item.pk).update(status=IntakeStatus.REJECTED, status_reason=reason)
    item.refresh_from_db()
    hooks.rejected.fire(item=item, reason=reason, actor=actor, reason_code=reason_code)
    audit.record("intake.reject", actor=actor, obj=item, data={"reason": reason, "reason_code": reason_code})
    return item


def pending_q(actor: Any):  # -> QuerySet[IntakeItem]
    """Pending items the caller may register, most urgent first, then oldest first (R26)."""
    visible = policy.visible_intake_q(principal_for(actor))
    return IntakeItem.objects.filter(visible, status=IntakeStatus.PENDING).order_by("urgency_rank", "received_at")
