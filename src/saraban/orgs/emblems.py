"""An agency's emblems for its letters: reading the settings, and the actions that change them.

The Garuda is looked up on the agency, then on its parents (a ministry uploads it once for its
departments); a stamped letter's seal carries the agency's own seal image in its centre, or the Garuda
when it has none.  An agency marked as a demo (``placeholder``) prints the plainly marked placeholder;
any other agency without a Garuda cannot issue a real letter (the caller that issues letters raises
:class:`~saraban.orgs.errors.EmblemMissing`, see :mod:`saraban.drafting.build`).

orgs stores the files; checking and cleaning them is typesetting's job
(:func:`saraban.letterpress.emblem.validate`): the actions take an image already checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from django.conf import settings

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.errors import InvalidInput

from .errors import NotAgencyAdmin
from .models import Agency, EmblemSettings
from .policy import can_manage

Which = Literal["garuda", "seal"]
LAYOUT_BOUNDS_MM = {"garuda_mm": (25, 35), "memo_mm": (12, 20), "top_mm": (10, 20)}
"""Heights on Garuda paper and on memos, and the distance from the top edge (regulation.md §4: 30, 15, 15)."""


class CheckedImage(Protocol):
    """An emblem image already checked and cleaned (:class:`saraban.letterpress.emblem.EmblemImage`)."""

    @property
    def data(self) -> bytes: ...

    @property
    def media_type(self) -> str: ...


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    media_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class AgencyEmblems:
    """What an agency's letters print."""

    garuda: StoredImage | None
    """The Garuda (the agency's or a parent's); ``None`` when none is uploaded."""
    seal: StoredImage | None
    """The centre of the stamped letter's seal: the agency's own seal image, else the Garuda."""
    garuda_mm: int = 30
    memo_mm: int = 15
    top_mm: int = 15
    placeholder_ok: bool = False
    """A demo or test agency: the placeholder may stand in for a missing Garuda."""
    source: str = ""
    """The code of the agency whose Garuda it is."""
    settings_file: str = ""
    """``SARABAN_EMBLEM``: the deployment's Garuda file for agencies that uploaded none."""


def _image(data: Any, media_type: str) -> StoredImage | None:
    return StoredImage(bytes(data), media_type) if data else None


def emblems_for(agency: Agency) -> AgencyEmblems:
    """The emblems ``agency``'s letters print (see the module docstring)."""
    rows = {r.agency_id: r for r in EmblemSettings.objects.filter(agency__in=_lineage(agency))}
    own = rows.get(agency.pk)
    garuda, source = None, ""
    for current in _lineage(agency):
        row = rows.get(current.pk)
        if row is not None and row.garuda:
            garuda, source = _image(row.garuda, row.garuda_type), current.code
            break
    seal = _image(own.seal, own.seal_type) if own is not None and own.seal else garuda
    placeholder_ok = bool(own and own.placeholder) or bool(getattr(settings, "SARABAN_EMBLEM_PLACEHOLDER", False))
    sizes = {"garuda_mm": own.garuda_mm, "memo_mm": own.memo_mm, "top_mm": own.top_mm} if own else {}
    return AgencyEmblems(garuda, seal, placeholder_ok=placeholder_ok, source=source,
                         settings_file=settings.SARABAN_EMBLEM or "", **sizes)


def _lineage(agency: Agency) -> list[Agency]:
    out: list[Agency] = []
    current: Agency | None = agency
    while current is not None and len(out) < 16:
        out.append(current)
        current = current.parent
    return out


def _row_for_change(actor: Any, agency: Agency) -> EmblemSettings:
    if not can_manage(actor, agency):
        raise NotAgencyAdmin(details={"agency": agency.code})
    row = EmblemSettings.objects.select_for_update().filter(agency=agency).first()
    return row or EmblemSettings(agency=agency)


def _audit(name: str, actor: Any, row: EmblemSettings, **data: Any) -> None:
    audit.record(name, actor=actor, obj=row, data={"agency": row.agency.code, **data})


@action("orgs.set_emblem")
def set_emblem(actor: Any, agency: Agency, *, which: Which, image: CheckedImage, filename: str = "") -> EmblemSettings:
    """Keep the agency's Garuda or its own seal: ``image`` checked and cleaned by the caller
    (:func:`saraban.letterpress.emblem.validate`, which refuses anything but a safe SVG or PNG)."""
    row = _row_for_change(actor, agency)
    digest = hashlib.sha256(image.data).hexdigest()
    setattr(row, which, image.data)
    setattr(row, f"{which}_type", image.media_type)
    setattr(row, f"{which}_sha256", digest)
    setattr(row, f"{which}_name", (filename or "")[:255])
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    _audit("orgs.set_emblem", actor, row, which=which, sha256=digest, type=image.media_type, bytes=len(image.data))
    return row


@action("orgs.clear_emblem")
def clear_emblem(actor: Any, agency: Agency, *, which: Which) -> EmblemSettings:
    """Remove the agency's Garuda or seal (letters then fall back to a parent's, or are refused)."""
    row = _row_for_change(actor, agency)
    setattr(row, which, None)
    for suffix in ("type", "sha256", "name"):
        setattr(row, f"{which}_{suffix}", "")
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    _audit("orgs.clear_emblem", actor, row, which=which)
    return row


@action("orgs.set_emblem_layout")
def set_emblem_layout(actor: Any, agency: Agency, *, garuda_mm: int, memo_mm: int, top_mm: int) -> EmblemSettings:
    """The emblem sizes and distance from the top, in millimetres, within the regulation's bounds."""
    for name, value in (("garuda_mm", garuda_mm), ("memo_mm", memo_mm), ("top_mm", top_mm)):
        low, high = LAYOUT_BOUNDS_MM[name]
        if not low <= value <= high:
            raise InvalidInput(f"ขนาดหรือตำแหน่งของตราต้องอยู่ระหว่าง {low} ถึง {high} มม.",
                               f"The emblem's {name} must be between {low} and {high} mm",
                               code="emblem_layout_invalid", details={"field": name, "value": value})
    row = _row_for_change(actor, agency)
    row.garuda_mm, row.memo_mm, row.top_mm = garuda_mm, memo_mm, top_mm
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    _audit("orgs.set_emblem_layout", actor, row, garuda_mm=garuda_mm, memo_mm=memo_mm, top_mm=top_mm)
    return row


def mark_demo(agency: Agency) -> None:
    """Let a demo agency print the placeholder (called by the demo loader, inside its action)."""
    EmblemSettings.objects.update_or_create(agency=agency, defaults={"placeholder": True})
