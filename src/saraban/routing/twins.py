"""Telling the people who may see a letter that a registrar who may not see it registered its twin.

The duplicate check answers a registrar only about letters they may see (``409 likely_duplicate``); a twin
they may not see (a secret letter, another unit's) is flagged here, to those who may see it, as a notice
that names the new registration and links to their own letter.
"""

from __future__ import annotations

from saraban.access.principal import principal_for
from saraban.letters.models import Letter, LetterAccess
from saraban.letters.policy import can_view_letter
from saraban.orgs.models import Person, RoleGrant
from saraban.registry.models import RegisterEntry

from .notify.service import notify


def twin_readers(twin: Letter) -> list[Person]:
    """Everyone who may see ``twin``: the agency's role holders and the people it was given to, checked one by
    one with the letter rule itself."""
    ids = set(RoleGrant.objects.filter(unit__agency_id=twin.agency_id).values_list("person_id", flat=True))
    ids |= set(LetterAccess.objects.filter(letter=twin, person__isnull=False).values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=ids, user__isnull=False).select_related("user").order_by("pk")
    return [p for p in people if can_view_letter(principal_for(p.user), twin)]


def flag_hidden_twin(*, entry: RegisterEntry, twin: Letter) -> None:
    unit = entry.book.unit
    notify(twin_readers(twin), event="twin", letter=None, url=f"/letters/{twin.pk}/",
           title=f"มีการลงทะเบียนหนังสือที่อาจซ้ำกับหนังสือที่ท่านดูแล: {unit.short_name_th or unit.name_th} "
                 f"เลขรับ {entry.display}"[:500],
           body="ผู้ลงทะเบียนไม่เห็นหนังสือฉบับเดิม จึงไม่ได้รับแจ้งว่าอาจซ้ำ โปรดตรวจสอบ")
