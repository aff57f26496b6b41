"""Signing on a real node (gunicorn, several processes and threads): many approved drafts of one unit
signed at once, some with a wrong PIN.  The numbers given are exactly 1…n with no gap or repeat, each
printed on its own signed letter; the failed signings took none; signing them again continues the
series."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from saraban.demo.signing import KEY_PASSWORD
from tests.live.conftest import Node, running_node

from ..letterpress.pdftools import pdftotext, squash

pytestmark = pytest.mark.live

N = 8


@pytest.fixture
def live_node(tmp_path: Path) -> Iterator[Node]:
    with running_node(tmp_path, workers=3) as n:
        yield n


def test_concurrent_signing_gives_gapless_numbers(live_node: Node) -> None:
    live_node.saraban("demo", "signing")
    url = f"{live_node.url}/api/v1"
    officer = {"Authorization": f"Bearer {live_node.token('officer')}"}
    permsec = {"Authorization": f"Bearer {live_node.token('permsec')}"}
    drafts = []
    with httpx.Client(timeout=60) as c:
        for i in range(N):
            d = c.post(f"{url}/drafts", headers=officer, json={"kind": "memo", "fields": {
                "subject": f"บันทึกทดสอบการออกเลขพร้อมกัน ฉบับที่ {i + 1}", "to_title": "ปลัดกระทรวง",
                "body": "จึงเรียนมาเพื่อโปรดทราบ"}})
            assert d.status_code == 201, d.text
            did = d.json()["id"]
            assert c.put(f"{url}/drafts/{did}/people", headers=officer,
                         json={"signers": [{"person": "permsec"}]}).status_code == 200
            assert c.post(f"{url}/drafts/{did}/submit", headers=officer).status_code == 200
            r = c.post(f"{url}/drafts/{did}/review", headers=permsec, json={"decision": "approve"})
            assert r.status_code == 200, r.text
            drafts.append(did)

    def sign(args: tuple[int, str]) -> httpx.Response:
        i, did = args
        pin = KEY_PASSWORD if i % 3 else "wrong-pin"
        return httpx.post(f"{url}/drafts/{did}/sign", headers=permsec, json={"pins": {"permsec": pin}}, timeout=120)

    with ThreadPoolExecutor(N) as pool:
        results = list(pool.map(sign, enumerate(drafts)))
    ok = [r.json() for r in results if r.status_code == 201]
    failed = [did for (i, did), r in zip(enumerate(drafts), results, strict=True) if r.status_code != 201]
    assert all(r.json()["code"] == "pin_incorrect" for r in results if r.status_code != 201)
    assert len(ok) == N - len(range(0, N, 3))
    assert sorted(int(s["number"].rsplit("/", 1)[1]) for s in ok) == list(range(1, len(ok) + 1))

    with ThreadPoolExecutor(len(failed)) as pool:
        again = list(pool.map(lambda did: httpx.post(f"{url}/drafts/{did}/sign", headers=permsec,
                                                     json={"pins": {"permsec": KEY_PASSWORD}}, timeout=120), failed))
    assert all(r.status_code == 201 for r in again), [r.text for r in again]
    signed = ok + [r.json() for r in again]
    assert sorted(int(s["number"].rsplit("/", 1)[1]) for s in signed) == list(range(1, N + 1))
    year = httpx.get(f"{url}/letters/{signed[0]['letter_id']}", headers=permsec).json()["registrations"][0]["year"]
    reg = httpx.get(f"{url}/registers/sent/{year}", params={"unit": "ops-ict"}, headers=permsec).json()
    assert [e["number"] for e in reg["entries"]] == list(range(1, N + 1)) and reg["last_number"] == N
    for s in signed:  # each letter carries its own number
        pdf = httpx.get(f"{live_node.url}{s['file_url']}", headers=permsec).content
        assert squash(f"ที่{s['number']}") in squash(pdftotext(pdf)), s["number"]
