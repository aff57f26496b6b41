"""What a letter is found by: its register fields, routing texts, drafted text and the text of its files.

:func:`parts_of` splits a letter into *public* parts (register fields that are not secret: ที่, register
numbers, parties, units, dates in B.E. and C.E.) and *secret* parts (subject, remarks, การปฏิบัติ,
endorsements, instructions, the drafted text, the text of its files).  :func:`documents` turns them into
index rows: an unclassified letter's row holds both; a ลับ / ลับมาก letter's row holds only the public
parts in the clear, and the whole text sealed (:mod:`saraban.search.sealed`) for cleared readers to match
(:mod:`saraban.search.classified`): the shared index never holds classified text in the clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from saraban.kernel.thai import MONTHS_ABBR, MONTHS_EN, MONTHS_FULL, be_year
from saraban.letterpress.content import plain_text
from saraban.letterpress.serial import from_json
from saraban.letters.models import Letter, LetterFile
from saraban.registry.models import RegisterEntry
from saraban.routing.models import Endorsement, Step

from . import sealed
from .analyse import clean, fold, plain_tokens, words

TEXT_ROLES = ("original", "enclosure")  # presentation, annex and signed copies repeat what these say
MAX_TEXT = 200_000  # characters of file text indexed per letter


def date_forms(day: dt.date | None) -> list[str]:
    """A date as people write it: ``5 มกราคม 2569``, ``5 ม.ค. 2569``, ``5 ม.ค. 69``, ``5/1/2569``,
    ``5/1/2026``, ``5 January 2026`` and ``2026-01-05`` (the form a date query becomes)."""
    if day is None:
        return []
    be = be_year(day.year)
    m = day.month - 1
    return [f"{day.day} {MONTHS_FULL[m]} {be}", f"{day.day} {MONTHS_ABBR[m]} {be}",
            f"{day.day} {MONTHS_ABBR[m]} {be % 100:02d}", f"{day.day}/{day.month}/{be}",
            f"{day.day}/{day.month}/{day.year}", f"{day.day} {MONTHS_EN[m]} {day.year}", day.isoformat()]


@dataclass
class Parts:
    public: list[str] = field(default_factory=list)
    subject: str = ""
    secret: list[str] = field(default_factory=list)


def _entry_parts(entry: RegisterEntry) -> list[str]:
    book = entry.book
    return [entry.display, f"{book.get_kind_display()} {book.year_be}", book.unit.name_th, book.unit.short_name_th,
            entry.ref, entry.from_text, entry.to_text, *date_forms(entry.registered_at.date())]


def drafted_text(letter: Letter) -> str:
    """The text of a letter drafted here, from its approved (or last) version: its source, not its PDF."""
    draft = getattr(letter, "draft", None)
    if draft is None:
        return ""
    number = draft.approved_version or draft.version
    version = next((v for v in draft.versions.all() if v.number == number), None)
    if version is None:
        return ""
    try:
        return plain_text(from_json(version.content))
    except Exception:  # an old or odd version: the register fields still find the letter
        return ""


def file_texts(letter: Letter) -> list[str]:
    out: list[str] = []
    for f in letter.files.all():
        text = getattr(f, "search_text", None)
        if f.role in TEXT_ROLES and text is not None and text.text:
            out.append(text.text)
    return out


def parts_of(letter: Letter) -> Parts:
    """The public and secret parts of a letter fetched by :func:`load` (its related rows prefetched)."""
    p = Parts()
    p.public += [letter.their_ref, letter.sender, letter.addressee, letter.unit.name_th, letter.unit.short_name_th,
                 *date_forms(letter.letter_date)]
    entries = list(letter.entries.all())
    for entry in entries:
        p.public += _entry_parts(entry)
    p.subject = letter.subject
    p.secret += [letter.remark, *(e.remark for e in entries), *(e.action_text for e in entries)]
    for s in letter.steps.all():
        p.secret += [s.to_label, s.instruction]
    for e in letter.endorsements.all():
        p.secret += [e.text, e.typed_name, e.position_title, e.target_label]
    p.secret.append(drafted_text(letter))
    p.secret += file_texts(letter)
    return p


@dataclass(frozen=True)
class Document:
    letter_id: uuid.UUID
    head: str
    body: str
    words: str
    text: str
    classified: bool
    secret_text: str = ""  # classified only: the whole text (shown form), sealed before it is written
    secret_words: str = ""

    @property
    def digest(self) -> str:
        raw = "\x1f".join((self.head, self.body, self.words, "1" if self.classified else "0",
                           sealed.mac(self.secret_text + "\x1f" + self.secret_words) if self.classified else ""))
        return hashlib.sha256(raw.encode()).hexdigest()

    def sealed(self) -> bytes | None:
        return sealed.seal(self.letter_id, self.secret_text, self.secret_words) if self.classified else None


def _join(items: Iterable[str]) -> str:
    seen: list[str] = []
    for item in items:
        c = clean(item)
        if c and c not in seen:
            seen.append(c)
    return " · ".join(seen)


def _tokens(head_text: str, text: str) -> str:
    out = dict.fromkeys(words(head_text))
    out.update(dict.fromkeys(plain_tokens(text)))
    return " ".join(out)


def document(letter: Letter) -> Document:
    """The index row of a letter (see the module's docstring for what a classified letter's row holds)."""
    p = parts_of(letter)
    public = _join(p.public)
    full_head = _join([p.subject, public])
    full = _join([full_head, *p.secret])[:MAX_TEXT]
    if not (letter.is_classified or letter.status == "outside"):
        return Document(letter.pk, fold(full_head), fold(full), _tokens(full_head, full), full, False)
    return Document(letter.pk, fold(public), fold(public), _tokens(public, public), public, True,
                    secret_text=full, secret_words=_tokens(full_head, full))


def load(letter_ids: Iterable[uuid.UUID]) -> list[Letter]:
    """Letters with everything :func:`document` reads, in a fixed number of queries."""
    files = LetterFile.objects.filter(role__in=TEXT_ROLES).select_related("search_text")
    return list(
        Letter.objects.filter(pk__in=list(letter_ids)).select_related("unit", "draft", "search_doc").prefetch_related(
            Prefetch("entries", queryset=RegisterEntry.objects.select_related("book__unit").order_by("registered_at")),
            Prefetch("steps", queryset=Step.objects.order_by("created_at")),
            Prefetch("endorsements", queryset=Endorsement.objects.order_by("created_at")),
            Prefetch("files", queryset=files), "draft__versions",
        )
    )


__all__ = ["Document", "date_forms", "document", "load", "parts_of"]
