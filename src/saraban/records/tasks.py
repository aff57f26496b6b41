"""The records app's periodic work: reminding and escalating overdue loans (registered in ``ready``)."""

from __future__ import annotations

from saraban.kernel import clock

from .actions.reminders import escalation_due, remind_loan, reminder_due
from .models import Loan, LoanMedium


def remind_overdue_loans() -> str:
    """One tick: remind each overdue loan not yet reminded today, escalating those long overdue."""
    now = clock.now()
    overdue = (Loan.objects.filter(returned_at__isnull=True, due_at__lte=now).exclude(medium=LoanMedium.ELECTRONIC)
               .select_related("letter"))
    counts = {"reminded": 0, "escalated": 0}
    for loan in overdue:
        if reminder_due(loan, now) or escalation_due(loan, now):
            sent = remind_loan(None, loan.pk)
            if sent:
                counts[sent] += 1
    return f"{counts['reminded']} reminded, {counts['escalated']} escalated"
