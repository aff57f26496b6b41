"""Registering incoming letters, issuing outgoing numbers, cancelling, and ลับที่สุด placeholders.

Every public function here is an action: one transaction, one audit event.  All checks run before the
number is taken, and the number is taken in the same transaction as the row that uses it, so a failure
anywhere consumes nothing and leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput
from saraban.kernel.ids import uuid7
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.kernel.tasks import enqueue
from saraban.kernel.thai import format_date, format_date_en, normalize
from saraban.letters import claims, records
from saraban.letters import enclosures as enclosures_mod
from saraban.letters.actions import store_parts
from saraban.letters.changes import touch
from saraban.letters.enclosures import Upload
from saraban.letters.models import Direction, FileRole, Letter, LetterStatus
from saraban.letters.policy import can_view_letter
from saraban.orgs import cache as org_cache
from saraban.orgs.models import Unit
from saraban.orgs.queries import unit_by_code

from . import errors, hooks, policy
from .books import SECRET_BOOKS, BookKind, display_number, display_parts
from .models import HiddenTwin, RegisterBook, RegisterEntry
from .numbering import insert_numbered, next_number
from .validation import IncomingMetadata, OutgoingMetadata, PlaceholderMetadata

TOP_SECRET_SUBJECT = "หนังสือชั้นลับที่สุด — ดำเนินการนอกระบบ"


def prepare(upload: Upload, *, classified: bool, role: str = FileRole.LETTER) -> Upload:
    """Check a part (the letter: a PDF; an enclosure: an office file) and stage its content (encrypted if
    classified) ahead of the registering transaction.

    Run it inside an :func:`~saraban.kernel.actions.undo_scope` so that a failed registration removes
    the file again.  Actions accept unprepared uploads too and then do this themselves.
    """
    return enclosures_mod.prepare(upload, classified=classified, role=role)


def resolve_unit(actor: Actor, code: str | None) -> Unit:
    """The unit named by ``code``, or the caller's desk (the unit of their registrar role, else home unit)."""
    if code:
        unit = unit_by_code(code)
        if unit is None:
            raise errors.UnknownUnit(details={"unit": code})
        return unit
    p = principal_for(actor)
    if p.desk_unit_id is None:
        raise errors.UnknownUnit("ผู้ใช้นี้ไม่ได้สังกัดหน่วยงานใด กรุณาระบุหน่วยงาน",
                                 "This user belongs to no unit; name the unit")
    return org_cache.unit(p.desk_unit_id)


def _deny(what_th: str, what_en: str) -> errors.NotAllowed:
    return errors.NotAllowed(f"ท่านไม่มีสิทธิ์{what_th}", f"You are not allowed to {what_en}")


def find_duplicates(unit: Unit, their_ref: str, their_date: dt.date, sender: str, *,
                    lock: bool = False, limit: int = 20) -> list[RegisterEntry]:
    """Earlier, uncancelled registrations of the same letter (same ที่, date and sender) in the agency, oldest
    first — whoever may see them or not: the caller sorts them (:func:`split_by_sight`).

    With ``lock`` (inside the registering transaction) registrations of the same letter are serialised
    first — a PostgreSQL advisory lock on the letter's key, taken in the same round trip — so two twins
    arriving together cannot both pass.  SQLite runs one writer at a time anyway.
    """
    ref_norm = normalize(their_ref)
    if not ref_norm:
        return []
    sender_norm = normalize(sender)
    params: list[Any] = []
    head = ""
    if lock and connection.vendor == "postgresql":
        head = "WITH held AS (SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))) "
        params.append("|".join([str(unit.agency_id), ref_norm, str(their_date), sender_norm]))
    entry_t = connection.ops.quote_name(RegisterEntry._meta.db_table)
    letter_t = connection.ops.quote_name(Letter._meta.db_table)
    sql = (
        f"{head}SELECT e.id FROM {entry_t} e JOIN {letter_t} l ON l.id = e.letter_id"
        f"{', held' if head else ''} WHERE l.agency_id = %s AND l.direction = 'incoming' AND l.ref_norm = %s "
        "AND l.letter_date = %s AND l.sender_norm = %s AND l.status <> 'cancelled' AND NOT e.cancelled "
        f"ORDER BY e.registered_at LIMIT {int(limit)}"
    )
    agency = unit.agency_id.hex if connection.vendor == "sqlite" else unit.agency_id
    params += [agency, ref_norm, their_date, sender_norm]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        ids = [row[0] for row in cur.fetchall()]
    if not ids:
        return []
    found = {e.pk: e for e in RegisterEntry.objects.select_related("book", "letter").filter(pk__in=ids)}
    return sorted(found.values(), key=lambda e: (e.registered_at, str(e.pk)))


