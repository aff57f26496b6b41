"""Pages of the central mailbox: incoming mail (with quarantine decisions and the reply with the receipt
number), the mailbox's settings and its health."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.mail import actions, compose, health, policy
from saraban.mail.models import MailAccount, MailMessage, MailStatus
from saraban.orgs.models import Agency
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response
from saraban.web.render import render

FIELDS = ("address", "inbound", "imap_host", "imap_port", "imap_security", "imap_user", "imap_folder",
          "smtp_host", "smtp_port", "smtp_security", "smtp_user")


def can_see(request: HttpRequest) -> bool:
    return bool(policy.agencies_handled(principal_for(request.user)))


def _mail(request: HttpRequest, mail_id: uuid.UUID) -> MailMessage:
    m = MailMessage.objects.select_related("agency", "raw").filter(pk=mail_id).first()
    if m is None or not policy.can_handle(principal_for(request.user), m.agency):
        raise Http404
    return m


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    show = request.GET.get("show", "")
    qs = MailMessage.objects.filter(policy.visible_q(p)).select_related("agency")
    if show in (MailStatus.QUARANTINED, MailStatus.QUEUED, MailStatus.DISCARDED, MailStatus.RECEIVED):
        qs = qs.filter(status=show)
    rows = list(qs.order_by("-received_at")[:200])
    counts = {s: MailMessage.objects.filter(policy.visible_q(p), status=s).count()
              for s in (MailStatus.QUARANTINED, MailStatus.QUEUED)}
    return render(request, "mail/inbox.html", {"rows": rows, "show": show, "counts": counts,
                                               "admin": any(policy.can_configure(p, a) for a in
                                                            policy.agencies_handled(p))})


@login_required
def detail(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    item = IntakeItem.objects.filter(pk=m.intake_item_id).first() if m.intake_item_id else None
    files = list(item.files.select_related("blob").order_by("order")) if item else []
    subject, body = ("", "")
    if m.registration and item is not None:
        subject, body = compose.reply_text(m, item.secrecy, item.metadata.get("their_ref", ""), item.subject)
    return render(request, "mail/detail.html", {
        "m": m, "item": item, "files": files, "token": once.new_token(request),
        "reply_subject": subject, "reply_body": body, "replies": list(m.replies.order_by("-created_at")),
        "duplicate": (m.flags or {}).get("duplicate"), "sender": (m.flags or {}).get("sender", {}),
    })


@login_required
def original(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    if m.classified:
        raise Http404  # kept encrypted for the secret-document registrar's handling, never served here
    return file_response(blobs.read(m.raw), f"mail-{m.pk}.eml", "message/rfc822", m.sha256)


def _act(request: HttpRequest, m: MailMessage, fn: Any, parts: dict[str, Any], ok: tuple[str, str]) -> HttpResponse:
    back = f"/mail/{m.pk}/"
    return once.form(request, {"mail": str(m.pk), **parts}, lambda: (fn(), back)[1], back=back, ok=ok)


@login_required
@require_POST
def release(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    note = request.POST.get("note", "")
    return _act(request, m, lambda: actions.release(signed_in(request), m, note), {"release": note},
                ("ส่งเข้าคิวรอลงทะเบียนแล้ว", "Released to the queue"))


@login_required
@require_POST
def discard(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    reason = request.POST.get("reason", "")
    return _act(request, m, lambda: actions.discard(signed_in(request), m, reason), {"discard": reason},
                ("ไม่รับเข้าคิวแล้ว (เก็บต้นฉบับไว้)", "Set aside (the original is kept)"))


@login_required
@require_POST
def choose_letter(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    item = IntakeItem.objects.filter(pk=m.intake_item_id).first() if m.intake_item_id else None
    if item is None:
        raise Http404
    file_id = request.POST.get("file", "")
    return _act(request, m, lambda: intake.arrange(signed_in(request), item, letter=file_id), {"letter": file_id},
                ("เปลี่ยนไฟล์หนังสือแล้ว", "The letter file was changed"))


@login_required
@require_POST
def reply(request: HttpRequest, mail_id: uuid.UUID) -> HttpResponse:
    m = _mail(request, mail_id)
    subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
    return _act(request, m, lambda: actions.reply_with_number(signed_in(request), m, subject, body),
                {"reply": subject, "body": body}, ("ส่งอีเมลแจ้งเลขรับแล้ว (รอส่ง)", "Reply with the number queued"))


@login_required
def health_page(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    agencies = policy.agencies_handled(p)
    if not agencies:
        raise Http404
    return render(request, "mail/health.html", {"report": health.report(agencies)})


def _agency_for_settings(request: HttpRequest) -> Agency:
    p = principal_for(request.user)
    mine = [a for a in policy.agencies_handled(p) if policy.can_configure(p, a)]
    code = request.GET.get("agency") or request.POST.get("agency") or (mine[0].code if mine else "")
    agency = next((a for a in mine if a.code == code), None)
    if agency is None:
        raise Http404
    return agency


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    agency = _agency_for_settings(request)
    account = MailAccount.objects.filter(agency=agency).first()
    if request.method == "POST":
        fields: dict[str, Any] = {k: request.POST.get(k, "").strip() for k in FIELDS}
        fields["enabled"] = request.POST.get("enabled") == "on"
        fields["max_mb"] = request.POST.get("max_mb", "0").strip() or "0"
        imap_pw = request.POST.get("imap_password") or None
        smtp_pw = request.POST.get("smtp_password") or None
        try:
            actions.save_account(signed_in(request), agency, fields, imap_password=imap_pw, smtp_password=smtp_pw)
        except SarabanError as exc:
            once.error(request, exc)
            return render(request, "mail/settings.html", {"agency": agency, "a": fields, "account": account}, 422)
        messages.success(request, "บันทึกการตั้งค่ากล่องจดหมายแล้ว|Mailbox settings saved")
        return redirect(f"/mail/settings/?agency={agency.code}")
    values: dict[str, Any] = {k: getattr(account, k) for k in FIELDS} if account else {
        "address": agency.central_email, "inbound": "smtp", "imap_port": 993, "imap_security": "tls",
        "imap_folder": "INBOX", "smtp_port": 587, "smtp_security": "starttls"}
    values["enabled"] = account.enabled if account else True
    values["max_mb"] = round(account.max_bytes / 1048576, 1) if account and account.max_bytes else 0
    return render(request, "mail/settings.html", {"agency": agency, "a": values, "account": account})
