"""Filing a completed letter under a file code with a retention class (ข้อ 54–57; R38–R39)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.letters.actions import store_file
from saraban.letters.models import FileRole, Letter, LetterFile, LetterStatus
from saraban.orgs.queries import person_for_user
from saraban.routing.models import OPEN_STATUSES, Step, StepStatus
from saraban.storage import blobs

from .. import retention as rt
from .. import stamp
from ..errors import AlreadyFiled, ForeignFileCode, InvalidInput, NotCompleted, PermissionDenied, RetentionShortened
from ..models import FileCode, Filing, FilingState
from ..policy import is_keeper

log = logging.getLogger(__name__)
STAMP_SOURCES = (FileRole.PRESENTATION, FileRole.SIGNED, FileRole.NUMBERED, FileRole.ANNEX, FileRole.LETTER)


def count_from() -> str:
    """``completed`` (default) or ``dated``: the year a period counts from (regulation.md §11 point 6)."""
    return getattr(settings, "SARABAN_RETENTION_COUNT_FROM", "completed")


def base_year(letter: Letter, completed_on: dt.date) -> int:
    if count_from() == "dated" and letter.letter_date:
        return rt.be(letter.letter_date.year)
    return rt.be(completed_on.year)


def stamp_source(letter: Letter) -> LetterFile | None:
    """The copy a reader sees (the newest derived PDF, else the original letter)."""
    files = [f for f in LetterFile.objects.filter(letter=letter).select_related("blob").order_by("-created_at")
             if f.blob.content_type == "application/pdf" and not f.blob.damage]
    for role in STAMP_SOURCES:
        for f in files:
            if f.role == role:
                return f
    return None


def _stamp(actor: Actor, letter: Letter, keep_until: int | None) -> LetterFile | None:
    source = stamp_source(letter)
    if source is None:
        return None
    person = person_for_user(actor)
    initials = person.first_name_th if person else ""
    try:
        data = stamp.stamped(blobs.read(source.blob), keep_until, initials)
    except Exception:  # a PDF pikepdf cannot open: the letter is filed, the copy is not stamped
        log.warning("retention stamp failed for letter %s", letter.pk)
        return None
    return store_file(letter, role=FileRole.PRESENTATION, name=f"keep-{source.name}", data=data,
                      derived_from=source, pages=source.pages, note=stamp.stamp_text(keep_until))


def _check_minimum(file_code: FileCode, retention: str, special_years: int | None, authorisation: str) -> None:
    shorter = rt.shortens(retention, file_code.retention, special_years, file_code.special_years)
    if shorter and not authorisation.strip():
        raise RetentionShortened(details={"file_code": file_code.code, "minimum": file_code.retention,
                                          "retention": retention})


@action("records.file_letter")
def file_letter(actor: Actor, letter: Letter, file_code: FileCode, *, retention: str = "",
                special_years: int | None = None, special_law: str = "", completed_on: dt.date | None = None,
                authorisation: str = "", authorised_by: str = "", remark: str = "") -> Filing:
    """File a completed letter: the code's default class unless another is given; a shorter one needs a
    recorded authorisation (R39).  A derived copy gets the retention stamp."""
    if not is_keeper(actor, letter.agency):
        raise PermissionDenied()
    if file_code.agency_id != letter.agency_id:
        raise ForeignFileCode(details={"file_code": file_code.code})
    if Filing.objects.filter(letter=letter).exists():
        raise AlreadyFiled()
    if letter.status == LetterStatus.CANCELLED or Step.objects.filter(
            letter=letter, status__in=[*OPEN_STATUSES, StepStatus.WAITING]).exists():
        raise NotCompleted()
    retention = retention or file_code.retention
    if retention not in rt.YEARS:
        raise InvalidInput(f"อายุการเก็บ {retention!r} ไม่ถูกต้อง", f"Unknown retention class {retention!r}")
    if retention == file_code.retention and retention == "special" and special_years is None:
        special_years, special_law = file_code.special_years, special_law or file_code.special_law
    if retention == "special" and not special_law.strip():
        raise InvalidInput("ต้องระบุกฎหมายเฉพาะ", "Name the special law")
    _check_minimum(file_code, retention, special_years, authorisation)
    completed_on = completed_on or clock.today()
    if completed_on > clock.today():
        raise InvalidInput("วันที่เสร็จสิ้นเป็นวันในอนาคต", "The completion date is in the future")
    base = base_year(letter, completed_on)
    keep_until = rt.keep_until_be(retention, base, special_years)
    filing = Filing.objects.create(
        letter=letter, agency=letter.agency, file_code=file_code, retention=retention, special_years=special_years,
        special_law=special_law, completed_on=completed_on, base_year_be=base, keep_until_be=keep_until,
        authorisation=authorisation, authorised_by=authorised_by, remark=remark, filed_at=clock.now(),
        filed_by=actor, state=FilingState.KEPT)
    copy = _stamp(actor, letter, keep_until)
    if copy is not None:
        Filing.objects.filter(pk=filing.pk).update(stamped_copy=copy)
        filing.stamped_copy = copy
    audit.record("records.file_letter", actor=actor, obj=filing, data={
        "letter": str(letter.pk), "file_code": file_code.code, "retention": retention, "keep_until": keep_until,
        "authorisation": authorisation, "stamped": copy.blob.sha256 if copy else ""})
    return filing


@action("records.store_filings")
def store_filings(actor: Actor, filings: list[Filing]) -> int:
    """The storage unit enters letters sent to it in the storage register (form 20: วันเก็บ)."""
    if not filings:
        return 0
    agency = filings[0].agency
    if not is_keeper(actor, agency) or any(f.agency_id != agency.pk for f in filings):
        raise PermissionDenied()
    ids = [f.pk for f in filings if f.stored_at is None]
    now = clock.now()
    Filing.objects.filter(pk__in=ids).update(stored_at=now)
    audit.record("records.store_filings", actor=actor, obj=agency, data={"filings": [str(i) for i in ids][:200],
                                                                         "count": len(ids)})
    return len(ids)