def split_by_sight(actor: Actor, entries: list[RegisterEntry]) -> tuple[list[RegisterEntry], list[RegisterEntry]]:
    """(the registrations ``actor`` may see, those they may not): a twin the caller cannot see is never named
    to them — not in an error, not in a link — but flagged to those who can (:data:`hooks.hidden_twin`)."""
    p = principal_for(actor)
    seen: list[RegisterEntry] = []
    hidden: list[RegisterEntry] = []
    for e in entries:
        (seen if can_view_letter(p, e.letter) else hidden).append(e)
    return seen, hidden


def _check_incoming(actor: Actor, meta: IncomingMetadata, unit: Unit) -> None:
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise errors.TopSecretRefused()
    p = principal_for(actor)
    if not policy.can_register_in(p, unit.pk, meta.secrecy):
        if meta.secrecy != Secrecy.NORMAL and p.clearance < SECRECY_LEVEL[Secrecy(meta.secrecy)]:
            raise _deny("ลงทะเบียนหนังสือชั้นความลับระดับนี้", "register letters of this secrecy level")
        raise _deny(f"ลงทะเบียนรับในทะเบียนของ {unit.name_th}", f"register letters in the books of {unit.code}")
    if meta.their_date > clock.today():
        raise errors.FutureDate(
            f"ลงวันที่ของหนังสือ ({format_date(meta.their_date)}) เป็นวันในอนาคต",
            f"The letter's date ({format_date_en(meta.their_date)}) is in the future",
        )


def _duplicate_error(dup: RegisterEntry) -> errors.LikelyDuplicate:
    return errors.LikelyDuplicate(
        f"หนังสือนี้อาจลงทะเบียนไว้แล้ว: {dup.book.get_kind_display()} เลขรับ {dup.display} "
        f"ปี {dup.book.year_be} (ถ้าเป็นหนังสือคนละฉบับ ให้ติ๊ก \"ยืนยันว่าเป็นหนังสือคนละฉบับ\" แล้วลงทะเบียนอีกครั้ง)",
        f"This letter looks already registered as number {dup.display} of {dup.book.year_be} "
        "(if it is a different letter, tick \"It is a different letter\" and register again)",
        details={"registration": {"id": str(dup.pk), "display": dup.display, "number": dup.number,
                                  "year": dup.book.year_be, "book": dup.book.kind, "letter_id": str(dup.letter_id)},
                 "confirm_with": "allow_duplicate"},
    )


