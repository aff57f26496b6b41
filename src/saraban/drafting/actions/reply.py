"""ตอบหนังสือนี้: a draft that answers a letter.  Its อ้างถึง, addressee and subject come from the letter; at
signing the reply and the letter are linked both ways (:func:`saraban.letters.records.link_reply`)."""

from __future__ import annotations

from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.thai import format_date
from saraban.letters import queries as letter_queries
from saraban.letters.models import Direction, Letter

from ..models import Draft
from .drafts import _audit_data, new_draft

OPENING = "ตามหนังสือที่อ้างถึง ความละเอียดแจ้งแล้ว นั้น"


def reference_line(letter: Letter) -> str:
    """The อ้างถึง line citing ``letter`` (ข้อ 11.6: agency, number, date): ``หนังสือกรม… ที่ … ลงวันที่ …``."""
    who = letter.sender if letter.direction == Direction.INCOMING else letter.agency.name_th
    parts = [f"หนังสือ{who}".strip()]
    if letter.their_ref:
        ref = letter.their_ref
        parts.append(ref if ref.startswith("ที่") else f"ที่ {ref}")
    if letter.letter_date:
        parts.append(f"ลงวันที่ {format_date(letter.letter_date)}")
    return " ".join(parts)


def reply_form(letter: Letter) -> dict[str, str]:
    """The editor fields a reply starts with."""
    to = letter.sender if letter.direction == Direction.INCOMING else letter.addressee
    return {"subject": letter.subject, "to_title": to, "references": reference_line(letter), "body": OPENING}


@action("drafting.reply")
def start_reply(actor: Actor, letter_id: object, *, unit: str | None = None) -> Draft:
    """Start a draft answering the letter (which the actor must be able to see: otherwise the same 404 as for a
    letter that does not exist)."""
    letter = letter_queries.letter_for(actor, letter_id)
    kind = "memo" if letter.kind == "memo" else "external"
    form = reply_form(letter)
    if letter.is_classified:  # a reply is at least as secret as what it answers
        form["secrecy"] = {"confidential": "ลับ", "secret": "ลับมาก"}.get(letter.secrecy, "ปกติ")
    draft = new_draft(actor, kind=kind, unit=unit, form=form, reply_to=letter)
    audit.record("drafting.reply", actor=actor, obj=draft, data=_audit_data(draft, reply_to=str(letter.pk)))
    return draft
