"""Reading the records: the file plan tree, filings, lists (no state changes here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from saraban.orgs.models import Agency

from . import retention as rt
from .models import DestructionList, FileCode, Filing, FilingState


def destroyed_mark(letter_id: uuid.UUID) -> str:
    """"ทำลายแล้ว …" for a register row whose letter was destroyed (blank otherwise)."""
    f = (Filing.objects.filter(letter_id=letter_id, state=FilingState.DESTROYED)
         .select_related("destruction_list").first())
    if f is None:
        return ""
    year = f.destruction_list.year_be if f.destruction_list else ""
    return f"ทำลายแล้ว (บัญชีขอทำลาย พ.ศ. {year})"


def destroyed_marks(letter_ids: list) -> dict:
    """:func:`destroyed_mark` of many letters at once (letter id → mark; letters not destroyed are absent)."""
    if not letter_ids:
        return {}
    rows = (Filing.objects.filter(letter_id__in=letter_ids, state=FilingState.DESTROYED)
            .values_list("letter_id", "destruction_list__year_be"))
    return {lid: f"ทำลายแล้ว (บัญชีขอทำลาย พ.ศ. {year or ''})" for lid, year in rows}


@dataclass
class CodeNode:
    code: FileCode
    depth: int


def file_plan(agency: Agency) -> list[CodeNode]:
    """The agency's file codes in tree order (parents before their children)."""
    codes = list(FileCode.objects.filter(agency=agency))
    children: dict[uuid.UUID | None, list[FileCode]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    out: list[CodeNode] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for c in sorted(children.get(parent, []), key=lambda x: (x.sort_order, x.code)):
            out.append(CodeNode(c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def filings(agency: Agency, *, year_be: int | None = None, stored: bool | None = None) -> QuerySet[Filing]:
    """Filings of the agency (``year_be``: filed in that B.E. year; ``stored``: in the storage register or not)."""
    qs = Filing.objects.filter(agency=agency).select_related("letter", "file_code").order_by("filed_at")
    if year_be is not None:
        qs = qs.filter(completed_on__year=year_be - rt.BE_OFFSET)
    if stored is not None:
        qs = qs.filter(stored_at__isnull=not stored)
    return qs


def lists(agency: Agency) -> QuerySet[DestructionList]:
    return DestructionList.objects.filter(agency=agency).order_by("-year_be", "-created_at")


def handover(agency: Agency, year_be: int) -> tuple[list[Filing], list[Filing]]:
    """Letters reaching 20 years in ``year_be``: (to deliver to the National Archives — form 21, to keep — form
    22).  Kept: classified letters and those filed under a special law; destroyed ones are on neither."""
    qs = (Filing.objects.filter(agency=agency, letter__letter_date__year=year_be - rt.BE_OFFSET - rt.HANDOVER_YEARS)
          .exclude(state=FilingState.DESTROYED).select_related("letter", "file_code")
          .order_by("file_code__code", "letter__letter_date"))
    deliver: list[Filing] = []
    keep: list[Filing] = []
    for f in qs:
        (keep if f.letter.is_classified or f.retention == "special" else deliver).append(f)
    return deliver, keep
