"""`saraban demo --federated --port P`: two nodes in $SARABAN_HOME/a and /b, a letter crosses between them."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests import procs
from tests.exchange.twonodes import wait_for
from tests.fixtures import make_pdf
from tests.live.conftest import free_port, node_env

pytestmark = [pytest.mark.live, pytest.mark.backend("sqlite")]


def _node(env: dict[str, str], home: Path) -> dict[str, str]:
    """A node's environment: its data directory, and its own database (``<db>_a``) on PostgreSQL."""
    out = {**env, "SARABAN_HOME": str(home)}
    if "DATABASE_URL" in env:
        out["DATABASE_URL"] = f"{env['DATABASE_URL']}_{home.name}"
    return out


def _token(env: dict[str, str], home: Path, username: str) -> str:
    out = subprocess.run([sys.executable, "-m", "saraban.cli", "token", "create", username],
                         env=_node(env, home), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_demo_federated_letter_crosses(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    home.mkdir()
    env = node_env(home)
    port = free_port()
    while any(_busy(p) for p in (port + 1, port + 2, port + 3)):
        port = free_port()
    proc = procs.spawn([sys.executable, "-m", "saraban.cli", "demo", "--federated", "--port", str(port),
                        "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def up() -> bool:
            try:
                return all(httpx.get(f"http://127.0.0.1:{p}/api/v1/openapi.json", timeout=2).status_code == 200
                           for p in (port, port + 1))
            except httpx.HTTPError:
                return False

        wait_for(up, 240, 0.5, "both demo nodes")
        assert (home / "a" / "exchange" / "node.toml").is_file() and (home / "b" / "exchange" / "node.toml").is_file()
        a = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=60,
                         headers={"Authorization": f"Bearer {_token(env, home / 'a', 'registrar')}"})
        b = httpx.Client(base_url=f"http://127.0.0.1:{port + 1}/api/v1", timeout=60,
                         headers={"Authorization": f"Bearer {_token(env, home / 'b', 'tmd-registrar')}"})
        names = {p["code"]: p["name"] for p in a.get("/directory").json()}
        assert names["tmd"] == "กรมอุตุนิยมวิทยา" and names["mdes-ops"].startswith("สำนักงานปลัด")
        meta = {"addressee": "อธิบดีกรมอุตุนิยมวิทยา", "subject": "หนังสือทดลองข้ามระบบ"}
        r = a.post("/letters/outgoing", data={"metadata": json.dumps(meta, ensure_ascii=False)},
                   files={"file": ("l.pdf", io.BytesIO(make_pdf("ข้ามระบบ")), "application/pdf")})
        assert r.status_code == 201, r.text
        letter = r.json()
        sent = a.post(f"/letters/{letter['id']}/dispatch", json={"recipients": ["tmd"], "channel": "sbx"})
        assert sent.status_code == 201, sent.text
        wait_for(lambda: a.get(f"/letters/{letter['id']}/dispatch").json()[0]["status"] == "delivered", 60)
        [item] = wait_for(lambda: [i for i in b.get("/intake").json() if i["subject"] == meta["subject"]], 60)
        reg = b.post(f"/intake/{item['id']}/register", json={}).json()
        row = wait_for(lambda: (x := a.get(f"/letters/{letter['id']}/dispatch").json()[0])["status"] == "registered"
                       and x, 60)
        assert row["registration_display"] == reg["registration"]["display"]
        # node B hosts only กรมอุตุนิยมวิทยา's people
        assert b.get("/me").json()["unit"] == "tmd-admin"
        assert _token(env, home / "b", "tmd-director")
        out = subprocess.run([sys.executable, "-m", "saraban.cli", "token", "create", "registrar"],
                             env=_node(env, home / "b"), capture_output=True, text=True)
        assert out.returncode != 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # a clean stop: the demo stops both nodes' processes
        try:
            out, _ = proc.communicate(timeout=60)
        finally:
            procs.kill_group(proc)  # and whatever of the group is left
    assert "node A" in out and "node B" in out and "tmd-registrar" in out


def _busy(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    time.sleep(0)
    return False
