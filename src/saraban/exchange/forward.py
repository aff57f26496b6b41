"""ส่งต่อ: passing a received letter on to other agencies over SBX, as it came.

The package carries the letter's own file — the original signed PDF, never the receipt-stamped copy — and
its enclosures byte for byte, with the same ``letter_uuid``; a covering memo (บันทึกนำส่ง), when given, goes
first among the enclosures.  The receiver registers it like any letter from us; its ที่, ลงวันที่ and เรื่อง
are the original's.
"""

from __future__ import annotations

import datetime as dt

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput, PermissionDenied
from saraban.kernel.models import Secrecy
from saraban.kernel.thai import format_date
from saraban.letterpress.slips import CoverMemo, cover_memo_pdf
from saraban.letters import queries as letter_queries
from saraban.letters.models import Direction, FileRole, Letter, LetterStatus
from saraban.orgs.queries import person_for_user
from saraban.registry import policy as registry_policy
from saraban.storage import blobs
from saraban.storage.models import Blob

from .actions import check_recipients, recipient_codes, schedule_dispatches
from .errors import NotSendable, TopSecretNeverSent
from .models import Dispatch, Participant

COVER_NAME = "บันทึกนำส่ง.pdf"
COVER_TITLE = "บันทึกนำส่ง (ส่งต่อ)"


def check_forwardable(actor: Actor, letter: Letter) -> None:
    """A registered, uncancelled received letter with its file, forwarded by a registrar of its unit."""
    if letter.secrecy == Secrecy.TOP_SECRET:
        raise TopSecretNeverSent()
    if letter.status == LetterStatus.CANCELLED:
        raise NotSendable("หนังสือนี้ถูกยกเลิกแล้ว ส่งต่อไม่ได้", "This letter was cancelled and cannot be forwarded",
                          code="letter_cancelled")
    if letter.direction != Direction.INCOMING or letter.status != LetterStatus.REGISTERED:
        raise NotSendable("ส่งต่อได้เฉพาะหนังสือรับที่ลงทะเบียนแล้ว", "Only registered incoming letters can be forwarded",
                          code="not_forwardable")
    if not letter.files.filter(role=FileRole.LETTER).exists():
        raise NotSendable("หนังสือนี้ไม่มีไฟล์หนังสือ จึงส่งต่อทางระบบไม่ได้", "This letter has no file to forward",
                          code="letter_not_signed")
    if not registry_policy.can_register_in(principal_for(actor), letter.unit_id, letter.secrecy):
        raise PermissionDenied("ท่านไม่มีสิทธิ์ส่งต่อหนังสือนี้", "You may not forward this letter")


def about(letter: Letter) -> str:
    """``หนังสือ<จาก> ที่ … ลงวันที่ … เรื่อง …`` (the subject left out of a classified letter's memo)."""
    text = f"หนังสือ{letter.sender}"
    if letter.their_ref:
        text += f" ที่ {letter.their_ref}"
    if letter.letter_date:
        text += f" ลงวันที่ {format_date(letter.letter_date)}"
    if not letter.is_classified:
        text += f" เรื่อง {letter.subject}"
    return text


def render_cover(actor: Actor, letter: Letter, participants: list[Participant], note: str) -> bytes:
    person = person_for_user(actor)
    enclosure_titles = [f.label for f in letter_queries.parts(letter).enclosures]
    return cover_memo_pdf(CoverMemo(
        agency=letter.agency.name_th, date=format_date(clock.today()), about=about(letter),
        to=tuple(p.name_th for p in participants), note=note, by=person.full_name_th if person else "",
        position=person.home_unit.name_th if person and person.home_unit_id else "",
        enclosures=(about(letter), *enclosure_titles)))


@action("exchange.forward")
def forward(actor: Actor, letter: Letter, recipients: list[str], *, note: str = "",
            ttl: dt.timedelta | None = None) -> list[Dispatch]:
    """Forward a received letter by SBX to each recipient, with an optional covering memo (``note``)."""
    codes_ = recipient_codes(recipients)
    letter = Letter.objects.select_related("agency", "unit").get(pk=letter.pk)
    check_forwardable(actor, letter)
    note = "\n".join(" ".join(line.split()) for line in (note or "").splitlines()).strip()
    if len(note) > 5000:
        raise InvalidInput("บันทึกนำส่งยาวเกิน 5,000 ตัวอักษร", "The covering memo is longer than 5,000 characters",
                           code="note_too_long")
    chosen = check_recipients(letter, codes_, ttl, sbx_only=True)
    cover: Blob | None = None
    if note:
        cover = blobs.put(render_cover(actor, letter, [p for p, _ in chosen], note), "application/pdf",
                          encrypted=letter.is_classified)
    out, batch, expires = schedule_dispatches(actor, letter, chosen, ttl, forward=True, cover=cover)
    audit.record("exchange.forward", actor=actor, obj=letter, data={
        "letter": str(letter.pk), "batch": str(batch), "recipients": [p.code for p, _ in chosen],
        "expires_at": expires, "messages": [str(d.message.message_id) for d in out],
        "cover": cover.sha256 if cover else None, "note": "" if letter.is_classified else note,
    })
    return out