def _register_incoming(actor: Actor, meta: IncomingMetadata, upload: Upload, *, unit: Unit, channel: str,
                       enclosures: list[Upload] | None = None, audit_extra: dict | None = None) -> RegisterEntry:
    _check_incoming(actor, meta, unit)
    classified = meta.secrecy != Secrecy.NORMAL
    main, extras = enclosures_mod.prepare_all(upload, list(enclosures or []), classified=classified)
    assert main is not None
    if meta.letter_uuid and channel != "sbx":  # an SBX sender's claim is checked when the message arrives
        claims.check_claim(meta.letter_uuid, unit.agency.code, direction=Direction.INCOMING)
    seen, hidden = split_by_sight(actor, find_duplicates(unit, meta.their_ref, meta.their_date, meta.sender,
                                                         lock=True))
    dup = seen[0] if seen else None
    if dup is not None and not meta.allow_duplicate:
        raise _duplicate_error(dup)

    now = clock.now()
    kind = BookKind.SECRET_RECEIVED if classified else BookKind.RECEIVED
    remark = " ".join(p for p in (meta.remark, f"ข้อบกพร่อง: {meta.defects}" if meta.defects else "") if p)[:1000]
    letter = records.create_letter(
        agency_id=unit.agency_id, unit=unit, direction=Direction.INCOMING, kind=meta.kind,
        their_ref=meta.their_ref, letter_date=meta.their_date,
        sender=meta.sender, addressee=meta.addressee, subject=meta.subject,
        urgency=meta.urgency, secrecy=meta.secrecy, remark=remark, channel=channel,
        duplicate_of=dup.letter if dup else None, created_by=actor, created_at=now,
        **({"letter_uuid": meta.letter_uuid} if meta.letter_uuid else {}),
    )
    original, kept = store_parts(letter, main, extras)
    assert original is not None
    answered = _answered(letter, meta.reply_to_uuid)
    entry_id = uuid7()
    from .tasks import stamp_receipt  # the worker draws the receipt stamp after commit

    enqueue(stamp_receipt, str(entry_id), str(original.pk))
    # the book is locked from here to the commit: keep this stretch short
    entry = RegisterEntry(
        id=entry_id, letter=letter, ref=meta.their_ref, letter_date=meta.their_date, from_text=meta.sender,
        to_text=meta.addressee, subject=meta.subject, remark=remark, registered_at=now, registered_by=actor,
        urgency=meta.urgency, secrecy=meta.secrecy,
    )
    year_be = clock.year_be(now)
    insert_numbered(entry, unit, kind, year_be, display=display_parts(kind, prefix=unit.ref_prefix, year_be=year_be))
    book, number = entry.book, entry.number
    for twin in hidden:  # the caller may not know of it: those who may see it are told instead
        HiddenTwin.objects.create(entry=entry, twin=twin.letter, created_at=now)
        hooks.hidden_twin.fire(entry=entry, twin=twin.letter)
    audit.record("registry.register_incoming", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "book": kind, "year": book.year_be, "number": number, "unit": unit.code,
        "their_ref": meta.their_ref, "subject": meta.subject if not classified else "",
        "secrecy": meta.secrecy, "sha256": original.blob.sha256, "channel": channel,
        "duplicate_of": str(dup.pk) if dup else None, "hidden_twins": [str(t.pk) for t in hidden],
        "enclosures": [f.blob.sha256 for f in kept],
        "reply_to": str(answered.pk) if answered else None, "prefilled": list(meta.prefilled),
        **(audit_extra or {}),
    })
    return entry


def _answered(letter: Letter, reply_to_uuid: Any) -> Letter | None:
    """The agency's own letter that ``letter`` answers (named by its อ้างถึง's letter_uuid): linked both ways."""
    if reply_to_uuid is None:
        return None
    answered = (Letter.objects.filter(agency_id=letter.agency_id, letter_uuid=reply_to_uuid).exclude(pk=letter.pk)
                .order_by("created_at").first())
    if answered is not None:
        records.link_reply(letter, answered)
    return answered


@action("registry.register_incoming")
def register_incoming(actor: Actor, meta: IncomingMetadata, upload: Upload, *, channel: str = "upload",
                      enclosures: list[Upload] | None = None) -> RegisterEntry:
    """Register an incoming letter in the next number of the unit's receiving (or secret) book."""
    unit = resolve_unit(actor, meta.unit)
    return _register_incoming(actor, meta, upload, unit=unit, channel=channel, enclosures=enclosures)


def _outgoing_book(meta: OutgoingMetadata) -> str:
    classified = meta.secrecy != Secrecy.NORMAL
    if meta.secrecy == Secrecy.TOP_SECRET:
        raise errors.TopSecretRefused()
    if classified:
        if meta.book not in (BookKind.SENT, BookKind.CIRCULAR, BookKind.SECRET_SENT):
            raise errors.BookMismatch(
                "หนังสือชั้นความลับออกเลขได้ในทะเบียนส่งหนังสือลับเท่านั้น",
                "Classified letters are numbered in the secret sent register only",
            )
        return BookKind.SECRET_SENT
    if meta.book == BookKind.SECRET_SENT:
        raise errors.BookMismatch(
            "ทะเบียนส่งหนังสือลับใช้กับหนังสือชั้นความลับเท่านั้น",
            "The secret sent register is for classified letters only",
        )
    return meta.book


