"""The health page for administrators: the background queue (stuck, failed, waiting) and a retry button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saraban.access.principal import principal_for
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.orgs.models import Role

from . import recovery, taskqueue


def is_admin(request: HttpRequest) -> bool:
    if not request.user.is_authenticated:
        return False
    p = principal_for(request.user)
    return p.is_superuser or bool(p.units(Role.ADMIN))


def _row(r: object) -> dict:
    return {"id": str(r.pk), "task": r.task_path.rsplit(".", 2)[-2] + "." + r.task_path.rsplit(".", 1)[-1],  # type: ignore[attr-defined]
            "attempts": taskqueue.attempts_of(r),  # type: ignore[arg-type]
            "error": (r.exception_class_path or "").rsplit(".", 1)[-1],  # type: ignore[attr-defined]
            "at": r.finished_at or r.started_at or r.enqueued_at,  # type: ignore[attr-defined]
            "retryable": r.task_path in taskqueue.RETRYABLE}  # type: ignore[attr-defined]


@login_required
def health(request: HttpRequest) -> HttpResponse:
    if not is_admin(request):
        raise Http404
    if request.method == "POST":
        ids = request.POST.getlist("task") or None
        try:
            done = taskqueue.retry(signed_in(request), ids)
            messages.success(request, f"ส่งงานกลับเข้าคิวแล้ว {done['tasks']} งาน, แจ้งเตือน {done['notices']} รายการ"
                                      f" | Requeued {done['tasks']} tasks, {done['notices']} notices")
        except SarabanError as exc:
            messages.error(request, exc.message_th)
        return redirect("/ops/health/")
    h = taskqueue.health()
    return render(request, "ops/health.html", {
        "h": h, "stuck": [_row(r) for r in h.stuck], "waiting": [_row(r) for r in h.waiting],
        "gave_up": [_row(r) for r in h.gave_up], "stuck_minutes": int(recovery.lost_seconds() // 60) or 1,
        "auto_attempts": taskqueue.AUTO_ATTEMPTS,
    })
