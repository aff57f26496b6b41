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


SETTINGS_LINKS = [  # (url, Thai, English, what it is for in Thai, in English): one click away
    ("/settings/emblems/", "ตราครุฑและหัวกระดาษ", "Emblems and letterheads",
     "ตราที่พิมพ์บนหนังสือของแต่ละส่วนราชการ", "the emblem printed on each agency's letters"),
    ("/mail/settings/", "ไปรษณีย์อิเล็กทรอนิกส์กลาง", "Central mailbox",
     "ที่อยู่อีเมลกลางที่รับหนังสือเข้าคิว", "the central address whose mail enters the queue"),
    ("/mail/health/", "สถานะอีเมลกลาง", "Central mailbox health",
     "การรับอีเมลครั้งล่าสุดและข้อผิดพลาด", "the last mail received and any errors"),
    ("/routing/holidays/", "ปฏิทินวันหยุด", "Holidays",
     "วันหยุดที่ใช้คำนวณกำหนดเสร็จเป็นวันทำการ", "days off, for due dates in working days"),
    ("/routing/templates/", "เส้นทางหนังสือ", "Route templates",
     "เส้นทางเสนอหนังสือที่ใช้ซ้ำได้", "routes a letter can follow again and again"),
    ("/exchange/directory/", "สมุดรายชื่อ SBX", "SBX directory",
     "ส่วนราชการที่รับส่งหนังสือกันทางระบบได้", "agencies reachable through the system"),
    ("/exchange/dashboard/", "ภาพรวมการเชื่อมโยง", "Linking dashboard",
     "การรับส่งหนังสือกับส่วนราชการอื่น", "letters exchanged with other agencies"),
    ("/ops/health/", "สถานะงานเบื้องหลัง", "Background work",
     "ตราประทับ การแจ้งเตือน และการส่ง ที่ค้างหรือล้มเหลว", "stamps, notices and deliveries stuck or failed"),
]


def _checks() -> list[tuple[str, str, str]]:
    """The readiness checks, as the administrator reads them: (Thai, English, "ok" or what is wrong)."""
    from .health import _blob_store, _database, _migrations

    out = []
    for th, en, check in (("ฐานข้อมูล", "Database", _database), ("โครงสร้างฐานข้อมูล", "Migrations", _migrations),
                          ("ที่เก็บไฟล์", "File store", _blob_store)):
        try:
            out.append((th, en, check()))
        except Exception as exc:  # shown, not raised: this page exists to say what is wrong
            out.append((th, en, f"{type(exc).__name__}: {str(exc)[:200]}"))
    return out


def problems() -> int:
    """Background work that failed and waits for a person, plus notices that could not be sent (a badge)."""
    from django_tasks_db.models import DBTaskResult

    from saraban.routing.models import Outbound

    failed = DBTaskResult.objects.filter(status=taskqueue.FAILED).count()
    return failed + Outbound.objects.filter(status=Outbound.Status.FAILED).count()


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The administrator's landing page: is the system healthy (checks, background work) and the settings."""
    if not is_admin(request):
        raise Http404
    h = taskqueue.health(limit=20)
    return render(request, "ops/manage.html", {
        "checks": _checks(), "h": h, "stuck": len(h.stuck), "gave_up": len(h.gave_up),
        "links": SETTINGS_LINKS,
    })
