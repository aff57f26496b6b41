"""The API contract, the pages, and what people may do (in-process, one node hosting every agency)."""

from __future__ import annotations

from django.test import Client

from saraban.exchange import actions
from saraban.exchange.models import Dispatch, OutboxMessage
from saraban.letters.models import Letter
from tests.exchange.conftest import pump
from tests.exchange.helpers import issue
from tests.fixtures import user


def _browser(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def test_api_directory_dispatch_and_status(sbx, clock, api_for) -> None:
    api = api_for("registrar")
    r = api.get("/directory")
    assert r.status_code == 200
    tmd = next(p for p in r.json() if p["code"] == "tmd")
    assert tmd["name"] == "กรมอุตุนิยมวิทยา" and tmd["linked"] is True and tmd["org"] == "th-org:1100500000"

    entry = issue()
    r = api.post_json(f"/letters/{entry.letter_id}/dispatch", {"recipients": ["tmd", "nso"], "channel": "sbx"},
                      key="k-1")
    assert r.status_code == 201, r.content
    assert {x["recipient"]: x["status"] for x in r.json()} == {"tmd": "queued", "nso": "queued"}
    again = api.post_json(f"/letters/{entry.letter_id}/dispatch", {"recipients": ["tmd", "nso"], "channel": "sbx"},
                          key="k-1")
    assert again.status_code == 201 and Dispatch.objects.count() == 2  # idempotent

    pump()
    rows = api.get(f"/letters/{entry.letter_id}/dispatch").json()
    assert {x["status"] for x in rows} == {"delivered"} and all(x["receipt_id"] for x in rows)
    assert all(x["registration_display"] is None for x in rows)

    r = api.post_json(f"/letters/{entry.letter_id}/dispatch", {"recipients": ["tmd"]})
    assert (r.status_code, r.json()["code"]) == (409, "already_sent")
    for bad, code in ((["nowhere"], "unknown_recipient"), (["mdes-ops"], "recipient_is_sender"),
                      ([], "invalid_input")):
        r = api.post_json(f"/letters/{entry.letter_id}/dispatch", {"recipients": bad})
        assert r.status_code == 422 and r.json()["code"] == code, r.content
        assert r.json()["message_th"] and r.json()["message_en"]
    r = api_for("tmd-registrar").get(f"/letters/{entry.letter_id}/dispatch")
    assert r.status_code == 404  # another agency's registrar does not see the letter
    r = api_for("officer").post_json(f"/letters/{entry.letter_id}/dispatch", {"recipients": ["depa"]})
    assert r.status_code in (403, 404)
    assert Dispatch.objects.count() == 2


def test_what_cannot_be_sent(sbx, clock, api_for) -> None:
    from saraban.registry import actions as registry
    from saraban.registry.validation import PlaceholderMetadata

    api = api_for("registrar")
    no_file = registry.issue_outgoing(user("registrar"), __import__(
        "saraban.registry.validation", fromlist=["OutgoingMetadata"]).OutgoingMetadata(addressee="x", subject="ไม่มีไฟล์"))
    r = api.post_json(f"/letters/{no_file.letter_id}/dispatch", {"recipients": ["tmd"]})
    assert (r.status_code, r.json()["code"]) == (422, "letter_not_sendable")
    registry.cancel_registration(user("registrar"), issue(), "ออกเลขผิด")
    cancelled = Letter.objects.filter(status="cancelled").get()
    r = api.post_json(f"/letters/{cancelled.pk}/dispatch", {"recipients": ["tmd"]})
    assert r.json()["code"] == "letter_not_sendable"
    top = registry.record_top_secret_placeholder(user("secretary"), PlaceholderMetadata(direction="outgoing",
                                                                                        addressee="x"))
    try:
        actions.dispatch(user("secretary"), top.letter, ["tmd"])
    except Exception as exc:
        assert getattr(exc, "code", "") == "top_secret_not_sendable"
    else:
        raise AssertionError("a ลับที่สุด letter was sent")
    assert not OutboxMessage.objects.exists()


def test_withdraw_dispute_invalid_and_fallback(sbx, clock) -> None:
    from saraban.exchange.models import InboundMessage
    from saraban.intake import actions as intake
    from saraban.intake.models import IntakeItem

    entry = issue()
    letter = Letter.objects.get(pk=entry.letter_id)
    [d] = actions.dispatch(user("registrar"), letter, ["tmd"])
    pump()
    reg = intake.register(user("tmd-registrar"), IntakeItem.objects.get(channel="sbx"), {})
    pump()
    d.refresh_from_db()
    actions.dispute_registration(user("registrar"), d, "เลขรับที่ถูกต้องคือ 12")
    pump()
    got = InboundMessage.objects.get(kind="letter")
    assert got.registration_disputed == "เลขรับที่ถูกต้องคือ 12"
    actions.report_invalid(user("tmd-registrar"), reg.letter, "CONTENT_ERROR", "ตัวเลขในตารางไม่ตรงกัน")
    pump()
    d.refresh_from_db()
    assert (d.status, d.reason_code) == ("invalid", "CONTENT_ERROR")
    actions.withdraw(user("registrar"), d, "ส่งฉบับแก้ไขแทน")
    pump()
    got.refresh_from_db()
    assert got.withdrawn_at is not None and got.withdrawn_reason == "ส่งฉบับแก้ไขแทน"
    kinds = sorted(InboundMessage.objects.values_list("signal", flat=True))
    assert kinds == ["", "invalid", "registered", "registration_invalid", "withdrawn"]


def test_pages(sbx, clock) -> None:
    entry = issue()
    letter = Letter.objects.get(pk=entry.letter_id)
    registrar = _browser("registrar")
    page = registrar.get(f"/letters/{letter.pk}/").content.decode()
    assert "sbx-send" in page and 'value="tmd"' in page and 'value="mdes-ops"' not in page
    r = registrar.post(f"/exchange/letters/{letter.pk}/send/", {"recipient": ["tmd"], "once": "t1"})
    assert r.status_code == 302 and Dispatch.objects.filter(letter=letter).count() == 1
    registrar.post(f"/exchange/letters/{letter.pk}/send/", {"recipient": ["tmd"], "once": "t1"})  # double submit
    assert Dispatch.objects.filter(letter=letter).count() == 1
    pump()
    page = registrar.get(f"/letters/{letter.pk}/").content.decode()
    assert 'data-recipient="tmd" data-status="delivered"' in page

    assert registrar.get("/exchange/dashboard/").status_code == 404
    assert registrar.get("/exchange/directory/").status_code == 404
    admin = _browser("admin")
    dash = admin.get("/exchange/dashboard/").content.decode()
    assert 'data-agency="mdes-ops"' in dash and 'data-agency="tmd"' in dash
    directory = admin.get("/exchange/directory/").content.decode()
    assert "th-org:1100500000" in directory and "saraban@tmd.go.th" in directory
    assert admin.post("/exchange/directory/").status_code == 302
    executive = _browser("director")
    assert executive.get("/exchange/dashboard/").status_code == 200
    assert Client().get("/.well-known/sbx").json()["spec"] == "sbx-wellknown/1.0"
    assert Client().get("/sbx/v1/schemas/envelope.json").json()["title"] == "SBX 1.0 envelope"


def test_dashboard_counts(sbx, clock) -> None:
    from saraban.exchange import queries

    letters = [Letter.objects.get(pk=issue(subject=f"เรื่อง {i}").letter_id) for i in range(3)]
    for x in letters[:2]:
        actions.dispatch(user("registrar"), x, ["tmd"])
    [failed] = actions.dispatch(user("registrar"), letters[2], ["nso"])
    actions.record_failed(OutboxMessage.objects.get(dispatch=failed), code="EXPIRED", detail="test")  # as at expiry
    pump()
    rows = {r.code: r for r in queries.dashboard()}
    ops = rows["mdes-ops"]
    assert (ops.sent_electronic, ops.failed, ops.signed_share) == (2, 1, 0.0)
    assert rows["tmd"].received_electronic == 2 and rows["nso"].received_electronic == 0
    assert ops.linked and rows["tmd"].linked
