"""50 parallel clients register into one book through a real server: they get the next 50 numbers exactly,
and the failures mixed in among them consume no number (on SQLite, and on PostgreSQL in the second pass).
The tests share one node (a server's start is the slow part) and read where the book stands first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures import make_pdf

from .conftest import Node, running_node

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    with running_node(tmp_path_factory.mktemp("concurrency")) as n:
        yield n


def register(url: str, token: str, i: int, pdf: bytes, meta_over: dict | None = None) -> httpx.Response:
    meta = {"their_ref": f"สลค 0105/{i}", "their_date": "2026-01-05", "sender": f"หน่วยงาน {i}",
            "addressee": "ปลัดกระทรวง", "subject": f"หนังสือทดสอบพร้อมกัน {i}", "urgency": "normal"}
    meta.update(meta_over or {})
    with httpx.Client(timeout=120) as c:
        return c.post(f"{url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                      files={"file": ("l.pdf", pdf, "application/pdf")},
                      data={"metadata": json.dumps(meta, ensure_ascii=False)})


def test_fifty_parallel_registrations_are_gapless(node: Node) -> None:
    token = node.token("registrar")
    pdf = make_pdf()
    jobs = [(i, pdf, None) for i in range(50)]
    bad = [(1000, b"%PDF-1.4 broken", None), (1001, pdf, {"urgency": "nope"}),
           (1002, pdf, {"their_date": "2099-01-01"}), (1003, b"not a pdf", None)]
    for k, job in enumerate(bad):
        jobs.insert(10 + k * 10, job)
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda j: register(node.url, token, *j), jobs))
    good = [r for r in results if r.status_code == 201]
    failed = [r for r in results if r.status_code != 201]
    assert len(good) == 50, ([r.text for r in failed], node.errors())
    assert len(failed) == 4 and all(400 <= r.status_code < 500 for r in failed)
    numbers = sorted(r.json()["registration"]["number"] for r in good)
    assert numbers == list(range(numbers[0], numbers[0] + 50))  # the next 50, none skipped, none twice
    with httpx.Client() as c:
        reg = c.get(f"{node.url}/api/v1/registers/received/{good[0].json()['registration']['year']}",
                    headers={"Authorization": f"Bearer {token}"}).json()
    assert [e["number"] for e in reg["entries"]] == list(range(1, numbers[-1] + 1))  # the whole book gapless
    assert reg["last_number"] == numbers[-1]
    # the next one continues the book
    assert register(node.url, token, 51, pdf).json()["registration"]["number"] == numbers[-1] + 1
    assert "OK" in node.saraban("audit", "verify")


def test_concurrent_retries_with_one_idempotency_key_register_once(node: Node) -> None:
    token = node.token("registrar")
    pdf = make_pdf()

    def call(_: int) -> httpx.Response:
        meta = {"their_ref": "ดศ 0501/77", "their_date": "2026-01-05", "sender": "กรมอุตุนิยมวิทยา",
                "addressee": "ปลัดกระทรวง", "subject": "พายุ"}
        with httpx.Client(timeout=60) as c:
            return c.post(f"{node.url}/api/v1/letters/incoming",
                          headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "same-key"},
                          files={"file": ("l.pdf", pdf, "application/pdf")},
                          data={"metadata": json.dumps(meta, ensure_ascii=False)})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, range(8)))
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["registration"]["id"] for r in results}) == 1
    once = results[0].json()["registration"]["number"]
    assert register(node.url, token, 2002, pdf).json()["registration"]["number"] == once + 1  # one number taken
