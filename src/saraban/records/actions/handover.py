"""Exporting the year's 20-year handover package (form 21 with its letters, as a BagIt bag)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency

from .. import archive
from ..errors import InvalidInput, PermissionDenied
from ..policy import is_keeper


@action("records.export_archive")
def export_archive(actor: Actor, agency: Agency, year_be: int, root: Path) -> archive.Package:
    """Write the package into ``root`` (a new, empty directory) and record who exported what."""
    if not is_keeper(actor, agency):
        raise PermissionDenied()
    try:
        pkg = archive.build(agency, year_be, root)
    except FileExistsError:
        raise InvalidInput("ที่เก็บชุดส่งออกต้องเป็นไดเรกทอรีว่าง", "The package directory must be empty") from None
    audit.record("records.export_archive", actor=actor, obj=agency, data={
        "year": year_be, "letters": pkg.letters, "files": len(pkg.files)})
    return pkg


def export_zip(actor: Actor, agency: Agency, year_be: int) -> tuple[bytes, str]:
    """The package as one zip (for download) and the bag's name: :func:`export_archive` into a scratch
    directory that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="handover-") as work:
        root = Path(work) / archive.default_name(agency, year_be)
        export_archive(actor, agency, year_be, root)
        return archive.zipped(root), root.name
