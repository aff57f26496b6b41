"""/api/v1/records: file plan, filing (with coded refusals), the destruction list's steps with Idempotency-Key,
and the 20-year handover package, validated by the bagit library."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import bagit
import pytest

from saraban.audit.models import AuditEvent
from saraban.records.models import DestructionList, Filing
from tests.fixtures import user
from tests.records.helpers import at, letter, plan

pytestmark = pytest.mark.django_db


def test_records_api(org, api_for, tmp_path: Path) -> None:
    reg, head = api_for("registrar"), api_for("permsec")
    with at(2024, 1, 3):
        r = reg.post_json("/records/file-plan", {"codes": [
            {"code": "01", "title_th": "งานบริหารทั่วไป"},
            {"code": "01.01", "parent": "01", "title_th": "การลา", "retention": "1y", "basis": "ข้อ 57 เรื่องประจำ"},
            {"code": "02", "title_th": "นโยบาย", "retention": "permanent"}]}, key="plan-1")
        assert r.status_code == 200 and r.json() == {"created": 3, "updated": 0}
        r = reg.post_json("/records/file-plan", {"codes": [{"code": "09", "title_th": "x", "retention": "1y"}]})
        assert r.status_code == 422 and r.json()["code"] == "retention_shortened"  # under 10 years, no basis
        tree = reg.get("/records/file-plan").json()
        assert [(c["code"], c["depth"]) for c in tree] == [("01", 0), ("01.01", 1), ("02", 0)]
    plan("onde")
    lt = letter(dt.date(2023, 5, 2), "ขอลาพักผ่อน ผ่าน API")
    old = letter(dt.date(2005, 3, 1), "แผนแม่บทปี 2548")
    with at(2024, 1, 5):
        before = AuditEvent.objects.count()
        r = reg.post_json(f"/records/letters/{lt.pk}/filing", {"file_code": "01.01", "retention": "1y",
                                                              "completed_on": "2023-05-10"})
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["keep_until_be"] == 2567 and body["stamp"] == "เก็บถึง พ.ศ. 2567"
        assert AuditEvent.objects.count() == before + 1
        r = reg.post_json(f"/records/letters/{old.pk}/filing", {"file_code": "02", "completed_on": "2005-03-10"})
        assert r.json()["stamp"] == "ห้ามทำลาย"
    with at(2025, 1, 10):
        r = reg.post_json("/records/destruction-lists", {"year_be": 2567}, key="list-2567")
        assert r.status_code == 201
        again = reg.post_json("/records/destruction-lists", {"year_be": 2567}, key="list-2567")
        assert again.json() == r.json() and DestructionList.objects.count() == 1  # replayed, not made twice
        lid = r.json()["id"]
        assert [i["subject"] for i in r.json()["items"]] == ["ขอลาพักผ่อน ผ่าน API"]
        ids = {u: str(user(u).person.pk) for u in ("director", "registrar", "finance-registrar")}
        r = head.post_json(f"/records/destruction-lists/{lid}/committee",
                           {"chair": ids["director"], "members": [ids["registrar"]]})
        assert r.status_code == 422 and r.json()["code"] == "committee_too_small"
        r = head.post_json(f"/records/destruction-lists/{lid}/committee",
                           {"chair": ids["director"], "members": [ids["registrar"], ids["finance-registrar"]]})
        assert r.json()["state"] == "committee"
        item = r.json()["items"][0]["id"]
        assert api_for("director").post_json(f"/records/destruction-lists/{lid}/decisions", {
            "decisions": [{"item": item, "decision": "destroy"}]}).status_code == 200
        for name in ("director", "registrar", "finance-registrar"):
            assert api_for(name).post_json(f"/records/destruction-lists/{lid}/signatures", {}).status_code == 200
        assert head.post_json(f"/records/destruction-lists/{lid}/approval", {}).json()["state"] == "approved"
    with at(2025, 4, 1):
        r = reg.post_json(f"/records/destruction-lists/{lid}/sent", {"sent_on": "2025-04-01", "ref": "ดศ 0201/9"})
        assert r.json()["consent_on"] == "2025-05-31"
    with at(2025, 5, 30):
        r = reg.post_json(f"/records/destruction-lists/{lid}/destruction", {})
        assert r.status_code == 409 and r.json()["code"] == "no_consent_yet"
    with at(2025, 5, 31):
        r = reg.post_json(f"/records/destruction-lists/{lid}/destruction", {})
        assert r.status_code == 200 and r.json()["state"] == "destroyed"
    assert Filing.objects.get(letter=lt).state == "destroyed"

    with at(2025, 6, 1):
        h = reg.get("/records/handover/2568").json()
        assert [x["subject"] for x in h["deliver"]] == ["แผนแม่บทปี 2548"] and h["keep"] == []
        z = reg.client.post("/api/v1/records/handover/2568/package", **reg.headers)
    assert z.status_code == 200 and z["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(z.content)).extractall(tmp_path)
    bag = bagit.Bag(str(tmp_path / "mdes-ops-handover-2568"))
    bag.validate()
    assert bag.is_valid()
