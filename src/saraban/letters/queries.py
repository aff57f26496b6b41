from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from saraban.access.principal import principal_for
from saraban.kernel.actor import Viewer
from saraban.kernel.errors import NotFound

from . import policy
from .models import PART_ROLES, FileRole, Letter, LetterFile


class LetterNotFound(NotFound):
    code = "letter_not_found"
    message_th = "ไม่พบหนังสือ หรือท่านไม่มีสิทธิ์เข้าถึง"
    message_en = "Letter not found, or you may not see it"


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise LetterNotFound() from exc


def letter_for(actor: Viewer, letter_id: Any) -> Letter:
    """The letter if the actor may see it; otherwise the same 404 as for a letter that does not exist."""
    letter = Letter.objects.select_related("unit", "agency").filter(pk=_uuid(letter_id)).first()
    if letter is None or not policy.can_view_letter(principal_for(actor), letter):
        raise LetterNotFound()
    return letter


def file_for(actor: Viewer, letter_id: Any, file_id: Any) -> LetterFile:
    letter = letter_for(actor, letter_id)
    f = LetterFile.objects.select_related("blob").filter(pk=_uuid(file_id), letter=letter).first()
    if f is None:
        raise LetterNotFound("ไม่พบไฟล์", "File not found", code="file_not_found")
    f.letter = letter
    return f


def best_view_file(letter: Letter) -> LetterFile | None:
    """What to show people: the newest presentation/annex/signed/numbered copy, else the letter itself."""
    files = list(LetterFile.objects.select_related("blob").filter(letter=letter).order_by("created_at"))
    for role in (FileRole.SIGNED, FileRole.ANNEX, FileRole.PRESENTATION, FileRole.NUMBERED):
        picked = [f for f in files if f.role == role]
        if picked:
            return picked[-1]
    originals = [f for f in files if f.role == FileRole.LETTER]
    return originals[0] if originals else None


@dataclass(frozen=True)
class Parts:
    """A letter's own parts: the letter document (as received or as signed) and its enclosures in order."""

    letter: LetterFile | None
    enclosures: list[LetterFile]

    def all(self) -> list[LetterFile]:
        return ([self.letter] if self.letter else []) + self.enclosures


def parts(letter: Letter) -> Parts:
    """The letter's document and its enclosures (ordered), as they travel and as the letter page lists them."""
    files = list(LetterFile.objects.select_related("blob").filter(letter=letter, role__in=PART_ROLES)
                 .order_by("order", "created_at"))
    main = next((f for f in files if f.role == FileRole.LETTER), None)
    return Parts(main, [f for f in files if f.role == FileRole.ENCLOSURE])
