"""Authentication (issue #14, findings "no login throttling" and "a revoked token works for up to 10 s").

The attacks: 40 wrong passwords and then the right one logged in (and each attempt cost a password hash);
a revoked API token kept working in other processes for the token cache's lifetime.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.api import tokens
from saraban.api.models import ApiToken
from saraban.kernel import clock
from saraban.web.auth import throttle
from tests.fixtures import user

pytestmark = pytest.mark.django_db

PASSWORD = "saraban-demo"


def _set_password(username: str) -> None:
    u = user(username)
    u.set_password(PASSWORD)
    u.save()


def _try(username: str, password: str, *, ip: str = "203.0.113.7", otp: str = "") -> tuple[int, Client]:
    c = Client(REMOTE_ADDR=ip)
    data = {"username": username, "password": password, "next": "/"}
    if otp:
        data["otp"] = otp
    r = c.post("/login/", data)
    return r, c


def _signed_in(c: Client) -> bool:
    return "_auth_user_id" in c.session


def test_wrong_passwords_lock_the_account_before_the_right_one_works(org) -> None:
    _set_password("registrar")
    for i in range(throttle.FAILURES):
        r, _ = _try("registrar", "wrong-password")
        assert r.status_code == (429 if i == throttle.FAILURES - 1 else 401)  # the last allowed failure locks
    with mock.patch.object(ModelBackend, "authenticate", wraps=ModelBackend().authenticate) as checked:
        r, c = _try("registrar", PASSWORD)
    assert r.status_code == 429 and not _signed_in(c)
    assert "ถูกระงับชั่วคราว" in r.content.decode() and int(r["Retry-After"]) >= throttle.BASE_DELAY
    assert checked.call_count == 0  # refused before any password is hashed: a flood costs no CPU


def test_the_lock_holds_per_account_from_any_address(org) -> None:
    _set_password("registrar")
    for i in range(throttle.FAILURES):
        _try("registrar", "wrong-password", ip=f"198.51.100.{i + 1}")
    r, c = _try("registrar", PASSWORD, ip="198.51.100.200")
    assert r.status_code == 429 and not _signed_in(c)


def test_the_lock_holds_per_address_across_accounts(org) -> None:
    _set_password("director")
    for name in ("registrar", "officer", "secretary", "permsec", "admin")[: throttle.FAILURES]:
        _try(name, "wrong-password", ip="192.0.2.50")
    r, c = _try("director", PASSWORD, ip="192.0.2.50")
    assert r.status_code == 429 and not _signed_in(c)
    r, c = _try("director", PASSWORD, ip="192.0.2.51")  # another address, an account never guessed: fine
    assert r.status_code == 302 and _signed_in(c)


def test_delays_grow_with_every_further_failure(org) -> None:
    for _ in range(throttle.FAILURES):
        _try("registrar", "wrong-password")
    waits = [int(_try("registrar", "wrong-password")[0]["Retry-After"]) for _ in range(3)]
    assert waits == sorted(waits) and waits[0] < waits[1] < waits[2]
    assert throttle.delay_for(throttle.FAILURES) == throttle.BASE_DELAY
    assert throttle.delay_for(10_000) == throttle.MAX_DELAY


def test_after_the_delay_the_right_password_works_again(org) -> None:
    _set_password("registrar")
    for _ in range(throttle.FAILURES):
        _try("registrar", "wrong-password")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=throttle.BASE_DELAY + 5)
    AccessAttempt.objects.update(attempt_time=long_ago)
    r, c = _try("registrar", PASSWORD)
    assert r.status_code == 302 and _signed_in(c)
    assert not AccessAttempt.objects.filter(username="registrar").exists()  # a success clears the count


def test_wrong_totp_codes_are_throttled_too(org) -> None:
    _set_password("director")
    device = TOTPDevice.objects.create(user=user("director"), name="app", confirmed=True)
    now_code = f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"
    wrong = "000000" if now_code != "000000" else "111111"
    for _ in range(throttle.FAILURES):
        r, c = _try("director", PASSWORD, otp=wrong)
        assert not _signed_in(c)
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # django-otp's own pause off
    device.save()
    r, c = _try("director", PASSWORD, otp=now_code)
    assert r.status_code == 429 and not _signed_in(c)


def test_a_right_totp_sign_in_still_works(org) -> None:
    _set_password("director")
    device = TOTPDevice.objects.create(user=user("director"), name="app", confirmed=True)
    r, c = _try("director", PASSWORD)
    assert r.status_code == 200 and 'name="otp"' in r.content.decode() and not _signed_in(c)
    r, c = _try("director", PASSWORD, otp=f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}")
    assert r.status_code == 302 and _signed_in(c)


def test_a_revoked_token_stops_at_once_in_every_process(api_for, monkeypatch) -> None:
    monkeypatch.setattr(tokens, "USER_TTL", 10.0)  # the production cache lifetime
    api = api_for("registrar")
    assert api.get("/me").status_code == 200  # cached in this process now
    # another process revokes it: a plain row update, nobody tells this process's cache
    ApiToken.objects.filter(user=user("registrar")).update(revoked_at=clock.now())
    r = api.get("/me")
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")


def test_a_deactivated_account_token_stops_at_once(api_for, monkeypatch) -> None:
    monkeypatch.setattr(tokens, "USER_TTL", 10.0)
    api = api_for("registrar")
    assert api.get("/me").status_code == 200
    type(user("registrar")).objects.filter(username="registrar").update(is_active=False)
    assert api.get("/me").status_code == 401
