"""`saraban demo --port P` sets up the data directory, loads the demo ministry and serves UI + API + worker."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from tests import procs
from tests.live.conftest import free_port, node_env

pytestmark = [pytest.mark.live, pytest.mark.backend("sqlite")]


def test_demo_serves_and_prints_logins(tmp_path) -> None:
    env = node_env(tmp_path)
    port = free_port()
    proc = procs.spawn([sys.executable, "-m", "saraban.cli", "demo", "--port", str(port)], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            lines.append(line)
            if "stop with Ctrl-C" in line:
                break
        out = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in out
        for login in ("admin", "registrar", "secretary", "director"):
            assert f"    {login} " in out
        assert "saraban-demo" in out
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.status_code == 200 and "ระบบสารบรรณอิเล็กทรอนิกส์" in r.text
        assert "gunicorn" in httpx.get(f"http://127.0.0.1:{port}/login/").headers.get("server", "").lower()
        # the worker puts the sample letters in the registrar's queue once the demo serves, most urgent first
        assert "4 sample letters are being put in the registrar's queue" in out
        token = subprocess.run([sys.executable, "-m", "saraban.cli", "token", "create", "registrar"], env=env,
                               capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        deadline = time.time() + 90
        while True:
            queue = httpx.get(f"http://127.0.0.1:{port}/api/v1/intake",
                              headers={"Authorization": f"Bearer {token}"}).json()
            if len(queue) >= 4 or time.time() > deadline:
                break
            time.sleep(0.5)
        assert len(queue) == 4 and queue[0]["urgency"] == "most_urgent"
    finally:
        procs.kill_group(proc)
    # run again on the same directory: idempotent, nothing duplicated
    again = subprocess.run([sys.executable, "-m", "saraban.cli", "demo", "--setup-only"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0 and "sample letters were put" not in again.stdout
