"""Items arriving for registration, and registering or rejecting them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import Conflict, InvalidInput
from saraban.kernel.models import URGENCY_RANK, Secrecy, Urgency
from saraban.kernel.validation import parse
from saraban.letters import enclosures
from saraban.letters.enclosures import Upload
from saraban.letters.models import FileRole
from saraban.registry import errors as reg_errors
from saraban.registry import policy as registry_policy
from saraban.registry.actions import _register_incoming, resolve_unit
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
def submit(actor: Actor, meta: IntakeMetadata, upload: Upload, *, channel: str = "upload",
           received_at: dt.datetime | None = None, source_ref: str = "",
           attachments: Sequence[Upload] | None = None) -> IntakeItem:
    """Put an arrived letter in the unit's queue to be registered: one item, ``upload`` its letter and
    ``attachments`` its enclosures (in that order; each keeps its name, its title defaults to the name)."""
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise reg_errors.TopSecretRefused()
    unit = resolve_unit(actor, meta.unit)
    if actor is not None and not registry_policy.can_register_in(principal_for(actor), unit.pk, meta.secrecy):
        raise reg_errors.NotAllowed(f"ท่านไม่มีสิทธิ์ส่งหนังสือเข้าคิวของ {unit.name_th}",
                                    f"You may not add items to the queue of {unit.code}")
    classified = meta.secrecy != Secrecy.NORMAL
    main, extras = enclosures.prepare_all(upload, list(attachments or []), classified=classified)
    assert main is not None
    item = IntakeItem.objects.create(
        agency_id=unit.agency_id, unit=unit, channel=channel, received_at=received_at or clock.now(),
        subject=meta.subject, urgency=meta.urgency, urgency_rank=URGENCY_RANK[Urgency(meta.urgency)],
        secrecy=meta.secrecy, metadata=meta.model_dump(mode="json", exclude={"unit"}), source_ref=source_ref,
        created_by=actor,
    )
    files = store_files(item, main, extras)
    audit.record("intake.submit", actor=actor, obj=item, data={
        "unit": unit.code, "channel": channel, "subject": meta.subject if not classified else "",
        "source_ref": source_ref, "files": [{"role": f.role, "sha256": f.blob.sha256} for f in files],
    })
    return item


def store_files(item: IntakeItem, main: Upload | None, extras: Sequence[Upload]) -> list[IntakeFile]:
    """Keep an item's checked, staged parts (:func:`saraban.letters.enclosures.prepare_all`): the letter
    first, then the enclosures after those already there.  Call it inside an action."""
    start = item.files.count()
    out = []
    parts = ([(FileRole.LETTER, main)] if main is not None else []) + [(FileRole.ENCLOSURE, e) for e in extras]
    for i, (role, part) in enumerate(parts):
        assert part.staged is not None
        out.append(IntakeFile.objects.create(item=item, role=role, name=part.name, title=part.title,
                                             order=start + i, pages=part.pages, blob=blobs.record(part.staged)))
    return out


def parts(item: IntakeItem) -> tuple[IntakeFile | None, list[IntakeFile]]:
    """An item's letter and its enclosures, in order."""
    files = list(item.files.select_related("blob").order_by("order", "name"))
    main = next((f for f in files if f.role == FileRole.LETTER), None)
    return main, [f for f in files if f.role != FileRole.LETTER]


@action("intake.arrange")
def arrange(actor: Actor, item: IntakeItem, *, order: Sequence[Any] | None = None, letter: Any = None,
            titles: Mapping[Any, str] | None = None) -> list[IntakeFile]:
    """Put an item's files in ``order`` (file ids, every file once), make ``letter`` the letter (a PDF) and
    the others its enclosures, and set enclosures' สิ่งที่ส่งมาด้วย lines (``titles``: file id → title)."""
    item = _open_item(item)
    if not registry_policy.can_register_in(principal_for(actor), item.unit_id, item.secrecy):
        raise reg_errors.NotAllowed()
    files = {str(f.pk): f for f in item.files.select_related("blob")}
    ids = [str(i) for i in order] if order is not None else [str(f.pk) for f in item.files.order_by("order")]
    if sorted(ids) != sorted(files):
        raise InvalidInput("ลำดับไฟล์ต้องระบุทุกไฟล์ของรายการนี้ครั้งละหนึ่งครั้ง",
                           "The order must list every file of this item exactly once", code="invalid_order")
    main_id = str(letter) if letter is not None else next(
        (i for i in ids if files[i].role == FileRole.LETTER), ids[0])
    if main_id not in files:
        raise InvalidInput("ไม่พบไฟล์ที่เลือกเป็นหนังสือ", "The chosen letter file is not in this item",
                           code="invalid_letter_file")
    chosen = files[main_id]
    if chosen.blob.content_type != "application/pdf":
        raise enclosures.FileRejected("หนังสือต้องเป็นไฟล์ PDF เลือกไฟล์อื่นเป็นหนังสือ",
                                      "The letter must be a PDF; choose another file as the letter",
                                      code="letter_not_pdf", status=415, details={"file": chosen.name})
    titles = {str(k): v for k, v in (titles or {}).items()}
    ordered = [main_id] + [i for i in ids if i != main_id]
    for n, fid in enumerate(ordered):
        f = files[fid]
        f.role = FileRole.LETTER if fid == main_id else FileRole.ENCLOSURE
        f.order = n
        if fid in titles:
            f.title = enclosures.clean_title(titles[fid], f.name) if f.role == FileRole.ENCLOSURE else ""
        elif f.role == FileRole.ENCLOSURE and not f.title:
            f.title = enclosures.default_title(f.name)
        f.save(update_fields=["role", "order", "title"])
    audit.record("intake.arrange", actor=actor, obj=item, data={
        "letter": files[main_id].blob.sha256, "order": [files[i].blob.sha256 for i in ordered],
    })
    return [files[i] for i in ordered]


def _open_item(item: IntakeItem) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").get(pk=item.pk)
    if item.status != IntakeStatus.PENDING:
        raise IntakeClosed()
    return item


def _staged_upload(f: IntakeFile) -> Upload:
    """An intake file is already in the blob store, checked: hand it over without writing it again."""
    staged = blobs.Staged(sha256=f.blob.sha256, size=f.blob.size, content_type=f.blob.content_type,
                          encrypted=f.blob.encrypted)
    return Upload(data=blobs.read(f.blob), name=f.name, staged=staged, pages=f.pages, title=f.title,
                  content_type=f.blob.content_type)


@action("intake.register")
def register(actor: Actor, item: IntakeItem, overrides: dict[str, Any] | None = None) -> RegisterEntry:
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
    main, extras = parts(item)
    if main is None:
        raise InvalidInput("รายการนี้ไม่มีไฟล์หนังสือ", "This item has no letter file", code="no_letter_file")
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
def reject(actor: Actor, item: IntakeItem, reason: str, reason_code: str = "OTHER") -> IntakeItem:
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


def pending_q(actor: Actor):  # -> QuerySet[IntakeItem]
    """Pending items the caller may register, most urgent first, then oldest first (R26)."""
    visible = policy.visible_intake_q(principal_for(actor))
    return IntakeItem.objects.filter(visible, status=IntakeStatus.PENDING).order_by("urgency_rank", "received_at")
