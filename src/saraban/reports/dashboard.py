"""The executive dashboard's figures (issue 16 point 6): letters in and out per unit and month, overdue work by
unit and person, loans out, and the letters whose retention ends in the year.

Every figure is counted within what the viewer may see (the register rows of :func:`visible_entries_q`; the
routing steps of letters in the units they oversee or may see; the loans of :func:`visible_loans_q`).  Counts
never carry words; where a row names a letter, a classified subject is shown only to those with need-to-know
(:func:`can_view_letter`), everyone else reads ``HIDDEN_SUBJECT``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from saraban.access.clearance import NORMAL_VIEW_ROLES
from saraban.access.principal import Principal
from saraban.kernel import clock
from saraban.kernel.thai import MONTHS_ABBR, format_date
from saraban.letters.models import Letter
from saraban.letters.policy import can_view_letter, visible_letters_q
from saraban.orgs.models import Role
from saraban.records.models import Filing, FilingState, Loan, LoanMedium
from saraban.records.policy import KEEPER_ROLES, visible_loans_q
from saraban.registry.books import INCOMING_BOOKS
from saraban.registry.models import RegisterEntry
from saraban.registry.policy import visible_entries_q
from saraban.routing.models import OPEN_STATUSES, Step

HIDDEN_SUBJECT = "(หนังสือลับ — ไม่แสดงเรื่อง)"
NO_RIGHT_SUBJECT = "(ไม่มีสิทธิ์ดูเรื่อง)"
SUBJECT_EN = {HIDDEN_SUBJECT: "(classified — subject not shown)", NO_RIGHT_SUBJECT: "(no right to see the subject)"}


@dataclass
class UnitMonths:
    unit: str
    incoming: list[int] = field(default_factory=lambda: [0] * 12)
    outgoing: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def total_in(self) -> int:
        return sum(self.incoming)

    @property
    def total_out(self) -> int:
        return sum(self.outgoing)


@dataclass(frozen=True)
class OverdueRow:
    unit: str
    person: str
    count: int
    oldest_due: dt.date


@dataclass(frozen=True)
class RetentionRow:
    subject: str
    file_code: str
    keep_until: str


@dataclass(frozen=True)
class LoanRow:
    subject: str
    borrower: str
    borrower_agency: str
    medium: str
    lent: str
    due: str
    overdue: bool
    medium_code: str = ""
    lent_on: dt.date | None = None
    due_on: dt.date | None = None


@dataclass
class Dashboard:
    year_be: int
    months: list[UnitMonths]
    overdue: list[OverdueRow]
    loans: list[LoanRow]
    retention: list[RetentionRow]

    @property
    def month_totals(self) -> tuple[list[int], list[int]]:
        return ([sum(u.incoming[m] for u in self.months) for m in range(12)],
                [sum(u.outgoing[m] for u in self.months) for m in range(12)])


def letters_per_unit_month(p: Principal, year_be: int) -> list[UnitMonths]:
    """Registrations in the year (Bangkok months), per unit: incoming books vs outgoing books."""
    start = dt.datetime(year_be - 543, 1, 1, tzinfo=clock.BANGKOK)
    end = dt.datetime(year_be - 542, 1, 1, tzinfo=clock.BANGKOK)
    rows = (RegisterEntry.objects.filter(visible_entries_q(p), registered_at__gte=start, registered_at__lt=end,
                                         cancelled=False)
            .values_list("book__unit__name_th", "book__kind", "registered_at"))
    by_unit: dict[str, UnitMonths] = {}
    for unit, kind, at in rows.iterator():
        u = by_unit.setdefault(unit, UnitMonths(unit))
        month = clock.to_bkk(at).month - 1
        (u.incoming if kind in INCOMING_BOOKS else u.outgoing)[month] += 1
    return sorted(by_unit.values(), key=lambda u: -(u.total_in + u.total_out))


def _step_scope(p: Principal) -> Q:
    visible = Letter.objects.filter(visible_letters_q(p))
    return Q(letter__unit_id__in=p.units(*NORMAL_VIEW_ROLES)) | Q(letter__in=visible)


def overdue_work(p: Principal, today: dt.date | None = None) -> list[OverdueRow]:
    """Open routing steps past their due date, by the unit and the person (or position) they wait with."""
    today = today or clock.today()
    steps = (Step.objects.filter(_step_scope(p), status__in=OPEN_STATUSES, due_date__lt=today)
             .select_related("to_unit", "to_position__unit", "to_person__home_unit"))
    groups: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for s in steps.iterator():
        unit = s.to_unit or (s.to_position.unit if s.to_position else None) or (
            s.to_person.home_unit if s.to_person else None)
        who = s.to_person.full_name_th if s.to_person else s.to_label
        groups[(unit.name_th if unit else "-", who)].append(s.due_date)  # type: ignore[arg-type]
    rows = [OverdueRow(unit, who, len(days), min(days)) for (unit, who), days in groups.items()]
    return sorted(rows, key=lambda r: (-r.count, r.oldest_due))


def subject_for(p: Principal, letter: Letter) -> str:
    """The letter's subject if ``p`` may read it, else (for a classified letter) :data:`HIDDEN_SUBJECT`."""
    if can_view_letter(p, letter):
        return letter.subject
    return HIDDEN_SUBJECT if letter.is_classified else NO_RIGHT_SUBJECT


def loans_out(p: Principal) -> list[LoanRow]:
    """Loans still out: paper and copies not returned, electronic grants still running."""
    now = clock.now()
    loans = (Loan.objects.filter(visible_loans_q(p), returned_at__isnull=True)
             .exclude(medium=LoanMedium.ELECTRONIC, due_at__lte=now).select_related("letter").order_by("due_at"))
    return [LoanRow(subject=subject_for(p, loan.letter), borrower=loan.borrower_name,
                    borrower_agency=loan.borrower_agency, medium=loan.get_medium_display(),
                    lent=format_date(loan.lent_at, style="abbr"),
                    due=format_date(loan.due_at - dt.timedelta(microseconds=1), style="abbr"),
                    overdue=loan.is_overdue(now), medium_code=loan.medium, lent_on=clock.to_bkk(loan.lent_at).date(),
                    due_on=clock.to_bkk(loan.due_at - dt.timedelta(microseconds=1)).date()) for loan in loans]


def retention_due(p: Principal, year_be: int) -> list[RetentionRow]:
    """Letters still kept whose retention ends in ``year_be`` (they go on that year's destruction list): those
    ``p`` may see, and for the agency's keepers and executives all its filings; a classified subject only to
    those with need-to-know."""
    scope = Q(letter__in=Letter.objects.filter(visible_letters_q(p)))
    if p.agency_id and p.units(*KEEPER_ROLES, Role.EXECUTIVE):  # keepers and executives: the agency's filings
        scope |= Q(agency_id=p.agency_id)
    filings = (Filing.objects.filter(scope, keep_until_be=year_be, state=FilingState.KEPT)
               .select_related("letter", "file_code").order_by("file_code__code", "completed_on"))
    return [RetentionRow(subject=subject_for(p, f.letter), file_code=f.file_code.code,
                         keep_until=f"พ.ศ. {f.keep_until_be}") for f in filings]


def build(p: Principal, year_be: int | None = None) -> Dashboard:
    year = year_be or clock.year_be()
    return Dashboard(year_be=year, months=letters_per_unit_month(p, year), overdue=overdue_work(p),
                     loans=loans_out(p), retention=retention_due(p, year))


MONTH_LABELS = list(MONTHS_ABBR)
