"""Creating notifications inside an action's transaction (the worker sends them: :mod:`.delivery`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from saraban.kernel import clock
from saraban.kernel.tasks import enqueue
from saraban.letters.models import Letter
from saraban.orgs.models import Person

from ..models import Notification, NotifyPreference, Outbound, Step
from .base import setting
from .delivery import deliver

CLASSIFIED_TITLE = "มีหนังสือลับถึงท่าน"
"""All a notice about a ลับ / ลับมาก letter says: no subject, no instruction, no sender, no reason."""


def link(url: str) -> str:
    """``url`` made absolute with ``SARABAN_PUBLIC_URL`` when one is set (e-mail and LINE need it)."""
    base = setting("SARABAN_PUBLIC_URL").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def redact(letter: Letter | None, title: str, body: str) -> tuple[str, str]:
    """The words a notice may carry: for a classified letter only :data:`CLASSIFIED_TITLE` (and its link)."""
    if letter is not None and letter.is_classified:
        return CLASSIFIED_TITLE, ""
    return title, body


def preference(person: Person) -> NotifyPreference:
    pref = NotifyPreference.objects.filter(person=person).first()
    return pref or NotifyPreference(person=person)


def outbound(person: Person, pref: NotifyPreference, subject: str, body: str,
             notification: Notification | None) -> list[Outbound]:
    """The e-mail and LINE copies ``person`` chose, not yet saved."""
    out = []
    now = clock.now()
    if pref.email and person.email:
        out.append(Outbound(person=person, notification=notification, channel="email", address=person.email,
                            subject=subject, body=body, created_at=now))
    if pref.line and pref.line_user_id:
        out.append(Outbound(person=person, notification=notification, channel="line", address=pref.line_user_id,
                            subject=subject, body=body, created_at=now))
    return out


def notify(people: Iterable[Person], *, event: str, title: str, body: str = "", letter: Letter | None = None,
           step: Step | None = None, url: str = "") -> list[Notification]:
    """In-app notices for ``people`` (each once), and e-mail/LINE copies for those who chose them.

    Every notice is made here, so this is where a classified letter's words are kept out: a notice about a
    ลับ / ลับมาก letter says only "มีหนังสือลับถึงท่าน" and links to it, whatever the caller wrote."""
    title, body = redact(letter, title, body)
    seen: set = set()
    made = []
    now = clock.now()
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        pref = preference(person)
        each = pref.mode == NotifyPreference.Mode.EACH
        n = Notification.objects.create(person=person, letter=letter, step=step, event=event, title=title[:500],
                                        body=body, url=url, created_at=now, digested_at=now if each else None)
        made.append(n)
        if each:
            text = f"{body}\n{link(url)}".strip() if url else body
            for ob in outbound(person, pref, title, text, n):
                ob.save()
                enqueue(deliver, str(ob.pk))
    return made


def digest_due(pref: NotifyPreference, now: dt.datetime) -> bool:
    """Once a Bangkok day, from the reader's chosen hour on."""
    local = clock.to_bkk(now)
    return local.hour >= pref.digest_hour and pref.last_digest_on != local.date()


def build_digest(person: Person, items: list[Notification]) -> tuple[str, str]:
    from saraban.kernel.thai import format_date, format_time

    title = f"สรุปงานสารบรรณประจำวัน {format_date(clock.now(), style='abbr')}: {len(items)} รายการ"
    lines = [f"- {format_time(n.created_at)} {redact(n.letter, n.title, '')[0]}" + (f" {link(n.url)}" if n.url else "")
             for n in items]
    return title, "\n".join(lines)
