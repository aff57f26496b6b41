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
from typing import Any

from saraban.drafting.models import Draft, DraftVersion
from saraban.kernel.clock import to_bkk
from saraban.kernel.thai import MONTHS_ABBR, MONTHS_EN, MONTHS_FULL, be_year
from saraban.letterpress.content import plain_text
from saraban.letterpress.serial import from_json
from saraban.letters.models import Letter
from saraban.registry.books import BookKind
from saraban.registry.models import RegisterEntry
from saraban.routing.models import Endorsement, Step

from . import sealed
from .analyse import clean, fold_clean, split_tokens, words
from .models import FileText

TEXT_ROLES = ("letter", "enclosure")  # presentation, annex and signed copies repeat what these say
BOOK_NAMES = dict(BookKind.choices)
BODY_MARK = " ¶ "  # in the shown text: the subject and parties before it, the letter's own words after it
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
    parties: list[str] = field(default_factory=list)  # tokenized into words (ranking, short terms)
    secret: list[str] = field(default_factory=list)


@dataclass
class Source:
    """What :func:`document` reads of one letter, fetched by :func:`load` as plain rows (no model objects)."""

    id: uuid.UUID
    their_ref: str
    sender: str
    addressee: str
    subject: str
    remark: str
    letter_date: dt.date | None
    secrecy: str
    status: str
    unit_name: str
    unit_short: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    routing: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    drafted: str = ""

    @property
    def classified(self) -> bool:
        return self.secrecy != "normal" or self.status == "outside"


def drafted_text(content: Any) -> str:
    """The text of a letter drafted here, from a version's content: its source, not its PDF."""
    try:
        return plain_text(from_json(content))
    except Exception:  # an old or odd version: the register fields still find the letter
        return ""


def parts_of(src: Source) -> Parts:
    """The public and secret parts of a letter."""
    p = Parts(subject=src.subject, parties=[src.their_ref, src.sender, src.addressee])
    p.public += [src.their_ref, src.sender, src.addressee, src.unit_name, src.unit_short, *date_forms(src.letter_date)]
    for e in src.entries:
        p.public += [e["display"], f"{BOOK_NAMES.get(e['book__kind'], '')} {e['book__year_be']}",
                     e["book__unit__name_th"], e["book__unit__short_name_th"], e["ref"], e["from_text"], e["to_text"],
                     *date_forms(to_bkk(e["registered_at"]).date())]
        p.secret += [e["remark"], e["action_text"]]
    p.secret += [src.remark, *src.routing, src.drafted, *src.files]
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
        raw = "\x1f".join((self.head, self.body, self.words, self.text, "1" if self.classified else "0",
                           sealed.mac(self.secret_text + "\x1f" + self.secret_words) if self.classified else ""))
        return hashlib.sha256(raw.encode()).hexdigest()

    def sealed_bytes(self) -> bytes | None:
        return sealed.seal(self.letter_id, self.secret_text, self.secret_words) if self.classified else None


def _join(items: Iterable[str]) -> str:
    return clean(" · ".join(dict.fromkeys(i for i in items if i and i.strip())))


def _tokens(word_source: str, text: str) -> str:
    out = dict.fromkeys(words(word_source))
    out.update(dict.fromkeys(split_tokens(fold_clean(text))))
    return " ".join(out)


def document(src: Source) -> Document:
    """The index row of a letter (see the module's docstring for what a classified letter's row holds)."""
    p = parts_of(src)
    public = _join(p.public)
    full_head = _join([p.subject, public])
    full = _join([full_head, *p.secret])[:MAX_TEXT]
    word_source = " ".join([p.subject, *p.parties])
    shown = _join([p.subject, *p.parties]) + BODY_MARK + _join(p.secret)
    if not src.classified:
        return Document(src.id, fold_clean(full_head), fold_clean(full), _tokens(word_source, full), shown[:MAX_TEXT],
                        False)
    shown_public = _join(p.parties)
    return Document(src.id, fold_clean(public), fold_clean(public), _tokens(" ".join(p.parties), public), shown_public,
                    True, secret_text=shown[:MAX_TEXT], secret_words=_tokens(word_source, full))


def _grouped(rows: Iterable[Any], key: str = "letter_id") -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _drafted(ids: list[uuid.UUID]) -> dict[Any, str]:
    drafts = {d["letter_id"]: d for d in Draft.objects.filter(letter_id__in=ids).values(
        "letter_id", "id", "approved_version", "version")}
    if not drafts:
        return {}
    contents = {(v["draft_id"], v["number"]): v["content"] for v in DraftVersion.objects.filter(
        draft_id__in=[d["id"] for d in drafts.values()]).values("draft_id", "number", "content")}
    out = {}
    for lid, d in drafts.items():
        content = contents.get((d["id"], d["approved_version"] or d["version"]))
        out[lid] = drafted_text(content) if content is not None else ""
    return out


def load(letter_ids: Iterable[uuid.UUID]) -> list[Source]:
    """What :func:`document` reads of these letters, in a fixed number of queries of plain rows."""
    ids = list(letter_ids)
    letters = Letter.objects.filter(pk__in=ids).values(
        "id", "their_ref", "sender", "addressee", "subject", "remark", "letter_date", "secrecy", "status",
        "unit__name_th", "unit__short_name_th")
    entries = _grouped(RegisterEntry.objects.filter(letter_id__in=ids).order_by("registered_at").values(
        "letter_id", "display", "ref", "from_text", "to_text", "remark", "action_text", "registered_at", "book__kind",
        "book__year_be", "book__unit__name_th", "book__unit__short_name_th"))
    steps = _grouped(Step.objects.filter(letter_id__in=ids).order_by("created_at").values(
        "letter_id", "to_label", "instruction"))
    ends = _grouped(Endorsement.objects.filter(letter_id__in=ids).order_by("created_at").values(
        "letter_id", "text", "typed_name", "position_title", "target_label"))
    files = _grouped(FileText.objects.filter(file__letter_id__in=ids, file__role__in=TEXT_ROLES).exclude(text="")
                     .order_by("file__created_at").values("file__letter_id", "text"), key="file__letter_id")
    drafted = _drafted(ids)
    out = []
    for row in letters:
        lid = row["id"]
        routing = [x for s in steps.get(lid, []) for x in (s["to_label"], s["instruction"])]
        routing += [x for e in ends.get(lid, []) for x in (e["text"], e["typed_name"], e["position_title"],
                                                         e["target_label"])]
        out.append(Source(
            id=lid, their_ref=row["their_ref"], sender=row["sender"], addressee=row["addressee"],
            subject=row["subject"], remark=row["remark"], letter_date=row["letter_date"], secrecy=row["secrecy"],
            status=row["status"], unit_name=row["unit__name_th"], unit_short=row["unit__short_name_th"],
            entries=entries.get(lid, []), routing=routing, files=[f["text"] for f in files.get(lid, [])],
            drafted=drafted.get(lid, ""),
        ))
    return out


__all__ = ["Document", "Source", "date_forms", "document", "load", "parts_of"]
