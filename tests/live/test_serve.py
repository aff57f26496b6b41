"""`saraban serve` is one warmed master that forks its web workers and its task worker: a killed task worker or
web worker is replaced and work goes on, /metrics and /readyz answer, and SIGTERM leaves no process behind."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures import make_pdf
from tests.live.conftest import start_node, stop_node

pytestmark = [pytest.mark.live, pytest.mark.backend("sqlite")]  # process supervision: the same on either


def pids(log: Path, what: str) -> list[int]:
    pattern = {"task": r"Started task-worker with pid: (\d+)", "web": r"Booting worker with pid: (\d+)"}[what]
    return [int(p) for p in re.findall(pattern, log.read_text())]


def wait_for(fn: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def group_alive(pgid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(d.name))
    return out


def _post(url: str, headers: dict, meta: dict) -> httpx.Response | None:
    try:
        return httpx.post(f"{url}/api/v1/letters/incoming", headers=headers, timeout=60,
                          files={"file": ("l.pdf", make_pdf(), "application/pdf")},
                          data={"metadata": json.dumps(meta, ensure_ascii=False)})
    except httpx.TransportError:
        return None


def test_master_replaces_killed_workers_and_stops_cleanly(tmp_path: Path) -> None:
    node = start_node(tmp_path, workers=1, extra_env={"SARABAN_TICK_SECONDS": "0"})
    log = node.home / "server.log"
    try:
        token = node.token("registrar")
        [task_pid] = wait_for(lambda: pids(log, "task"))
        [web_pid] = pids(log, "web")
        os.kill(task_pid, signal.SIGKILL)
        os.kill(web_pid, signal.SIGKILL)
        new_task = wait_for(lambda: [p for p in pids(log, "task") if p != task_pid])
        wait_for(lambda: [p for p in pids(log, "web") if p != web_pid])
        assert os.getpgid(new_task[0]) == node.proc.pid  # forked by the same master
        meta = {"their_ref": "สลค 0105/1", "their_date": "2026-01-05", "sender": "สำนักเลขาธิการคณะรัฐมนตรี",
                "addressee": "ปลัดกระทรวง", "subject": "ทดสอบกระบวนการทำงานใหม่"}
        headers = {"Authorization": f"Bearer {token}"}
        r = wait_for(lambda: _post(node.url, headers, meta))
        assert r.status_code == 201, r.text

        def stamped() -> bool:
            got = httpx.get(f"{node.url}/api/v1/letters/{r.json()['id']}", headers=headers, timeout=30).json()
            return any(f["role"] == "presentation" for f in got["files"])

        wait_for(stamped, 120)  # the new task worker drew the receipt stamp
        metrics = httpx.get(f"{node.url}/metrics", timeout=30)
        assert metrics.status_code == 200 and "letters/incoming" in metrics.text
        assert httpx.get(f"{node.url}/readyz", timeout=30).json()["status"] == "ready"
        os.killpg(node.proc.pid, signal.SIGTERM)  # a clean stop: the master stops every child it forked
        node.proc.wait(60)
        wait_for(lambda: not group_alive(node.proc.pid), 30)
    finally:
        stop_node(node)
