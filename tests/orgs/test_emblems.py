"""Emblem settings: uploads checked and audited, only the agency's administrators, parents' Garuda
inherited, and no real letter issued without a Garuda (a demo agency prints the placeholder)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from saraban.audit.models import AuditEvent
from saraban.drafting.build import agency_emblem
from saraban.letterpress.emblem import validate
from saraban.orgs import emblems
from saraban.orgs.errors import EmblemMissing, NotAgencyAdmin
from saraban.orgs.models import Agency, EmblemSettings
from tests.fixtures import user

pytestmark = pytest.mark.django_db
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120" onload="alert(1)">'
       b'<script>alert(2)</script><path d="M10 10 L90 10 L50 110 Z" fill="#000"/></svg>')


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_upload_is_cleaned_audited_and_inherited(org) -> None:
    mdes, ops = Agency.objects.get(code="mdes"), Agency.objects.get(code="mdes-ops")
    row = emblems.set_emblem(user("admin"), mdes, which="garuda", image=validate(SVG, "garuda.svg"),
                             filename="garuda.svg")
    assert b"script" not in bytes(row.garuda) and b"onload" not in bytes(row.garuda)
    event = AuditEvent.objects.filter(action="orgs.set_emblem").latest("seq")
    assert event.data["which"] == "garuda" and event.data["sha256"] == row.garuda_sha256
    found = emblems.emblems_for(ops)  # the department uses its ministry's Garuda
    assert found.garuda is not None and found.source == "mdes" and found.seal == found.garuda
    emblems.set_emblem(user("admin"), ops, which="seal", image=validate(_png(), "seal.png"))
    assert emblems.emblems_for(ops).seal.media_type == "image/png"
    emblems.set_emblem_layout(user("admin"), ops, garuda_mm=32, memo_mm=16, top_mm=12)
    assert agency_emblem(ops).layout.garuda_cm == pytest.approx(3.2)


def test_bad_input_changes_nothing(org) -> None:
    ops = Agency.objects.get(code="mdes-ops")
    before = AuditEvent.objects.count()
    for data, name in ((b"GIF89a", "x.gif"), (b"<svg", "x.svg"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "x.png")):
        with pytest.raises(Exception) as err:  # refused by the check before the action is called
            validate(data, name)
        assert err.value.code == "emblem_invalid"
    with pytest.raises(Exception) as err:
        emblems.set_emblem_layout(user("admin"), ops, garuda_mm=60, memo_mm=15, top_mm=15)
    assert err.value.code == "emblem_layout_invalid"
    with pytest.raises(NotAgencyAdmin):
        emblems.set_emblem(user("registrar"), ops, which="garuda", image=validate(SVG, "g.svg"))
    assert not EmblemSettings.objects.filter(agency=ops, garuda__isnull=False).exists()
    assert AuditEvent.objects.count() == before


def test_no_real_letter_without_a_garuda(org, settings) -> None:
    settings.SARABAN_EMBLEM_PLACEHOLDER = False
    ops = Agency.objects.get(code="mdes-ops")
    assert agency_emblem(ops, issuing=True).garuda is None  # loaded as demo data: prints the placeholder
    EmblemSettings.objects.filter(agency__in=Agency.objects.all()).update(placeholder=False)
    with pytest.raises(EmblemMissing) as err:
        agency_emblem(ops, issuing=True)
    assert err.value.code == "emblem_missing" and "ตราครุฑ" in err.value.message_th and err.value.message_en
    emblems.set_emblem(user("admin"), ops, which="garuda", image=validate(SVG, "g.svg"))
    assert agency_emblem(ops, issuing=True).garuda is not None


def test_settings_page_for_administrators_only(org) -> None:
    c = Client()
    c.force_login(user("registrar"))
    assert c.get("/settings/emblems/").status_code == 404
    c.force_login(user("admin"))
    page = c.get("/settings/emblems/?agency=mdes-ops")
    assert page.status_code == 200 and "ตราครุฑ (ตัวอย่าง)" in page.content.decode()
    token = page.context["token"]
    r = c.post("/settings/emblems/mdes-ops/upload/", {"once": token, "which": "garuda",
                                                      "file": io.BytesIO(_png())}, follow=True)
    assert r.status_code == 200 and EmblemSettings.objects.get(agency__code="mdes-ops").garuda_type == "image/png"
    bad = c.post("/settings/emblems/mdes-ops/upload/", {"once": token + "x", "which": "seal",
                                                        "file": io.BytesIO(b"<html>no</html>")}, follow=True)
    assert "ไฟล์ตราไม่ถูกต้อง" in bad.content.decode()
    png = c.get("/settings/emblems/mdes-ops/sample.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
