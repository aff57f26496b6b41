"""Fixtures: the demo organisation, users with tokens, API clients, sample PDFs, a movable clock."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pikepdf
import pytest
from django.test import Client

from saraban.kernel.clock import BANGKOK, MovableClock, use_clock


@cache
def _letter_pdf(text: str) -> bytes:
    from saraban.demo.content import sample_letter_pdf

    return sample_letter_pdf("ทดสอบ 0001/1", "หน่วยงานทดสอบ", "ผู้รับทดสอบ", text, dt.date(2026, 1, 5))


def make_pdf(text: str = "หนังสือทดสอบ", *, rotate: int = 0, variant: int = 0) -> bytes:
    """A real one-page Thai letter; ``variant`` makes otherwise identical files differ in bytes."""
    data = _letter_pdf(text)
    if not rotate and not variant:
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if rotate:
            pdf.pages[0].obj["/Rotate"] = rotate
        if variant:
            pdf.docinfo["/Variant"] = str(variant)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def blank_pdf() -> bytes:
    """A one-page PDF without a text layer (to the text extractor, a scan): nothing to pre-fill from."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf()


@pytest.fixture
def org(db: Any) -> dict[str, int]:
    from saraban.orgs import directory
    from saraban.orgs.actions import load_directory

    return load_directory(directory.read(directory.DEMO_FILE), demo=True)


def user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


class Api:
    """A small API client: JSON in, JSON out, with a Bearer token."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post_json(self, path: str, body: Any, key: str | None = None) -> Any:
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return self.client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json",
                                **self.headers, **extra)

    def post_multipart(self, path: str, data: dict[str, Any], key: str | None = None) -> Any:
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return self.client.post(f"/api/v1{path}", data, **self.headers, **extra)

    def incoming(self, meta: dict[str, Any], pdf: bytes | None = None, name: str = "letter.pdf",
                 key: str | None = None) -> Any:
        f = io.BytesIO(pdf if pdf is not None else make_pdf())
        f.name = name
        return self.post_multipart("/letters/incoming", {"file": f, "metadata": json.dumps(meta, ensure_ascii=False)},
                                   key=key)

    def outgoing(self, meta: dict[str, Any], pdf: bytes | None = None, key: str | None = None) -> Any:
        data: dict[str, Any] = {"metadata": json.dumps(meta, ensure_ascii=False)}
        if pdf is not None:
            f = io.BytesIO(pdf)
            f.name = "out.pdf"
            data["file"] = f
        return self.post_multipart("/letters/outgoing", data, key=key)


@pytest.fixture
def api_for(org: Any) -> Any:
    from saraban.api.actions import create_token

    def make(username: str) -> Api:
        _, token = create_token(user(username))
        return Api(token)

    return make


@pytest.fixture
def registrar_api(api_for: Any) -> Api:
    return api_for("registrar")


def meta(**over: Any) -> dict[str, Any]:
    base = {
        "their_ref": "นร 0105/ว 123", "their_date": "2026-02-28", "sender": "ปลัดสำนักนายกรัฐมนตรี",
        "addressee": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "subject": "การพิมพ์หนังสือราชการ",
        "kind": "external", "urgency": "urgent", "secrecy": "normal",
    }
    base.update(over)
    return base


@pytest.fixture
def clock() -> Iterator[MovableClock]:
    c = MovableClock(dt.datetime(2026, 3, 3, 10, 42, tzinfo=BANGKOK))
    with use_clock(c):
        yield c


_append_only = importlib.import_module("saraban.audit.migrations.0002_append_only")


def _audit_triggers(on: bool) -> None:
    from django.db import connection

    with connection.schema_editor() as editor:
        (_append_only.forwards if on else _append_only.backwards)(None, editor)


@pytest.fixture
def _audit_triggers_back(django_db_blocker: Any) -> Iterator[None]:
    """Set up before ``transactional_db``, so it is torn down after its flush: the triggers come back."""
    yield
    with django_db_blocker.unblock():
        _audit_triggers(False)
        _audit_triggers(True)


@pytest.fixture
def committed_db(_audit_triggers_back: None, transactional_db: Any) -> Iterator[None]:
    """A database whose writes commit (other threads and processes see them); emptied afterwards.  The audit
    log is append-only (PostgreSQL refuses even TRUNCATE), so its triggers are lifted for the flush only.
    Use this, not ``django_db(transaction=True)``."""
    yield
    _audit_triggers(False)
