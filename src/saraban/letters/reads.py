"""Reads of classified content: the one place that logs them (Secrets Regulation; R52).

Every path that serves the bytes of a letter's file — a download, a page image, a signature check, the
file copy of a letter signed here — calls :func:`record_read` with exactly what it serves, before serving
it.  For a ลับ / ลับมาก letter that writes one ``letter.read_classified`` event; for any other letter it
does nothing.
"""

from __future__ import annotations

from saraban.kernel.actor import Actor
from saraban.storage.models import Blob

from .actions import record_classified_read
from .models import Letter, LetterFile


def record_read(actor: Actor, letter: Letter, served: LetterFile | Blob, *, via: str, role: str = "") -> None:
    """Log that ``actor`` is being served ``served`` of ``letter`` if the letter is classified.

    ``served`` is one of the letter's files, or another stored copy of it (the file copy of a letter
    signed here: a :class:`Blob`, named by ``role``).  ``via`` says which path served it (``web.download``,
    ``api.download``, ``web.page``, ``web.signatures``, ``api.signatures``, ``web.file_copy``).
    """
    if isinstance(served, LetterFile):
        if served.letter_id != letter.pk:
            raise ValueError("record_read: the file served is not a file of this letter")
        role = served.role
    elif not role:
        raise ValueError("record_read: name the role of a copy that is not a letter file")
    if letter.is_classified:
        record_classified_read(actor, letter, served, role=role, via=via)
