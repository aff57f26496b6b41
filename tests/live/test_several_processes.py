"""Two web servers, two task workers (each also ticking every second) and two more ``saraban tick`` runs at
once, on one PostgreSQL database, against a burst: every register number is given once and without gaps,
every task is run once, every SBX outbox message is delivered and received once, every receipt stamp is
drawn once — and a worker killed mid-burst loses nothing."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.fixtures import make_pdf
from tests.live.cluster import Cluster, drop_database, new_database, wait_drained

pytestmark = [pytest.mark.live, pytest.mark.backend("postgresql")]  # several machines share PostgreSQL

BURST_IN, BURST_OUT = 40, 12


@pytest.fixture
def cluster(tmp_path: Path):
    base = os.environ["DATABASE_URL"]
    name = f"saraban_multi_{secrets.token_hex(3)}"
    c = Cluster.create(tmp_path / "home", new_database(base, name),
                       extra_env={"SARABAN_TICK_SECONDS": "1", "SARABAN_WORKER_LOST_SECONDS": "6"})
    for n in ("web1", "web2"):
        c.add_web(n)
    for n in ("worker1", "worker2"):
        c.add_worker(n)
    try:
        c.start_all()
        yield c
    finally:
        c.stop_all()
        drop_database(base, name)


def post(urls: list[str], path: str, token: str, key: str, **kw: object) -> httpx.Response:
    """A client of an idempotent API: a dropped connection or a 502 is retried with the same key, on the other
    web server (a load balancer does the same)."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    for attempt in range(6):
        url = urls[attempt % len(urls)]
        try:
            with httpx.Client(timeout=120) as client:
                r = client.post(f"{url}/api/v1{path}", headers=headers, **kw)  # type: ignore[arg-type]
            if r.status_code < 500:
                return r
        except httpx.TransportError:
            pass
        time.sleep(0.2 * attempt)
    raise AssertionError(f"{path}: no answer after 6 tries")


def incoming(urls: list[str], token: str, i: int, pdf: bytes) -> int:
    meta = {"their_ref": f"สลค 0105/{i}", "their_date": "2026-01-05", "sender": f"หน่วยงานทดสอบ {i}",
            "addressee": "ปลัดกระทรวง", "subject": f"หนังสือพร้อมกันหลายกระบวนการ {i}", "urgency": "normal"}
    r = post(urls, "/letters/incoming", token, f"in-{i}", files={"file": ("l.pdf", pdf, "application/pdf")},
             data={"metadata": json.dumps(meta, ensure_ascii=False)})
    assert r.status_code == 201, r.text
    return r.json()["registration"]["number"]


def outgoing_and_send(urls: list[str], token: str, i: int, pdf: bytes) -> str:
    meta = {"addressee": "อธิบดีกรมอุตุนิยมวิทยา", "subject": f"ขอข้อมูลปริมาณน้ำฝน {i}", "urgency": "urgent"}
    r = post(urls, "/letters/outgoing", token, f"out-{i}", files={"file": ("o.pdf", pdf, "application/pdf")},
             data={"metadata": json.dumps(meta, ensure_ascii=False)})
    assert r.status_code == 201, r.text
    d = post(urls, f"/letters/{r.json()['id']}/dispatch", token, f"send-{i}", json={"recipients": ["tmd"]})
    assert d.status_code == 201, d.text
    return r.json()["id"]


def test_two_web_two_workers_two_tickers_do_everything_once(cluster: Cluster) -> None:
    token = cluster.token("registrar")
    urls = [cluster.url("web1"), cluster.url("web2")]
    pdf = make_pdf()
    ticks = [subprocess.Popen([sys.executable, "-m", "saraban.cli", "tick"], env=cluster.env,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]

    def burst(fn: Callable[..., object], items: range) -> list:
        with ThreadPoolExecutor(16) as pool:
            return list(pool.map(lambda i: fn(urls[i % 2:] + urls[:i % 2], token, i, pdf), items))

    with ThreadPoolExecutor(1) as killer:
        numbers = burst(incoming, range(BURST_IN // 2))
        kill = killer.submit(lambda: (time.sleep(0.5), cluster.kill("web1"), cluster.kill("worker1")))
        numbers += burst(incoming, range(BURST_IN // 2, BURST_IN))
        sent = burst(outgoing_and_send, range(BURST_OUT))
        kill.result()
    cluster.start("web1")  # systemd would restart them; the other web server and worker carried on meanwhile
    cluster.start("worker1")
    for t in ticks:
        out, _ = t.communicate(timeout=120)
        assert t.returncode == 0 and "ops.requeue_lost" in out, out
    assert sorted(numbers) == list(range(1, BURST_IN + 1))  # gapless, none twice, across two web servers
    assert len(set(sent)) == BURST_OUT
    found = wait_drained(cluster, timeout=240)
    print("invariants:", found)
    assert found["number_problems"] == [] and found["entries"] == BURST_IN + BURST_OUT, found
    assert set(found["tasks"]) == {"SUCCESSFUL"}, found  # every task done, none failed, none stuck
    assert found["extra_claims"] == found["requeued"], found  # run again only when its worker was lost
    assert found["outbox"] == {"delivered": BURST_OUT}, found  # every message sent, once
    assert found["inbound_dupes"] == found["intake_dupes"] == found["stamp_dupes"] == 0, found
    received = cluster.query("SELECT count(*) FROM intake_intakeitem WHERE channel = 'sbx'")[0][0]
    assert received == BURST_OUT
    beats = cluster.query("SELECT count(*) FROM ops_workerbeat WHERE NOT stopped")[0][0]
    assert beats >= 2  # the restarted worker beats under its new id
