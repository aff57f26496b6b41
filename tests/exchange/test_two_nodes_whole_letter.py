"""The whole letter between two real nodes (separate processes and databases, mutual TLS on loopback), all over
the API: a letter drafted with two enclosures is signed and sent; the receiver registers it, the three files
arrive with identical hashes and the sender sees the receiver's number.  The receiver's reply links to the
letter both ways on both nodes, and its forward delivers the original signed PDF byte for byte."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from saraban.demo.signing import KEY_PASSWORD
from tests.exchange import twonodes as tn
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.live, pytest.mark.backend("postgresql")]

SUBJECT = "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝนรายเดือน (สองระบบ พร้อมสิ่งที่ส่งมาด้วย)"


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("xl/workbook.xml", (2026, 1, 1, 0, 0, 0)), "<workbook/>")
    return out.getvalue()


ENCLOSURES = [(make_pdf("กำหนดการประชุม", variant=11), "กำหนดการ.pdf", "กำหนดการประชุม จำนวน 1 ฉบับ"),
              (_xlsx(), "แบบสำรวจ.xlsx", "")]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[tn.SbxNode, tn.SbxNode, Path]]:
    from saraban.demo import federation
    from saraban.orgs import directory as org_directory

    tmp = tmp_path_factory.mktemp("two-nodes-whole")
    fed = tmp / "federation"
    a, b = tn.start_pair(tmp, fed, federation.agencies_from_org(org_directory.DEMO_FILE), a_worker=True)
    try:
        a.web.saraban("demo", "signing")
        b.web.saraban("demo", "signing")
        yield a, b, fed
    finally:
        tn.stop_pair(a, b)


def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


def sign_through(node: tn.SbxNode, drafter: str, draft_id: str, reviewers: list[str], signer: str) -> dict:
    with node.api(drafter) as c:
        ok(c.put(f"/drafts/{draft_id}/people", json={"reviewers": reviewers, "signers": [{"person": signer}]}))
        ok(c.post(f"/drafts/{draft_id}/submit", json={}))
    for who in [*reviewers, signer]:
        with node.api(who) as c:
            ok(c.post(f"/drafts/{draft_id}/review", json={"decision": "approve"}))
    with node.api(signer) as c:
        return ok(c.post(f"/drafts/{draft_id}/sign", json={"pins": {signer: KEY_PASSWORD}}), 201)


def parts(node: tn.SbxNode, username: str, letter_id: str) -> list[dict]:
    with node.api(username) as c:
        files = ok(c.get(f"/letters/{letter_id}"))["files"]
    return [f for f in files if f["role"] in ("letter", "enclosure")]


def register_arrival(node: tn.SbxNode, username: str, subject: str) -> dict:
    [item] = tn.wait_for(lambda: [i for i in tn.intake_items(node, subject, username)], 90, what="arrival")
    with node.api(username) as c:
        reg = ok(c.post(f"/intake/{item['id']}/register", json={}), 201)
    return {"item": item, "registered": reg}


def test_whole_letter_reply_and_forward(pair) -> None:
    a, b, _fed = pair
    with a.api("officer") as c:
        draft = ok(c.post("/drafts", json={"kind": "external", "fields": {
            "subject": SUBJECT, "to_title": "อธิบดีกรมอุตุนิยมวิทยา", "to_class": "general",
            "body": "ด้วยสำนักงานปลัดกระทรวงขอรับข้อมูลปริมาณน้ำฝน\n\nจึงเรียนมาเพื่อโปรดพิจารณา"}}), 201)
        for data, name, title in ENCLOSURES:
            ok(c.post(f"/drafts/{draft['id']}/enclosures", files={"file": (name, data)}, data={"title": title}), 201)
        lines = ok(c.get(f"/drafts/{draft['id']}"))["content"]["enclosures"]
    assert lines == ["กำหนดการประชุม จำนวน 1 ฉบับ", "แบบสำรวจ"]
    signed = sign_through(a, "officer", draft["id"], ["ict-director"], "permsec")
    letter_id = signed["letter_id"]
    sent = parts(a, "officer", letter_id)
    assert [f["role"] for f in sent] == ["letter", "enclosure", "enclosure"]
    assert [f["sha256"] for f in sent[1:]] == [hashlib.sha256(d).hexdigest() for d, _, _ in ENCLOSURES]
    with a.api("officer") as c:
        assert ok(c.get(f"/letters/{letter_id}"))["dispatch_state"] == "awaiting"
        ok(c.post(f"/letters/{letter_id}/dispatch", json={"recipients": ["tmd"], "channel": "sbx"}), 201)

    # B: one item, the same three files; registering it sends B's number back to A
    arrived = register_arrival(b, "tmd-registrar", SUBJECT)
    item = arrived["item"]
    assert [(f["role"], f["sha256"]) for f in item["files"]] == [(f["role"], f["sha256"]) for f in sent]
    assert [f["title"] for f in item["files"][1:]] == ["กำหนดการประชุม จำนวน 1 ฉบับ", "แบบสำรวจ"]
    b_letter = arrived["registered"]["id"]
    assert [f["sha256"] for f in parts(b, "tmd-registrar", b_letter)] == [f["sha256"] for f in sent]

    def registered_number() -> Any:
        with a.api("officer") as c:
            rows = ok(c.get(f"/letters/{letter_id}/dispatch"))
        return rows[0] if rows and rows[0]["status"] == "registered" else None

    row = tn.wait_for(registered_number, 90, 0.3, "B's number back at A")
    assert row["registration_display"] == arrived["registered"]["registration"]["display"]

    # B answers: the reply links to B's copy both ways, and back at A to A's original
    with b.api("tmd-registrar") as c:
        reply_draft = ok(c.post(f"/letters/{b_letter}/reply", json={}), 201)
    assert reply_draft["subject"] == SUBJECT and reply_draft["content"]["references"]
    reply = sign_through(b, "tmd-registrar", reply_draft["id"], [], "tmd-director")
    with b.api("tmd-registrar") as c:
        assert ok(c.get(f"/letters/{reply['letter_id']}"))["reply_to"] == b_letter
        assert reply["letter_id"] in ok(c.get(f"/letters/{b_letter}"))["replies"]
        ok(c.post(f"/letters/{reply['letter_id']}/dispatch", json={"recipients": ["mdes-ops"]}), 201)
    home = register_arrival(a, "registrar", SUBJECT)
    with a.api("permsec") as c:
        assert ok(c.get(f"/letters/{home['registered']['id']}"))["reply_to"] == letter_id
        assert ok(c.get(f"/letters/{letter_id}"))["replies"] == [home["registered"]["id"]]

    # B forwards A's letter to สำนักงานสถิติแห่งชาติ (on A): the signed PDF arrives byte for byte
    with b.api("tmd-registrar") as c:
        ok(c.post(f"/letters/{b_letter}/forward", json={"recipients": ["nso"], "note": "ส่งต่อเพื่อทราบ"}), 201)
    forwarded = register_arrival(a, "nso-registrar", SUBJECT)
    got = forwarded["item"]["files"]
    assert got[0]["role"] == "letter" and got[0]["sha256"] == sent[0]["sha256"]
    with a.api("nso-registrar") as c:
        main = c.get(got[0]["url"].removeprefix("/api/v1"))
        signed_pdf = c.get(f"/letters/{forwarded['registered']['id']}")
    assert hashlib.sha256(main.content).hexdigest() == sent[0]["sha256"] and signed_pdf.status_code == 200
    assert [f["sha256"] for f in got[2:]] == [f["sha256"] for f in sent[1:]]  # after the covering memo
