"""Background work of routing (the worker runs these after the action committed).

Sending notices is :func:`saraban.routing.notify.delivery.deliver`.
"""

from __future__ import annotations

from django_tasks import task

from saraban.kernel import clock
from saraban.letters.models import FileRole, Letter, LetterFile
from saraban.registry.models import RegisterEntry
from saraban.storage import blobs

from .actions.annex import keep_annex
from .actions.digest import send_digest
from .annex import append_pages
from .annex import render_annex as draw_annex
from .errors import DigestNotDue
from .models import AnnexCopy, Endorsement, NotifyPreference
from .notify.service import digest_due


def annex_base(letter: Letter) -> LetterFile | None:
    """The newest receipt-stamped presentation copy (else the original, copied — never changed)."""
    files = LetterFile.objects.select_related("blob").filter(letter=letter)
    return (files.filter(role=FileRole.PRESENTATION).order_by("-created_at").first()
            or files.filter(role=FileRole.LETTER).order_by("created_at").first())


@task()
def render_annex(letter_id: str) -> str:
    """A new presentation copy with every endorsement so far on annex pages; safe to run twice."""
    letter = Letter.objects.select_related("agency", "unit").get(pk=letter_id)
    entries = list(Endorsement.objects.filter(letter=letter).select_related("follows").order_by("created_at"))
    if not entries:
        return ""
    done = AnnexCopy.objects.filter(letter=letter, last_endorsement=entries[-1]).first()
    if done is not None:
        return str(done.file_id)
    base = annex_base(letter)
    if base is None:
        return ""
    entry = RegisterEntry.objects.filter(letter=letter).order_by("registered_at").first()
    annex = draw_annex(agency=letter.agency.stamp_name or letter.agency.name_th,
                       receipt=entry.display if entry else "-", subject=letter.subject, their_ref=letter.their_ref,
                       entries=entries)
    data = append_pages(blobs.read(base.blob), annex)
    name = base.name.rsplit(".", 1)[0].removesuffix("-ตรารับ") + f"-เกษียน-{len(entries)}.pdf"
    derived = keep_annex(letter, base, name=name, data=data, pages=(base.pages or 0) + _pages(annex) or None,
                         endorsements=entries)
    return str(derived.pk)


def _pages(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as p:
        return len(p.pages)


@task()
def send_daily_digests() -> int:
    """For everyone who chose a daily digest and whose hour has come: one message with the day's notices."""
    now = clock.now()
    sent = 0
    for pref in NotifyPreference.objects.filter(mode=NotifyPreference.Mode.DIGEST).select_related("person"):
        if digest_due(pref, now) and pref.person.notifications.filter(digested_at__isnull=True).exists():
            try:
                sent += int(send_digest(pref.person) > 0)
            except DigestNotDue:  # another worker sent it a moment ago
                continue
    return sent