@action("registry.issue_outgoing")
def issue_outgoing(actor: Actor, meta: OutgoingMetadata, upload: Upload | None = None, *,
                   enclosures: list[Upload] | None = None, stamp: bool = False) -> RegisterEntry:
    """Issue the next outgoing number (``ดศ 0201/1234``, ``ดศ 0201/ว 12``, ``12/2569``) with its row.

    ``upload`` is the letter's PDF (without it the number is reserved, จองเลข: the file comes later, see
    :mod:`.reservations`), ``enclosures`` its enclosures; ``stamp`` keeps a copy with the number and date
    on page 1."""
    unit = resolve_unit(actor, meta.unit)
    kind = _outgoing_book(meta)
    if kind in (BookKind.SENT, BookKind.CIRCULAR, BookKind.SECRET_SENT) and not meta.addressee:
        raise InvalidInput("หนังสือส่งต้องระบุผู้รับ (ถึง)", "A letter needs its addressee (to)",
                           code="addressee_required", details={"field": "addressee", "book": kind})
    numbering = unit.numbering_unit()
    if numbering is None or (kind in (BookKind.SENT, BookKind.CIRCULAR, BookKind.SECRET_SENT)
                             and not numbering.unit_number):
        raise errors.NoNumberingUnit(details={"unit": unit.code})
    p = principal_for(actor)
    if not (policy.can_register_in(p, unit.pk, meta.secrecy) or policy.can_register_in(p, numbering.pk, meta.secrecy)):
        raise _deny(f"ออกเลขหนังสือส่งของ {numbering.name_th}", f"issue outgoing numbers of {numbering.code}")
    letter_date = meta.letter_date or clock.today()
    if letter_date > clock.today():
        raise errors.FutureDate()
    if meta.letter_uuid:
        claims.check_claim(meta.letter_uuid, numbering.agency.code, direction=Direction.OUTGOING)
    prepared, extras = enclosures_mod.prepare_all(upload, list(enclosures or []),
                                                  classified=meta.secrecy != Secrecy.NORMAL)

    now = clock.now()
    sender = meta.sender or numbering.agency.name_th
    letter = records.create_letter(
        agency_id=numbering.agency_id, unit=numbering, direction=Direction.OUTGOING, kind=meta.kind,
        letter_date=letter_date, sender=sender, addressee=meta.addressee,
        subject=meta.subject, urgency=meta.urgency, secrecy=meta.secrecy, remark=meta.remark, created_by=actor,
        created_at=now, **({"letter_uuid": meta.letter_uuid} if meta.letter_uuid else {}),
    )
    kept = store_parts(letter, prepared, extras)
    book, number = next_number(numbering, kind, clock.year_be(now))
    display = display_number(kind, number, prefix=numbering.ref_prefix, year_be=book.year_be)
    records.set_reference(letter, display)
    entry = RegisterEntry.objects.create(
        book=book, number=number, display=display, letter=letter, ref=display, letter_date=letter_date,
        from_text=sender, to_text=meta.addressee, subject=meta.subject, remark=meta.remark, registered_at=now,
        registered_by=actor, urgency=meta.urgency, secrecy=meta.secrecy,
    )
    if prepared is not None and kept[0] is not None:
        if stamp:  # drawn by the worker after the commit: the book stays locked only briefly
            from .tasks import stamp_number

            enqueue(stamp_number, str(entry.pk), str(kept[0].pk))
        records.mark_awaiting_dispatch(letter)
    audit.record("registry.issue_outgoing", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "book": kind, "year": book.year_be, "number": number, "display": display,
        "unit": numbering.code, "subject": meta.subject if meta.secrecy == Secrecy.NORMAL else "",
        "files": [f.blob.sha256 for f in ([kept[0]] if kept[0] else []) + kept[1]],
    })
    return entry


