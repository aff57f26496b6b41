"""The yearly destruction workflow (ข้อ 66–70; R40–R42): list → committee → decisions → signatures →
head's approval → Fine Arts Department (60 days' silence is consent) → destruction → destruction record.

Each step checks the one before it; nothing can be destroyed before every step is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency, Person

from .. import retention as rt
from .. import shred
from ..errors import (
    CommitteeIneligible,
    CommitteeTooSmall,
    InvalidInput,
    NoConsentYet,
    NotCommitteeMember,
    NotHead,
    NothingDue,
    PermissionDenied,
    Undecided,
    WrongStep,
    YearNotEnded,
)
from ..models import (
    CommitteeMember,
    CommitteeRole,
    Decision,
    DestructionItem,
    DestructionList,
    Filing,
    FilingState,
    ListState,
)
from ..policy import is_head, is_keeper

CLASSIFIED_REMARK = "ชั้นความลับ: ทำลายตามระเบียบว่าด้วยการรักษาความลับของทางราชการ"
MIN_MEMBERS = 2


def _step(dlist: DestructionList, *states: str) -> None:
    if dlist.state not in states:
        raise WrongStep(details={"state": dlist.state, "expected": list(states)})


def due_filings(agency: Agency, year_be: int) -> list[Filing]:
    """Items of ``agency`` whose retention ended by ``year_be`` and that are on no list yet (permanent never)."""
    return list(Filing.objects.filter(agency=agency, state=FilingState.KEPT, keep_until_be__isnull=False,
                                      keep_until_be__lte=year_be)
                .select_related("letter", "file_code").order_by("file_code__code", "letter__letter_date"))


@action("records.make_destruction_list")
def make_destruction_list(actor: Actor, agency: Agency, year_be: int) -> DestructionList:
    """Survey the items whose retention ended in ``year_be`` (form 25), after 31 December of that year."""
    if not is_keeper(actor, agency):
        raise PermissionDenied()
    if year_be >= clock.year_be():
        raise YearNotEnded(details={"year": year_be})
    items = due_filings(agency, year_be)
    if not items:
        raise NothingDue(details={"year": year_be})
    _first, last = rt.list_window(year_be)
    dlist = DestructionList.objects.create(agency=agency, year_be=year_be, created_at=clock.now(), created_by=actor,
                                           due_by=last, late=clock.today() > last)
    DestructionItem.objects.bulk_create([
        DestructionItem(dlist=dlist, filing=f, order=n,
                        remark=CLASSIFIED_REMARK if f.letter.is_classified else "")
        for n, f in enumerate(items, start=1)])
    Filing.objects.filter(pk__in=[f.pk for f in items]).update(state=FilingState.LISTED)
    audit.record("records.make_destruction_list", actor=actor, obj=dlist, data={
        "agency": agency.code, "year": year_be, "items": len(items), "late": dlist.late})
    return dlist


def _eligible(dlist: DestructionList, people: Sequence[Person]) -> None:
    if len({p.pk for p in people}) != len(people):
        raise CommitteeIneligible(details={"reason": "duplicate"})
    for p in people:
        if p.user_id is None or p.home_unit.agency_id != dlist.agency_id:
            raise CommitteeIneligible(details={"person": str(p.pk)})


@action("records.appoint_committee")
def appoint_committee(actor: Actor, dlist: DestructionList, chair: Person, members: Sequence[Person],
                      order_ref: str = "") -> DestructionList:
    """The head appoints the committee: a chair and at least two members (ข้อ 67)."""
    if not is_head(actor, dlist.agency):
        raise NotHead()
    _step(dlist, ListState.DRAFT)
    people = [chair, *members]
    if len(members) < MIN_MEMBERS:
        raise CommitteeTooSmall(details={"size": len({p.pk for p in people})})
    _eligible(dlist, people)
    CommitteeMember.objects.bulk_create(
        [CommitteeMember(dlist=dlist, person=p, order=n,
                         role=CommitteeRole.CHAIR if n == 0 else CommitteeRole.MEMBER) for n, p in enumerate(people)])
    dlist.state, dlist.appointed_at, dlist.appointed_by, dlist.order_ref = (
        ListState.COMMITTEE, clock.now(), actor, order_ref)
    dlist.save(update_fields=["state", "appointed_at", "appointed_by", "order_ref"])
    audit.record("records.appoint_committee", actor=actor, obj=dlist, data={
        "chair": str(chair.pk), "members": [str(p.pk) for p in members], "order_ref": order_ref})
    return dlist


def member_of(actor: Actor, dlist: DestructionList) -> CommitteeMember:
    m = CommitteeMember.objects.filter(dlist=dlist, person__user=actor).first() if actor is not None else None
    if m is None:
        raise NotCommitteeMember()
    return m


@action("records.decide_items")
def decide_items(actor: Actor, dlist: DestructionList, decisions: dict, *, new_keep_until: dict | None = None,
                 remarks: dict | None = None) -> int:
    """A committee member marks items ``destroy`` or ``keep`` (a kept item needs its new keep-until year,
    ข้อ 68.2).  A change clears the signatures already given."""
    member_of(actor, dlist)
    _step(dlist, ListState.COMMITTEE)
    items = {str(i.pk): i for i in DestructionItem.objects.filter(dlist=dlist)}
    new_keep_until, remarks = new_keep_until or {}, remarks or {}
    for key, decision in decisions.items():
        item = items.get(str(key))
        if item is None or decision not in (Decision.DESTROY, Decision.KEEP):
            raise InvalidInput("รายการหรือผลการพิจารณาไม่ถูกต้อง", "Unknown item or decision", details={"item": str(key)})
        until = new_keep_until.get(key) or new_keep_until.get(str(key))
        if decision == Decision.KEEP and (not until or int(until) <= dlist.year_be):
            raise InvalidInput("รายการที่ขยายเวลาเก็บต้องกำหนดปีที่เก็บถึงใหม่", "A kept item needs a new keep-until year",
                               details={"item": str(key)})
        item.decision = decision
        item.new_keep_until_be = int(until) if decision == Decision.KEEP and until else None
        item.remark = str(remarks.get(key, item.remark))[:1000]
        item.save(update_fields=["decision", "new_keep_until_be", "remark"])
    CommitteeMember.objects.filter(dlist=dlist).update(signed_at=None)
    audit.record("records.decide_items", actor=actor, obj=dlist, data={
        "decisions": {str(k): v for k, v in list(decisions.items())[:200]}})
    return len(decisions)


@action("records.sign_list")
def sign_list(actor: Actor, dlist: DestructionList) -> DestructionList:
    """A member signs the list (ข้อ 68.4); once all have signed it goes to the head."""
    member = member_of(actor, dlist)
    _step(dlist, ListState.COMMITTEE)
    if DestructionItem.objects.filter(dlist=dlist, decision=Decision.PENDING).exists():
        raise Undecided()
    member.signed_at = clock.now()
    member.save(update_fields=["signed_at"])
    if not CommitteeMember.objects.filter(dlist=dlist, signed_at__isnull=True).exists():
        dlist.state = ListState.SIGNED
        dlist.save(update_fields=["state"])
    audit.record("records.sign_list", actor=actor, obj=dlist, data={"member": str(member.person_id),
                                                                    "state": dlist.state})
    return dlist


@action("records.approve_list")
def approve_list(actor: Actor, dlist: DestructionList) -> DestructionList:
    """The head approves (ข้อ 69); items the committee kept return to keeping with their new period."""
    if not is_head(actor, dlist.agency):
        raise NotHead()
    _step(dlist, ListState.SIGNED)
    kept = list(DestructionItem.objects.filter(dlist=dlist, decision=Decision.KEEP))
    for item in kept:
        Filing.objects.filter(pk=item.filing_id).update(state=FilingState.KEPT, keep_until_be=item.new_keep_until_be)
    dlist.state, dlist.approved_at, dlist.approved_by = ListState.APPROVED, clock.now(), actor
    dlist.save(update_fields=["state", "approved_at", "approved_by"])
    audit.record("records.approve_list", actor=actor, obj=dlist, data={"kept": len(kept)})
    return dlist


@action("records.send_list")
def send_list(actor: Actor, dlist: DestructionList, sent_on: dt.date, sent_ref: str = "") -> DestructionList:
    """The approved list goes to the Fine Arts Department; silence for 60 days is consent."""
    if not (is_keeper(actor, dlist.agency) or is_head(actor, dlist.agency)):
        raise PermissionDenied()
    _step(dlist, ListState.APPROVED)
    if sent_on > clock.today() or (dlist.approved_at and sent_on < clock.to_bkk(dlist.approved_at).date()):
        raise InvalidInput("วันที่ส่งต้องไม่ก่อนวันเห็นชอบและไม่เป็นวันในอนาคต",
                           "The sending date must be on or after the approval and not in the future")
    dlist.state, dlist.sent_on, dlist.sent_ref, dlist.consent_on = (
        ListState.SENT, sent_on, sent_ref, rt.consent_date(sent_on))
    dlist.save(update_fields=["state", "sent_on", "sent_ref", "consent_on"])
    audit.record("records.send_list", actor=actor, obj=dlist, data={
        "sent_on": sent_on.isoformat(), "consent_on": dlist.consent_on.isoformat(), "ref": sent_ref})
    return dlist


@action("records.fad_reply")
def record_fad_reply(actor: Actor, dlist: DestructionList, replied_on: dt.date, *,
                     keep: dict | None = None) -> DestructionList:
    """The Fine Arts Department answered: it agrees, and may ask to keep items (``keep``: item id → new
    keep-until year).  Its agreement makes the list destroyable from ``replied_on``."""
    if not (is_keeper(actor, dlist.agency) or is_head(actor, dlist.agency)):
        raise PermissionDenied()
    _step(dlist, ListState.SENT)
    for key, until in (keep or {}).items():
        item = DestructionItem.objects.filter(dlist=dlist, pk=key).first()
        if item is None:
            raise InvalidInput("ไม่พบรายการ", "Unknown item", details={"item": str(key)})
        DestructionItem.objects.filter(pk=item.pk).update(decision=Decision.KEEP, new_keep_until_be=int(until),
                                                          remark="กรมศิลปากรขอให้เก็บไว้")
        Filing.objects.filter(pk=item.filing_id).update(state=FilingState.KEPT, keep_until_be=int(until))
    dlist.fad_reply = "agreed"
    dlist.consent_on = min(dlist.consent_on or replied_on, replied_on)
    dlist.save(update_fields=["fad_reply", "consent_on"])
    audit.record("records.fad_reply", actor=actor, obj=dlist, data={
        "replied_on": replied_on.isoformat(), "kept": [str(k) for k in (keep or {})]})
    return dlist


@action("records.destroy")
def destroy(actor: Actor, dlist: DestructionList, method: str = "ลบไฟล์และกุญแจเข้ารหัสถาวร") -> DestructionList:
    """Destroy the items marked ``destroy`` (ข้อ 70): content, copies and backups go; tombstones stay."""
    if not (is_keeper(actor, dlist.agency) or CommitteeMember.objects.filter(
            dlist=dlist, person__user=actor, role=CommitteeRole.CHAIR).exists()):
        raise PermissionDenied()
    if dlist.state != ListState.SENT:
        raise WrongStep(details={"state": dlist.state, "expected": [ListState.SENT]})
    if dlist.consent_on is None or clock.today() < dlist.consent_on:
        raise NoConsentYet(details={"consent_on": dlist.consent_on.isoformat() if dlist.consent_on else None})
    items = list(DestructionItem.objects.filter(dlist=dlist, decision=Decision.DESTROY).select_related("filing"))
    now = clock.now()
    done = shred.shred([i.filing.letter_id for i in items])
    DestructionItem.objects.filter(pk__in=[i.pk for i in items]).update(destroyed_at=now)
    Filing.objects.filter(pk__in=[i.filing_id for i in items]).update(
        state=FilingState.DESTROYED, destroyed_at=now, destruction_list=dlist)
    dlist.state, dlist.destroyed_at, dlist.destroyed_by, dlist.method = ListState.DESTROYED, now, actor, method
    dlist.save(update_fields=["state", "destroyed_at", "destroyed_by", "method"])
    audit.record("records.destroy", actor=actor, obj=dlist, data={
        "letters": [str(i.filing.letter_id) for i in items][:500], "count": len(items),
        "blobs": len(done.blob_ids), "kept_shared": done.kept_shared, "search_rows": done.search_rows,
        "backup_targets": len(done.targets), "method": method})
    return dlist


@action("records.sign_record")
def sign_record(actor: Actor, dlist: DestructionList) -> DestructionList:
    """A committee member signs the destruction record (ข้อ 68.5: signed jointly)."""
    member = member_of(actor, dlist)
    _step(dlist, ListState.DESTROYED)
    member.record_signed_at = clock.now()
    member.save(update_fields=["record_signed_at"])
    audit.record("records.sign_record", actor=actor, obj=dlist, data={"member": str(member.person_id)})
    return dlist
