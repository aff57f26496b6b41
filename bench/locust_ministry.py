"""A ministry's working day for Locust (run by ``bench/bench_load.py``, which prepares the plan).

Eight agencies.  Registrars register incoming letters (a real PDF upload each, Thai metadata) and route each
one at once to a division head, and search (``GET /api/v1/search``, some narrowed to the received book of the
year and urgent letters); division heads and officers work their inbox (read the letter,
open it, report done).  Each task acts as a person drawn from the plan (2,000 people by default), so the
simulated users are fewer than the people but act for all of them.  Every mutating call carries an
``Idempotency-Key``; a dropped connection or a 5xx is retried with the same key on the other web server, as a
load balancer would (counted under "(retried) …", not as an error; an error is a call that still failed
after six tries, or any 4xx).

Environment: ``BENCH_PLAN`` (JSON from bench_load.py), ``BENCH_HOSTS`` (comma separated web servers),
``BENCH_LETTERS`` (stop after this many registrations), ``BENCH_RESULTS`` (JSON written at the end).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_PLAN"]).read_text()) if os.environ.get("BENCH_PLAN") else {}
HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8000").split(",")
TARGET = int(os.environ.get("BENCH_LETTERS", "1000"))
PDF = Path(PLAN["pdf"]).read_bytes() if PLAN else b""
WORDS = ["งบประมาณ", "ประชุม", "รายงาน", "ขออนุมัติ", "ฝนตกหนัก", "ความมั่นคงปลอดภัยไซเบอร์", "บุคลากร", "จัดซื้อ"]

lock = threading.Lock()
state: dict[str, Any] = {"started": 0, "registered": {}, "routed": 0, "done": 0, "retries": 0, "failed": 0,
                         "retry_reasons": {}}
seq = itertools.count(1)
REGISTRARS: list[dict[str, Any]] = PLAN.get("registrars", [])
HEADS = [p for p in PLAN.get("staff", []) if p.get("head")]
OFFICERS = [p for p in PLAN.get("staff", []) if not p.get("head")]
with_letters: set[str] = set()  # agencies whose register has a book this year (search only those)


class Client(HttpUser):
    abstract = True
    host = HOSTS[0]
    wait_time = between(0.2, 1.0)
    who: dict[str, Any]

    def call(self, method: str, path: str, name: str, key: str | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.who['token']}", **({"Idempotency-Key": key} if key else {})}
        first = random.randrange(len(HOSTS))
        for attempt in range(6):
            url = HOSTS[(first + attempt) % len(HOSTS)] + "/api/v1" + path
            last = attempt == 5
            with self.client.request(method, url, headers=headers, name=name if attempt == 0 or last else
                                     f"(retried) {name}", catch_response=True, **kw) as r:
                if r.status_code and r.status_code < 500:
                    if r.status_code >= 400:
                        r.failure(f"{r.status_code} {r.text[:200]}")
                        return None
                    r.success()
                    return r.json() if r.content else {}
                if last:
                    r.failure(f"no answer after 6 tries: {r.status_code} {str(r.error)[:200]}")
                    with lock:
                        state["failed"] += 1
                    return None
                r.success()  # retried below: counted under "(retried) …"
                reason = str(r.status_code) if r.status_code else type(r.error).__name__
                with lock:
                    state["retries"] += 1
                    state["retry_reasons"][reason] = state["retry_reasons"].get(reason, 0) + 1
            gevent.sleep(0.2 * (attempt + 1))
        return None


class Registrar(Client):
    weight = 1

    @task(6)
    def register_and_route(self) -> None:
        self.who = random.choice(REGISTRARS)
        with lock:
            if state["started"] >= TARGET:
                return
            state["started"] += 1
        i = next(seq)
        word = random.choice(WORDS)
        meta = {"their_ref": f"ทดสอบ {self.who['agency']}/{i}", "their_date": "2026-01-05",
                "sender": f"หน่วยงานภายนอก {i % 97}", "addressee": self.who["addressee"],
                "subject": f"เรื่อง{word} ฉบับที่ {i}", "urgency": random.choice(["normal"] * 6 + ["urgent"])}
        key = f"reg-{PLAN['run']}-{i}"
        body = self.call("POST", "/letters/incoming", "POST /letters/incoming", key=key,
                         files={"file": ("l.pdf", PDF + f"\n%bench {i}\n".encode(), "application/pdf")},
                         data={"metadata": json.dumps(meta, ensure_ascii=False)})
        if body is None:
            return
        with lock:
            state["registered"][key] = [body["id"], body["registration"]["number"], body["registration"]["unit"]]
            with_letters.add(self.who["agency"])
        head = random.choice(self.who["heads"])
        routed = self.call("POST", f"/routing/letters/{body['id']}/distribute", "POST /routing/…/distribute",
                           key=f"route-{key}", json={"targets": [{"position": head}], "instruction": "พิจารณา"})
        if routed is not None:
            with lock:
                state["routed"] += 1

    @task(3)
    def search(self) -> None:
        choices = [r for r in REGISTRARS if r["agency"] in with_letters]
        if not choices:
            return
        self.who = random.choice(choices)
        params: dict[str, Any] = {"q": random.choice(WORDS)}
        if random.random() < 0.3:  # narrowed, as the advanced form does
            params |= {"book": "received", "year": PLAN["year"], "urgency": "urgent"}
        self.call("GET", "/search", "GET /search", params=params)


class Staff(Client):
    weight = 3

    @task(4)
    def work_inbox(self) -> None:
        self.who = random.choice(HEADS)
        self.work()

    @task(1)
    def officer_inbox(self) -> None:
        self.who = random.choice(OFFICERS or HEADS)
        self.work()

    def work(self) -> None:
        work = self.call("GET", "/routing/inbox", "GET /routing/inbox")
        if not work:
            return
        step = random.choice(work[:5])
        lid = step["letter_id"]
        self.call("GET", f"/letters/{lid}", "GET /letters/{id}")
        self.call("POST", f"/routing/letters/{lid}/open", "POST /routing/…/open", key=f"open-{lid}-{self.who['u']}")
        if step["status"] in ("sent", "opened", "acknowledged"):
            done = self.call("POST", f"/routing/letters/{lid}/steps/{step['id']}/done", "POST /routing/…/done",
                             key=f"done-{step['id']}", json={"note": "ดำเนินการแล้ว"})
            if done is not None:
                with lock:
                    state["done"] += 1


@events.test_start.add_listener
def _watch(environment: Any, **_: Any) -> None:
    def watch() -> None:
        while True:
            gevent.sleep(1)
            with lock:
                finished = len(state["registered"]) + state["failed"] >= TARGET or (
                    state["started"] >= TARGET and time.monotonic() - _watch.last > 60)
                if state["started"] < TARGET:
                    _watch.last = time.monotonic()
            if finished:
                gevent.sleep(5)  # the last routings and inbox work
                environment.runner.quit()
                return

    _watch.last = time.monotonic()  # type: ignore[attr-defined]
    gevent.spawn(watch)


@events.quitting.add_listener
def _write(environment: Any, **_: Any) -> None:
    if os.environ.get("BENCH_RESULTS"):
        with lock, open(os.environ["BENCH_RESULTS"], "w") as fh:
            json.dump(state, fh)
