"""Sign in with password and, when the user has one, a TOTP code; set up TOTP."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.orgs import actions as org_actions


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    need_totp = False
    username = request.POST.get("username", "")
    if request.method == "POST":
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:
            error = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง|Wrong username or password"
        else:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            code = request.POST.get("otp", "").strip()
            if device is not None and not code:
                need_totp = True
            elif device is not None and not device.verify_token(code):
                need_totp = True
                error = "รหัส OTP ไม่ถูกต้อง|Wrong OTP code"
                # a wrong code counts as a failed sign-in: guessing codes is throttled like guessing passwords
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
            else:
                login(request, user)
                if device is not None:
                    otp_login(request, device)
                return redirect(_next(request))
    th_en = error.split("|") if error else ["", ""]
    return render(request, "auth/login.html", {
        "error_th": th_en[0], "error_en": th_en[-1], "need_totp": need_totp, "username": username,
        "next": _next(request),
    }, status=401 if error else 200)


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
    return redirect("login")


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user).first()
    error = ""
    if request.method == "POST" and device is not None and not device.confirmed:
        if device.verify_token(request.POST.get("otp", "").strip()):
            org_actions.confirm_totp(request.user, device)
            return redirect("home")
        error = "รหัส OTP ไม่ถูกต้อง"
    if device is None:
        device = org_actions.start_totp(request.user)
    qr = segno.make(device.config_url, micro=False)
    svg = qr.svg_inline(scale=5)
    return render(request, "auth/totp.html", {"device": device, "qr_svg": svg, "error": error,
                                             "secret": base64.b32encode(device.bin_key).decode()})
