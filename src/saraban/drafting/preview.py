"""The editor's live preview: the draft as it would print, as page images, with what is still missing.

A draft may be incomplete while it is being written; the preview fills empty required text with a
visible placeholder (``…``) so the layout shows, and lists what must be filled before submitting.
Numbers and dates are left blank: they are given at signing.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache

from saraban.kernel import clock
from saraban.kernel.errors import SarabanError
from saraban.letterpress.content import Addressee, Letter, Notice, Signatory, check_letter
from saraban.letterpress.errors import LetterpressError
from saraban.letterpress.fields import replace
from saraban.letterpress.raster import page_png, page_texts
from saraban.letterpress.render import render_letter

from . import build, queries
from .models import Draft

PLACEHOLDER = "…"
WIDTH = 760


@dataclass(frozen=True)
class Problem:
    code: str
    th: str
    en: str


@dataclass(frozen=True)
class Preview:
    images: list[str] = field(default_factory=list)
    """Page images as ``data:image/png`` URIs."""
    problems: list[Problem] = field(default_factory=list)
    """What stops the draft from going forward (missing fields, too many pages)."""
    notices: list[Notice] = field(default_factory=list)
    pdf: bytes = b""


def _filled(letter: Letter) -> Letter:
    """``letter`` with empty required text replaced by a visible placeholder."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(letter):
        value = getattr(letter, f.name)
        if f.name in ("subject", "issuer", "unit", "sending_agency", "title") and isinstance(value, str) \
                and not value.strip():
            changes[f.name] = PLACEHOLDER
        elif f.name == "to" and isinstance(value, str) and not value.strip():
            changes["to"] = PLACEHOLDER
        elif isinstance(value, Addressee) and not value.title.strip():
            changes[f.name] = dataclasses.replace(value, title=PLACEHOLDER)
        elif isinstance(value, Signatory) and not value.name.strip():
            changes[f.name] = dataclasses.replace(value, name=PLACEHOLDER)
        elif f.name == "signatories" and not value:
            changes[f.name] = (Signatory(PLACEHOLDER),)
        elif f.name == "agency" and not value:
            changes[f.name] = (PLACEHOLDER,) if isinstance(value, tuple) else PLACEHOLDER
    return replace(letter, **changes)


def as_signed(draft: Draft, letter: Letter) -> Letter:
    """``letter`` laid out as signing today would set it, so the preview breaks its pages as the signed
    letter will: the signers' titles on today's date, a typed name's system-time line, the number's
    place; only the date is left blank (it keeps its line)."""
    try:
        signers = queries.signers(draft, day=clock.today())
    except SarabanError:  # a delegation no longer in force: signing will say so; show the block as saved
        signers = queries.signers(draft)
    if signers:
        letter = build.with_signers(letter, signers, typed_at=clock.now())
    book = build.book_for(draft.kind_enum, circular=draft.circular)
    return replace(letter, number=build.draft_number(letter, draft.unit, book))


def preview(draft: Draft, letter: Letter) -> Preview:
    """Render ``letter`` (a version of ``draft``, or the editor's unsaved text) for the editor."""
    problems: list[Problem] = []
    try:
        check_letter(letter)
    except LetterpressError as exc:
        problems.append(Problem(exc.code, exc.message_th, exc.message_en))
        if exc.code == "top_secret_refused":
            return Preview(problems=problems)
    shown = as_signed(draft, _filled(letter))
    settings = build.render_settings(draft.kind_enum, draft.agency)
    look = hashlib.sha256(repr(settings).encode()).hexdigest()  # the emblem, the layout: same text, same page?
    key = "preview:" + hashlib.sha256(f"{look}\x00{shown!r}".encode()).hexdigest()
    keep = draft.secrecy == "normal"  # a classified draft's pages are never kept outside its encrypted store
    cached = cache.get(key) if keep else None  # the same text again (an undo, a reload): no rendering at all
    if cached is not None:
        return dataclasses.replace(cached, problems=[*problems, *cached.problems])
    try:
        rendered = render_letter(shown, settings)
    except SarabanError as exc:
        return Preview(problems=[*problems, Problem(exc.code, exc.message_th, exc.message_en)])
    images = [_page_image(rendered.pdf, page, text, look if keep else "") for page, text
              in enumerate(page_texts(rendered.pdf), 1)]
    if keep:
        cache.set(key, Preview(images=images, notices=list(rendered.notices), pdf=rendered.pdf), CACHE_SECONDS)
    return Preview(images=images, problems=problems, notices=list(rendered.notices), pdf=rendered.pdf)


CACHE_SECONDS = 900


def _page_image(pdf: bytes, page: int, text: str, look: str) -> str:
    """One page's image, drawn again only if what the page shows changed: typing changes one page, mostly, and
    the others come from the cache (keyed by the page's text, its number and the letter's look)."""
    key = "preview-page:" + hashlib.sha256(f"{look}\x00{page}\x00{WIDTH}\x00{text}".encode()).hexdigest()
    hit = cache.get(key) if look else None  # no look: not to be kept (a classified draft)
    if hit is None:
        hit = "data:image/png;base64," + base64.b64encode(page_png(pdf, page, width=WIDTH, compress=1)).decode()
        if look:
            cache.set(key, hit, CACHE_SECONDS)
    return str(hit)
