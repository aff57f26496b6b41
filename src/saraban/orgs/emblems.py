"""An agency's emblems for its letters: reading the settings, who may change them, and the actions.

The Garuda is looked up on the agency, then on its parents (a ministry uploads it once for its
departments), then in the deployment's ``SARABAN_EMBLEM`` file.  A stamped letter's seal carries
the agency's own seal image in its centre, or the Garuda when it has none.  An agency marked as a
demo (``placeholder``) prints the plainly marked placeholder; any other agency without a Garuda
cannot issue a real letter (:func:`garuda_for_issuing` raises :class:`EmblemMissing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.letterpress import emblem as lp_emblem
from saraban.letterpress.emblem import EmblemImage, EmblemLayout

from .errors import EmblemMissing, NotAgencyAdmin
from .models import Agency, EmblemSettings
from .policy import can_manage

Which = Literal["garuda", "seal"]


@dataclass(frozen=True)
class AgencyEmblems:
    """What an agency's letters print."""

    garuda: EmblemImage | None
    """The Garuda (the agency's, a parent's or the deployment's); ``None`` when none is configured."""
    seal: EmblemImage | None
    """The centre of the stamped letter's seal: the agency's own seal image, else the Garuda."""
    layout: EmblemLayout
    placeholder_ok: bool
    """A demo or test agency: the placeholder may stand in for a missing Garuda."""
    source: str = ""
    """Where the Garuda comes from: the agency's code, a parent's code, ``settings`` or empty."""


def _image(data: Any, media_type: str) -> EmblemImage | None:
    return EmblemImage(bytes(data), media_type) if data else None


def _settings_of(agency: Agency) -> EmblemSettings | None:
    return EmblemSettings.objects.filter(agency=agency).first()


def emblems_for(agency: Agency) -> AgencyEmblems:
    """The emblems ``agency``'s letters print (see the module docstring)."""
    own = _settings_of(agency)
    garuda, source = None, ""
    current: Agency | None = agency
    while current is not None and garuda is None:
        row = own if current.pk == agency.pk else _settings_of(current)
        if row is not None and row.garuda:
            garuda, source = _image(row.garuda, row.garuda_type), current.code
        current = current.parent
    if garuda is None and settings.SARABAN_EMBLEM:
        garuda, source = lp_emblem.load(settings.SARABAN_EMBLEM), "settings"
    seal = _image(own.seal, own.seal_type) if own is not None and own.seal else garuda
    layout = EmblemLayout(own.garuda_mm / 10, own.memo_mm / 10, own.top_mm / 10) if own else EmblemLayout()
    placeholder_ok = bool(own and own.placeholder) or bool(getattr(settings, "SARABAN_EMBLEM_PLACEHOLDER", False))
    return AgencyEmblems(garuda, seal, layout, placeholder_ok, source)


def garuda_for_issuing(agency: Agency) -> EmblemImage:
    """The Garuda a real letter of ``agency`` prints: the configured one, the placeholder for a demo
    agency, or :class:`EmblemMissing`."""
    found = emblems_for(agency)
    if found.garuda is not None:
        return found.garuda
    if found.placeholder_ok:
        return lp_emblem.placeholder()
    raise EmblemMissing(details={"agency": agency.code})


def _row_for_change(actor: Any, agency: Agency) -> EmblemSettings:
    if not can_manage(actor, agency):
        raise NotAgencyAdmin(details={"agency": agency.code})
    row = EmblemSettings.objects.select_for_update().filter(agency=agency).first()
    return row or EmblemSettings(agency=agency)


def _audit(name: str, actor: Any, row: EmblemSettings, **data: Any) -> None:
    audit.record(name, actor=actor, obj=row, data={"agency": row.agency.code, **data})


@action("orgs.set_emblem")
def set_emblem(actor: Any, agency: Agency, *, which: Which, data: bytes, filename: str = "") -> EmblemSettings:
    """Upload the agency's Garuda or its own seal (SVG or PNG; checked and cleaned first)."""
    image = lp_emblem.validate(data, filename)  # refused before anything changes
    row = _row_for_change(actor, agency)
    setattr(row, which, image.data)
    setattr(row, f"{which}_type", image.media_type)
    setattr(row, f"{which}_sha256", image.sha256)
    setattr(row, f"{which}_name", (filename or "")[:255])
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    _audit("orgs.set_emblem", actor, row, which=which, sha256=image.sha256, type=image.media_type,
           bytes=len(image.data))
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
    EmblemLayout(garuda_mm / 10, memo_mm / 10, top_mm / 10)  # refuses values out of bounds
    row = _row_for_change(actor, agency)
    row.garuda_mm, row.memo_mm, row.top_mm = garuda_mm, memo_mm, top_mm
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    _audit("orgs.set_emblem_layout", actor, row, garuda_mm=garuda_mm, memo_mm=memo_mm, top_mm=top_mm)
    return row


def mark_demo(agency: Agency) -> None:
    """Let a demo agency print the placeholder (called by the demo loader, inside its action)."""
    EmblemSettings.objects.update_or_create(agency=agency, defaults={"placeholder": True})
