"""Linking a LINE account: the settings page asks for a one-time code, and LINE's webhook brings it back.

The webhook is called by the LINE platform, not by a browser: no session, no CSRF token; it is trusted only
when ``X-Line-Signature`` is LINE's HMAC of the body under the channel secret (``SARABAN_LINE_CHANNEL_SECRET``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.kernel.thai import format_time
from saraban.routing import actions
from saraban.routing.notify import setting
from saraban.routing.notify.line import signature_ok, texts_from_users

MAX_WEBHOOK_BYTES = 256 * 1024


@login_required
@require_POST
def link_start(request: HttpRequest) -> HttpResponse:
    """Show a fresh code to send to the agency's LINE Official Account."""
    try:
        code, expires = actions.start_line_link(signed_in(request))
    except SarabanError as exc:
        messages.error(request, exc.message_th)
        return redirect("/routing/settings/")
    messages.info(request, f"ส่งรหัส {code} ให้บัญชีทางการ LINE ของหน่วยงาน ภายในเวลา {format_time(expires)} "
                           f"| Send the code {code} to the agency's LINE Official Account")
    return redirect("/routing/settings/")


@login_required
@require_POST
def unlink(request: HttpRequest) -> HttpResponse:
    try:
        actions.unlink_line(signed_in(request))
    except SarabanError as exc:
        messages.error(request, exc.message_th)
    return redirect("/routing/settings/")


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """LINE's webhook: a user who sends a valid link code is linked; everything else is acknowledged and ignored."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"code": "too_large"}, status=413)
    body = request.body
    if not signature_ok(body, request.headers.get("X-Line-Signature", ""), setting("SARABAN_LINE_CHANNEL_SECRET")):
        return JsonResponse({"code": "bad_signature", "message_th": "ลายมือชื่อของ LINE ไม่ถูกต้อง",
                             "message_en": "Bad LINE signature"}, status=403)
    linked = 0
    for text, user_id in texts_from_users(body):
        try:
            actions.link_line(text, user_id)
            linked += 1
        except SarabanError:
            continue  # not a code of ours (or a stale one): nothing to do
    return JsonResponse({"linked": linked})
