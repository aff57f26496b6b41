"""The register's การปฏิบัติ column and the step lines of the search card, written from the steps.

``ส่ง ศทส. (นางสาวอรวรรณ เทคโนโลยี) 3 มี.ค. 69 11.05 น. รับโดย นางสาวอรวรรณ เทคโนโลยี 11.20 น.``: the
receiving unit, person or position, when it was sent and who received it when (regulation §7.1 step 4–5).
"""

from __future__ import annotations

import datetime as dt

from saraban.kernel.clock import to_bkk
from saraban.kernel.thai import format_date, format_time
from saraban.letters.models import Letter, LetterStatus
from saraban.registry.entries import set_action_text

from .models import Step, StepStatus

VERB = {"distribute": "ส่ง", "assign": "มอบ", "circular": "แจ้งเวียน", "propose": "เสนอ"}


def when(instant: dt.datetime, *, same_day_as: dt.datetime | None = None) -> str:
    """``3 มี.ค. 69 11.05 น.``, or only ``11.20 น.`` on the day of ``same_day_as``."""
    if same_day_as is not None and to_bkk(instant).date() == to_bkk(same_day_as).date():
        return format_time(instant)
    return f"{format_date(instant, style='memo')} {format_time(instant)}"


def step_line(step: Step) -> str:
    sent = step.sent_at or step.created_at
    parts = [f"{VERB.get(step.kind, step.kind)} {step.to_label} {when(sent)}"]
    if step.due_date:
        parts.append(f"กำหนดเสร็จ {format_date(step.due_date, style='memo')}")
    if step.opened_at and step.opened_by:
        parts.append(f"รับโดย {step.opened_by.full_name_th} {when(step.opened_at, same_day_as=sent)}")
    if step.acknowledged_at:
        parts.append(f"รับทราบ {when(step.acknowledged_at, same_day_as=sent)}")
    if step.done_at:
        parts.append(f"ดำเนินการแล้ว {when(step.done_at, same_day_as=sent)}")
    if step.status == StepStatus.RETURNED and step.closed_at:
        parts.append(f"ส่งคืน {when(step.closed_at, same_day_as=sent)} ({step.result})")
    if step.status == StepStatus.RECALLED and step.closed_at:
        parts.append(f"เรียกคืน {when(step.closed_at, same_day_as=sent)}")
    return " ".join(parts)


def action_text(letter: Letter) -> str:
    steps = (Step.objects.filter(letter=letter).exclude(status=StepStatus.WAITING)
             .exclude(kind="circular").select_related("opened_by").order_by("created_at", "order"))
    lines = [step_line(s) for s in steps]
    circ = list(Step.objects.filter(letter=letter, kind="circular").order_by("created_at"))
    if circ:
        read = sum(1 for s in circ if s.opened_at)
        lines.append(f"แจ้งเวียน {len(circ)} ราย {when(circ[0].created_at)} (อ่านแล้ว {read} ราย)")
    return "\n".join(lines)


def refresh(letter: Letter) -> str:
    """Rewrite การปฏิบัติ of every registration of ``letter`` (inside the routing action's transaction): the
    text is routing's, the rows are the registry's (:func:`saraban.registry.entries.set_action_text`)."""
    if letter.status == LetterStatus.OUTSIDE:
        return ""
    text = action_text(letter)
    set_action_text(letter, text)  # also tells search: its steps' instructions and endorsements changed
    return text
