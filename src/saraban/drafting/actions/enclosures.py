"""A draft's enclosures (สิ่งที่ส่งมาด้วย): attach files, take one off, put them in order, retitle them.

The files are kept with the draft; their titles are the letter's "สิ่งที่ส่งมาด้วย" lines.  Every change saves
a new version whose lines follow the files, so reviewers see it and the approved version names exactly the
files that were attached when it was approved (files change only while the draft may be edited).  At signing
the files become the letter's enclosures with the same bytes (:mod:`.signing`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput
from saraban.letters import enclosures
from saraban.letters.enclosures import Upload
from saraban.letters.models import FileRole
from saraban.orgs.models import Person
from saraban.storage import blobs

from .. import build, policy, queries
from ..models import Draft, DraftEnclosure, DraftVersion
from .drafts import _audit_data, _deny, _locked, _new_version


def _editable(actor: Actor, draft: Draft) -> tuple[Person, Draft]:
    person = queries.person_of(actor)
    draft = _locked(draft)
    if not draft.editable or not policy.can_edit_draft(principal_for(actor), draft):
        raise _deny("แก้ไขสิ่งที่ส่งมาด้วยของร่างนี้ในขณะนี้", "change the enclosures of this draft now")
    return person, draft


def _relined(draft: Draft, person: Person, note: str) -> DraftVersion:
    """A new version whose สิ่งที่ส่งมาด้วย lines are the titles of the files now attached."""
    titles = [e.label for e in draft.enclosures.order_by("order")]
    letter = build.with_enclosures(queries.letter_of(queries.version(draft)), titles)
    return _new_version(draft, letter, person, note)


def _audit(actor: Actor, draft: Draft, event: str, files: Sequence[DraftEnclosure]) -> None:
    audit.record(event, actor=actor, obj=draft, data=_audit_data(
        draft, files=[{"sha256": f.blob.sha256, "order": f.order} for f in files]))


@action("drafting.attach")
def attach(actor: Actor, draft: Draft, uploads: Sequence[Upload]) -> list[DraftEnclosure]:
    """Attach files as enclosures after those already there (``Upload.title``: the line; default: the
    file name)."""
    person, draft = _editable(actor, draft)
    if not uploads:
        raise InvalidInput("กรุณาเลือกไฟล์ที่จะแนบ", "Choose a file to attach", code="file_required")
    kept = list(draft.enclosures.select_related("blob"))
    _, parts = enclosures.prepare_all(None, list(uploads), classified=draft.is_classified, already=len(kept),
                                      already_bytes=sum(f.blob.size for f in kept))
    start = max((f.order for f in kept), default=0)
    now = clock.now()
    added = [DraftEnclosure.objects.create(
        draft=draft, role=FileRole.ENCLOSURE, name=p.name, title=p.title, order=start + i, pages=p.pages,
        blob=blobs.record(p.staged), added_by=person, added_at=now) for i, p in enumerate(parts, start=1)
        if p.staged is not None]
    _relined(draft, person, "แนบสิ่งที่ส่งมาด้วย")
    _audit(actor, draft, "drafting.attach", added)
    return added


@action("drafting.detach")
def detach(actor: Actor, draft: Draft, enclosure_id: Any) -> None:
    """Take an enclosure off the draft (the file stays wherever else it is used)."""
    person, draft = _editable(actor, draft)
    f = _one(draft, enclosure_id)
    f.delete()
    for n, rest in enumerate(draft.enclosures.order_by("order"), start=1):
        if rest.order != n:
            DraftEnclosure.objects.filter(pk=rest.pk).update(order=n)
    _relined(draft, person, "นำสิ่งที่ส่งมาด้วยออก")
    _audit(actor, draft, "drafting.detach", [f])


@action("drafting.arrange")
def arrange(actor: Actor, draft: Draft, *, order: Sequence[Any] | None = None,
            titles: Mapping[Any, str] | None = None) -> list[DraftEnclosure]:
    """Put the enclosures in ``order`` (every enclosure id once) and retitle them (``titles``: id → line)."""
    person, draft = _editable(actor, draft)
    files = {str(f.pk): f for f in draft.enclosures.select_related("blob")}
    ids = [str(i) for i in order] if order is not None else [str(f.pk) for f in draft.enclosures.order_by("order")]
    if sorted(ids) != sorted(files):
        raise InvalidInput("ลำดับต้องระบุสิ่งที่ส่งมาด้วยทุกรายการครั้งละหนึ่งครั้ง",
                           "The order must list every enclosure exactly once", code="invalid_order")
    titles = {str(k): v for k, v in (titles or {}).items()}
    for n, fid in enumerate(ids, start=1):
        f = files[fid]
        f.order = n
        if fid in titles:
            f.title = enclosures.clean_title(titles[fid], f.name)
        f.save(update_fields=["order", "title"])
    _relined(draft, person, "จัดลำดับสิ่งที่ส่งมาด้วย")
    out = [files[i] for i in ids]
    _audit(actor, draft, "drafting.arrange", out)
    return out


def _one(draft: Draft, enclosure_id: Any) -> DraftEnclosure:
    try:
        f = draft.enclosures.select_related("blob").filter(pk=uuid.UUID(str(enclosure_id))).first()
    except ValueError:  # a malformed id is a missing one
        f = None
    if f is None:
        raise InvalidInput("ไม่พบสิ่งที่ส่งมาด้วยนี้ในร่าง", "No such enclosure on this draft", code="enclosure_not_found",
                           status=404)
    return f
