"""/healthz, /readyz, /metrics and the JSON log lines; a ลับ letter's words never reach a log."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from saraban.ops import logs, server
from saraban.storage import blobs

pytestmark = pytest.mark.django_db


class BrokenStore:
    def put(self, name: str, chunks: object) -> tuple[bool, object]:
        raise PermissionError("read-only file system")


def test_healthz_answers_without_the_database() -> None:
    r = Client().get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["pid"] > 0


def test_readyz_checks_database_migrations_and_blob_store() -> None:
    r = Client().get("/readyz")
    assert r.status_code == 200, r.content
    assert r.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "blob_store": "ok"}}
    before = set(blobs.store().names())
    Client().get("/readyz")
    assert set(blobs.store().names()) == before  # the probe leaves nothing behind


def test_readyz_says_which_check_failed() -> None:
    blobs.use(BrokenStore())  # type: ignore[arg-type]
    try:
        r = Client().get("/readyz")
    finally:
        blobs.use(None)
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "not ready" and body["checks"]["database"] == "ok"
    assert body["checks"]["blob_store"].startswith("PermissionError")


def test_metrics_count_requests_by_route_and_read_queue_gauges(monkeypatch) -> None:
    monkeypatch.delenv("SARABAN_METRICS_TOKEN", raising=False)
    c = Client()
    c.get("/healthz")
    c.get("/api/v1/letters/0190e3c1-7b2a-7c4e-8000-000000000000")  # a letter id: must not become a label
    r = c.get("/metrics")
    assert r.status_code == 200
    text = r.content.decode()
    assert 'saraban_http_requests_total{method="GET",route="healthz",status="2xx"}' in text
    assert "0190e3c1" not in text and "saraban_tasks" in text and "saraban_task_workers" in text
    assert "saraban_outbox_waiting" in text


def test_metrics_are_not_for_outsiders(monkeypatch) -> None:
    monkeypatch.delenv("SARABAN_METRICS_TOKEN", raising=False)
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403  # via the proxy
    monkeypatch.setenv("SARABAN_METRICS_TOKEN", "s3cret-token")
    assert Client().get("/metrics").status_code == 403
    ok = Client(REMOTE_ADDR="10.0.0.5").get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200


def record(name: str, msg: str, args: object = None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)  # type: ignore[arg-type]


def test_json_log_lines() -> None:
    line = json.loads(logs.JsonFormatter().format(record("saraban.x", "ส่งแล้ว %s", ("3",))))
    assert line["message"] == "ส่งแล้ว 3" and line["level"] == "info" and line["logger"] == "saraban.x"
    assert line["time"].endswith("+07:00") and line["pid"] > 0
    access = {"m": "GET", "U": "/registers/received/2569", "q": "q=แผนลับ", "s": "200", "M": "12", "B": "900",
              "h": "127.0.0.1", "r": "GET /registers/received/2569?q=แผนลับ HTTP/1.1"}
    out = logs.JsonFormatter().format(record("gunicorn.access", "%(r)s", access))
    assert "แผนลับ" not in out  # no query string: search words stay out of the log
    want = {"method": "GET", "path": "/registers/received/2569", "status": 200, "ms": 12}
    assert json.loads(out).items() >= want.items()
    assert "%(U)s" in server.ACCESS_FORMAT
    assert "%(r)s" not in server.ACCESS_FORMAT and "%(q)s" not in server.ACCESS_FORMAT


def test_a_secret_letters_words_reach_no_log(api_for, clock, caplog) -> None:
    subject, instruction = "แผนเคลื่อนย้ายกำลังพลลับเฉพาะ", "ให้ดำเนินการตามแผนลับโดยเร่งด่วน"
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="saraban")  # settings hold "saraban" at INFO
    _route_a_secret_letter(api_for, subject, instruction)
    text = "\n".join(logs.JsonFormatter().format(rec) for rec in caplog.records)
    assert any(rec.name == "saraban.kernel.actions" for rec in caplog.records)  # the actions were logged, not the words
    for secret in (subject, instruction, "เคลื่อนย้ายกำลังพล"):
        assert secret not in text


def _route_a_secret_letter(api_for, subject: str, instruction: str) -> None:
    from tests.fixtures import meta

    sec = api_for("secretary")
    r = sec.incoming(meta(secrecy="confidential", subject=subject, their_ref="กห 0001/ลับ"))
    assert r.status_code == 201, r.content
    d = sec.post_json(f"/routing/letters/{r.json()['id']}/distribute",
                      {"targets": [{"position": "ops-ict-director"}], "instruction": instruction})
    assert d.status_code == 201, d.content
    api_for("ict-director").get(f"/routing/letters/{r.json()['id']}")
    sec.get(f"/registers/secret_received/{r.json()['registration']['year']}", q=subject)
