"""One switch, ``SARABAN_PUBLIC_URL=https://…``, turns on the production transport settings: Secure and
HttpOnly cookies, HSTS, the redirect to HTTPS, the reverse proxy's TLS header, and the QR and verify
links built from that address.  The strict Content-Security-Policy is sent in every mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://saraban.example.go.th"

PROBE = textwrap.dedent("""
    import json, os
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    c = Client()
    plain = c.get("/login/", HTTP_HOST="saraban.example.go.th")
    tls = c.get("/login/", HTTP_HOST="saraban.example.go.th", HTTP_X_FORWARDED_PROTO="https")
    from saraban.transport.http import public_base
    from django.test import RequestFactory
    req = RequestFactory().get("/", HTTP_HOST="evil.example")
    print(json.dumps({
        "production": settings.PRODUCTION,
        "plain": [plain.status_code, plain.headers.get("Location", "")],
        "status": tls.status_code,
        "headers": dict(tls.headers),
        "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]), "samesite": v["samesite"]}
                    for k, v in tls.cookies.items()},
        "allowed": settings.ALLOWED_HOSTS, "trusted": settings.CSRF_TRUSTED_ORIGINS,
        "proxy": settings.SECURE_PROXY_SSL_HEADER, "public_base": public_base(req),
    }))
""")


def probe(tmp_path: Path, **env: str) -> dict:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_") and k != "DATABASE_URL"}
    run_env |= {"SARABAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "saraban.settings", **env}
    out = subprocess.run([sys.executable, "-c", PROBE], env=run_env, capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_switch_turns_everything_on(tmp_path: Path) -> None:
    got = probe(tmp_path, SARABAN_PUBLIC_URL=PUBLIC + "/")
    assert got["production"] is True
    assert got["plain"] == [301, PUBLIC + "/login/"]  # plain HTTP goes to HTTPS
    assert got["status"] == 200  # the proxy said TLS: no redirect loop
    h = got["headers"]
    assert h["Strict-Transport-Security"] == "max-age=31536000"
    assert "upgrade-insecure-requests" in h["Content-Security-Policy"]
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "SAMEORIGIN" and h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert got["cookies"]["csrftoken"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert got["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert "saraban.example.go.th" in got["allowed"] and PUBLIC in got["trusted"]
    assert got["public_base"] == PUBLIC  # never the Host a request claims


def test_without_the_switch_it_is_dev_mode(tmp_path: Path) -> None:
    got = probe(tmp_path, SARABAN_ALLOWED_HOSTS="saraban.example.go.th,evil.example")
    assert got["production"] is False and got["plain"][0] == 200
    assert "Strict-Transport-Security" not in got["headers"]
    assert got["cookies"]["csrftoken"]["secure"] is False
    assert got["proxy"] is None
    assert "script-src 'self'" in got["headers"]["Content-Security-Policy"]  # CSP in every mode


def test_a_bad_public_url_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="SARABAN_PUBLIC_URL"):
        probe(tmp_path, SARABAN_PUBLIC_URL="saraban.example.go.th")


@pytest.mark.django_db
def test_every_page_sends_the_strict_policy(org) -> None:
    from tests.fixtures import user

    c = Client()
    c.force_login(user("registrar"))
    for path in ("/", "/registers/", "/drafts/", "/api/v1/docs", "/verify/", "/no/such/page/"):
        csp = c.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
        assert directives["script-src"] == "'self'", path
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in csp
        assert directives["frame-ancestors"] == "'self'"


@pytest.mark.django_db
def test_api_docs_are_served_from_our_files(client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower() and "https://" not in html and "<script>" not in html
    assert "/static/api/swagger/swagger-ui-bundle.js" in html and "/static/api/swagger-init.js" in html
    swagger = ROOT / "src/saraban/api/static/api/swagger"
    assert "Apache License" in (swagger / "LICENSE").read_text() and "SmartBear" in (swagger / "NOTICE").read_text()
    import hashlib

    for line in (swagger / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((swagger / name).read_bytes()).hexdigest() == digest, name
    assert client.get("/static/api/swagger/swagger-ui-bundle.js").status_code == 200


def test_no_served_template_has_inline_script() -> None:
    """The policy forbids inline script: no template may carry any (PDF templates are never served)."""
    import re

    bad = []
    for path in (ROOT / "src/saraban").rglob("*.html"):
        if "letterpress" in path.parts or "reports" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in m.group(1) and 'type="application/json"' not in m.group(1):
                bad.append(f"{path.name}: inline <script>")
        bad += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
        bad += [f"{path.name}: javascript: URL" for _ in re.finditer(r"javascript:", text)]
    assert bad == []
