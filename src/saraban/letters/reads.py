"""Reads of classified content: the one place that logs them (Secrets Regulation; R52).

Every path that serves classified content calls :func:`record_read` with exactly what it serves, before
serving it: the bytes of a letter's file (a download, a page image, a signature check, the file copy of a
letter signed here), an intake item's file, a letter's or an item's metadata (subject, parties, route,
endorsements), a draft of a classified letter, and listings and exports that show classified rows (the
secret registers, a desk, an inbox).  For a ลับ / ลับมาก subject or listed row that writes one
``letter.read_classified`` event; for anything else it does nothing.

``tests/security/test_every_read_audited.py`` walks every URL pattern and API route and proves each one
that can serve classified content calls this function.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from saraban.kernel.actor import Actor
from saraban.storage.models import Blob

from .actions import record_classified_read
from .models import Letter, LetterFile


class Readable(Protocol):
    """Something that may be classified: a letter, an intake item, a draft, a secret register book."""

    pk: Any
    _meta: Any

    @property
    def is_classified(self) -> bool: ...


def record_read(actor: Actor, subject: Any, served: LetterFile | Blob | Any = None, *, via: str,
                role: str = "", listed: Iterable[Any] = ()) -> None:
    """Log that ``actor`` is being served classified content, if any of it is classified.

    - ``subject``: the letter (or intake item, draft, register book: a :class:`Readable`) whose content is
      served, or ``None`` for a listing.
    - ``served``: one of the letter's files, another stored copy (a :class:`Blob`, named by ``role``), or a
      file-like row with a ``blob`` (an intake file); ``None`` when the content is not a file (``role``
      then says what: ``metadata``, ``route``, ``draft``, ``listing``, ``export`` …).
    - ``listed``: the rows of a listing or export; the classified ones are named in the event.
    - ``via``: which path served it (``web.download``, ``api.letter``, ``web.register`` …).
    """
    if isinstance(served, LetterFile):
        if not isinstance(subject, Letter) or served.letter_id != subject.pk:
            raise ValueError("record_read: the file served is not a file of this letter")
        role = served.role
    elif served is not None and not role:
        if isinstance(served, Blob):
            raise ValueError("record_read: name the role of a copy that is not a letter file")
        role = "file"
    elif served is None and not role:
        raise ValueError("record_read: say what is served (role) when it is not a file")
    items = [x for x in listed if x.is_classified]
    if (subject is not None and subject.is_classified) or items:
        record_classified_read(actor, subject, served, role=role, via=via, items=items)
