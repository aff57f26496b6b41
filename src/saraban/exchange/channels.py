"""Dispatch channels beside SBX, carried by other apps: the mail gateway installs ``email`` when it loads.

:func:`saraban.exchange.actions.dispatch` picks a channel per recipient from the directory (which says
whether an organisation takes SBX, e-mail or both) and hands e-mail recipients to the installed scheduler,
inside its own transaction.  The carrier reports back through :func:`settle`, called from its own actions:
the :class:`~.models.Dispatch` rows stay written only here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from saraban.kernel import clock

from .models import Dispatch, DispatchStatus

Scheduler = Callable[..., str]  # (dispatch, letter, participant, *, expires_at, actor) -> evidence (e.g. Message-ID)
_schedulers: dict[str, Scheduler] = {}


def install(channel: str, scheduler: Scheduler | None) -> None:
    """Install (or, with ``None``, remove) the scheduler of a channel."""
    if scheduler is None:
        _schedulers.pop(channel, None)
    else:
        _schedulers[channel] = scheduler


def installed(channel: str) -> bool:
    return channel in _schedulers


def schedule(channel: str, dispatch: Dispatch, letter: Any, participant: Any, *, expires_at: dt.datetime,
             actor: Any) -> None:
    evidence = _schedulers[channel](dispatch, letter, participant, expires_at=expires_at, actor=actor)
    if evidence:
        Dispatch.objects.filter(pk=dispatch.pk).update(evidence=evidence[:500])
        dispatch.evidence = evidence[:500]


def settle(dispatch_id: Any, *, sent: bool | None, evidence: str = "", reason_code: str = "",
           reason_text: str = "") -> None:
    """Record a carrier's result on a dispatch: ``sent`` True (handed over), False (failed), None (retrying)."""
    d = Dispatch.objects.filter(pk=dispatch_id).first()
    if d is None:
        return
    now = clock.now()
    if evidence:
        d.evidence = evidence[:500]
    d.reason_code, d.reason_text = reason_code[:64], reason_text[:1000]
    if sent is True and d.status in (DispatchStatus.QUEUED, DispatchStatus.FAILED):
        d.status, d.status_at, d.delivered_at = DispatchStatus.SENT, now, d.delivered_at or now
    elif sent is False and d.status == DispatchStatus.QUEUED:
        d.status, d.status_at = DispatchStatus.FAILED, now
    d.save()
