"""Routing actions: every state change of a route is one of these (one transaction, one audit event).

Each action checks, in order: the letter is visible to the actor (else the same 404 as a missing letter),
the step belongs to the letter (a step id from another letter is refused), the letter is not cancelled,
the actor may do this, the input is sound — and only then writes.  Writes are the steps, need-to-know
grants (:mod:`saraban.letters.records`), the register's การปฏิบัติ (:mod:`saraban.registry.entries`),
notifications and their outbox rows.

One module per concern; this package lists the actions callers use (``routing.actions.distribute``):

- :mod:`.distribute` — sending on, by hand or along a route template;
- :mod:`.recipient` — opened, acknowledged, done, sent back; the sender's recall;
- :mod:`.endorse` and :mod:`.assign` — endorsement (เกษียน) and assignment;
- :mod:`.circulate` — circulars and reminders;
- :mod:`.holidays` and :mod:`.templates` — the administrator's calendar and route templates;
- :mod:`.notices` and :mod:`.digest` — notification settings, read marks, the daily digest;
- :mod:`.copies` — a receiving sub-unit's own registration;
- :mod:`.annex` — the worker keeping the endorsement annex;
- :mod:`.common` and :mod:`.steps` — the checks and step-making they share.

Modules inside the package import each other directly (``from .common import …``), never this file.
"""

from .assign import assign
from .circulate import remind_unread, send_circular
from .copies import register_received_copy
from .digest import send_digest
from .distribute import apply_template, distribute
from .endorse import endorse
from .holidays import add_holiday, load_holidays, remove_holiday
from .notices import link_line, mark_read, set_preferences, start_line_link, unlink_line
from .recipient import acknowledge, open_steps, recall, report_done, return_step, unopened_for
from .templates import retire_template, save_template

__all__ = [
    "acknowledge", "add_holiday", "apply_template", "assign", "distribute", "endorse", "link_line", "load_holidays",
    "mark_read",
    "open_steps", "recall", "register_received_copy", "remind_unread", "remove_holiday", "report_done",
    "retire_template", "return_step", "save_template", "send_circular", "send_digest", "set_preferences",
    "start_line_link", "unlink_line", "unopened_for",
]
