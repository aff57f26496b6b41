"""The drafting API: the whole flow over HTTP with tokens, coded errors in Thai and English,
idempotent retries, validation of any PDF, and the public verification endpoints."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from saraban.drafting.models import SignedRecord
from saraban.registry.models import RegisterBook
from saraban.storage import blobs
from tests.drafting.flow import EXTERNAL_FORM, PIN

pytestmark = pytest.mark.django_db


def _ok(r, status=200):  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.content.decode()
    return r.json()


def put_json(api, path, body, key=None):  # type: ignore[no-untyped-def]
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.client.put(f"/api/v1{path}", json.dumps(body), content_type="application/json", **api.headers, **extra)


def test_api_flow(signing, api_for) -> None:
    officer, reviewer, signer = api_for("officer"), api_for("ict-director"), api_for("permsec")
    d = _ok(officer.post_json("/drafts", {"kind": "external", "fields": EXTERNAL_FORM}, key="c1"), 201)
    again = _ok(officer.post_json("/drafts", {"kind": "external", "fields": EXTERNAL_FORM}, key="c1"), 201)
    assert again["id"] == d["id"]  # a retried create makes one draft
    did = d["id"]
    assert d["content"]["to"]["title"] == "อธิบดีกรมศิลปากร" and d["content"]["body"][2]["type"] == "items"

    # structured content is accepted too; fields only the system sets are refused
    bad = put_json(officer, f"/drafts/{did}/content", {"base_version": 1, "content": {**d["content"],
                                                                                    "photo": "/etc/passwd"}})
    assert bad.status_code == 422 and bad.json()["code"] == "content_invalid"
    content = {**d["content"], "subject": "ขอเชิญประชุม (แก้ไขผ่าน API)"}
    d = _ok(put_json(officer, f"/drafts/{did}/content", {"base_version": 1, "content": content}))
    assert d["version"] == 2 and d["subject"] == "ขอเชิญประชุม (แก้ไขผ่าน API)"

    r = officer.post_json(f"/drafts/{did}/submit", {})
    assert r.status_code == 422 and r.json()["code"] == "missing_field"  # nobody to sign yet
    assert r.json()["details"]["field"] == "signatories"
    r = put_json(officer, f"/drafts/{did}/people", {"signers": [{"person": "officer", "mode": "typed"}]})
    assert r.status_code == 422 and r.json()["code"] == "sign_mode_not_allowed"
    assert "message_en" in r.json() and r.json()["message_th"]
    d = _ok(put_json(officer, f"/drafts/{did}/people", {"reviewers": ["ict-director"],
                                                         "signers": [{"person": "permsec"}]}))
    assert d["signers"][0]["username"] == "permsec" and d["signers"][0]["position"]
    d = _ok(officer.post_json(f"/drafts/{did}/submit", {}))
    assert d["status"] == "in_review" and [s["state"] for s in d["steps"]] == ["current", "waiting"]
    r = signer.post_json(f"/drafts/{did}/review", {"decision": "approve"})
    assert r.status_code == 403 and r.json()["code"] == "draft_not_allowed"
    _ok(reviewer.post_json(f"/drafts/{did}/review", {"decision": "approve"}))
    d = _ok(signer.post_json(f"/drafts/{did}/review", {"decision": "approve"}))
    assert d["status"] == "approved"

    r = reviewer.post_json(f"/drafts/{did}/sign", {"pins": {"ict-director": PIN}})
    assert r.status_code == 403 and r.json()["code"] == "signer_not_approved"
    r = signer.post_json(f"/drafts/{did}/sign", {"pins": {}})
    assert r.status_code == 422 and r.json()["code"] == "pin_required"
    s = _ok(signer.post_json(f"/drafts/{did}/sign", {"pins": {"permsec": PIN}}, key="s1"), 201)
    assert s["number"] == "ดศ 0204/1" and s["book"] == "sent" and s["level"] == "B-LT"
    again = _ok(signer.post_json(f"/drafts/{did}/sign", {"pins": {"permsec": PIN}}, key="s1"), 201)
    assert again == s and SignedRecord.objects.count() == 1
    r = signer.post_json(f"/drafts/{did}/sign", {"pins": {"permsec": PIN}})
    assert r.status_code == 409 and r.json()["code"] == "already_signed"
    assert RegisterBook.objects.get(kind="sent").last_number == 1

    letter = _ok(signer.get(f"/letters/{s['letter_id']}"))
    assert letter["their_ref"] == "ดศ 0204/1" and letter["files"][0]["role"] == "letter"
    reports = _ok(signer.get(f"/signatures/letters/{s['letter_id']}"))
    assert reports[0]["valid"] and reports[0]["signatures"][0]["time_trusted"]

    pdf = blobs.read(SignedRecord.objects.get().signed_file.blob)
    f = io.BytesIO(pdf)
    f.name = "x.pdf"
    v = _ok(signer.post_multipart("/signatures/validate", {"file": f}))
    assert v["valid"] and "ผลรวม: ถูกต้อง" in v["text_th"]

    anon = Client()
    token = s["verify_path"].rsplit("/", 1)[1]
    pub = anon.get(f"/api/v1/verify/{token}").json()
    assert pub["valid"] and pub["number"] == "ดศ 0204/1" and pub["sha256"] == s["sha256"]
    assert "subject" not in pub and "content" not in pub
    flipped = bytearray(pdf)
    flipped[len(pdf) // 3] ^= 0x01
    f = io.BytesIO(bytes(flipped))
    f.name = "x.pdf"
    cmp = anon.post(f"/api/v1/verify/{token}", {"file": f}).json()
    assert not cmp["matches"] and not cmp["valid"]
    assert anon.get("/api/v1/verify/nope").status_code == 404
    assert anon.get(f"/api/v1/drafts/{did}").status_code == 401