@action("registry.cancel")
def cancel_registration(actor: Actor, entry: RegisterEntry, reason: str) -> RegisterEntry:
    """Cancel a registration: the number stays in the book, marked cancelled with the reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("ต้องระบุเหตุผลการยกเลิก", "A reason for cancelling is required", code="reason_required")
    entry = RegisterEntry.objects.select_related("book", "letter").get(pk=entry.pk)
    if not policy.can_cancel_entry(principal_for(actor), entry):
        raise _deny("ยกเลิกรายการนี้", "cancel this registration")
    if entry.cancelled:
        raise errors.AlreadyCancelled()
    now = clock.now()
    RegisterEntry.objects.filter(pk=entry.pk).update(
        cancelled=True, cancel_reason=reason[:1000], cancelled_at=now, cancelled_by=actor
    )
    touch(entry.letter_id)
    if not RegisterEntry.objects.filter(letter_id=entry.letter_id, cancelled=False).exists():
        records.mark_cancelled(entry.letter_id)
    entry.refresh_from_db()
    audit.record("registry.cancel", actor=actor, obj=entry, data=audit.withhold({
        "book": entry.book.kind, "year": entry.book.year_be, "number": entry.number, "reason": reason,
    }, classified=entry.secrecy != Secrecy.NORMAL))
    return entry


@action("registry.record_placeholder")
def record_top_secret_placeholder(actor: Actor, meta: PlaceholderMetadata) -> RegisterEntry:
    """A ลับที่สุด letter is handled outside the system: keep only a row that says so (R3)."""
    unit = resolve_unit(actor, meta.unit)
    if not policy.can_record_placeholder(principal_for(actor), unit.pk):
        raise _deny("บันทึกรายการหนังสือลับที่สุด", "record top secret placeholders")
    incoming = meta.direction == "incoming"
    kind = BookKind.SECRET_RECEIVED if incoming else BookKind.SECRET_SENT
    numbering = unit if incoming else unit.numbering_unit()
    if numbering is None:
        raise errors.NoNumberingUnit()
    now = clock.now()
    letter = records.create_letter(
        agency_id=unit.agency_id, unit=numbering, direction=Direction.INCOMING if incoming else Direction.OUTGOING,
        kind="external", their_ref=meta.their_ref, letter_date=meta.letter_date,
        sender=meta.sender, addressee=meta.addressee, subject=TOP_SECRET_SUBJECT,
        secrecy=Secrecy.TOP_SECRET, status=LetterStatus.OUTSIDE, remark=meta.remark, created_by=actor,
        created_at=now, channel="outside",
    )
    book, number = next_number(numbering, kind, clock.year_be(now))
    display = display_number(kind, number, prefix=numbering.ref_prefix, year_be=book.year_be)
    entry = RegisterEntry.objects.create(
        book=book, number=number, display=display, letter=letter, ref=meta.their_ref if incoming else display,
        letter_date=meta.letter_date, from_text=meta.sender, to_text=meta.addressee, subject=TOP_SECRET_SUBJECT,
        action_text="ดำเนินการนอกระบบ", remark=meta.remark, registered_at=now, registered_by=actor,
        secrecy=Secrecy.TOP_SECRET,
    )
    audit.record("registry.record_placeholder", actor=actor, obj=entry, data={
        "book": kind, "year": book.year_be, "number": number,
    })
    return entry


def is_secret_book(kind: str) -> bool:
    return kind in SECRET_BOOKS


@action("registry.set_floor")
def set_book_floor(actor: Actor, unit: Unit, kind: str, year_be: int, last_number: int) -> None:
    """Start a book after the numbers already used in the paper register (migrating mid-year).

    Allowed only while the book has no entry, so it can never skip or reuse a number the system gave.
    """
    from saraban.orgs.models import Role

    if kind not in BookKind.values:
        raise InvalidInput(f"ไม่รู้จักทะเบียน {kind}", f"Unknown register {kind}", code="unknown_book")
    if last_number < 0:
        raise InvalidInput("เลขต้องไม่ติดลบ", "The number must not be negative", code="invalid_number")
    p = principal_for(actor)
    if not (p.has_role(Role.ADMIN, unit.pk) or p.is_superuser):
        raise _deny("ตั้งเลขเริ่มต้นของทะเบียน", "set where a register starts")
    if RegisterEntry.objects.filter(book__unit=unit, book__kind=kind, book__year_be=year_be).exists():
        raise errors.Conflict("ทะเบียนนี้มีรายการแล้ว ตั้งเลขเริ่มต้นไม่ได้", "The register already has entries",
                              code="book_in_use")
    book, _ = RegisterBook.objects.get_or_create(unit=unit, kind=kind, year_be=year_be)
    RegisterBook.objects.filter(pk=book.pk).update(last_number=last_number, floor=last_number)
    audit.record("registry.set_floor", actor=actor, obj=book, data={
        "unit": unit.code, "book": kind, "year": year_be, "last_paper_number": last_number,
    })
