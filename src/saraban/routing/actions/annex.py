"""Keeping the endorsement annex: the annexed copy of the letter and which endorsement it shows up to."""

from __future__ import annotations

from saraban.kernel.actions import action
from saraban.letters.actions import derive_file
from saraban.letters.models import FileRole, Letter, LetterFile

from ..models import AnnexCopy, Endorsement


@action("letter.derive_file")
def keep_annex(letter: Letter, base: LetterFile, *, name: str, data: bytes, pages: int | None,
               endorsements: list[Endorsement]) -> LetterFile:
    """Store the annexed copy (derived from ``base``) and record that it shows ``endorsements``: one
    transaction, whose one event is the derived file's (the worker does this, so there is no actor)."""
    derived = derive_file(None, base, role=FileRole.ANNEX, name=name, data=data, pages=pages,
                          note=f"บันทึกเกษียน {len(endorsements)} รายการ")
    AnnexCopy.objects.get_or_create(file=derived, defaults={"letter": letter, "last_endorsement": endorsements[-1],
                                                            "count": len(endorsements)})
    return derived
