"""A real ``saraban mail poll`` process killed (SIGKILL) mid-poll, again and again: no message is lost and
none is kept twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.live.conftest import node_env

from .mails import letter_mail

pytestmark = pytest.mark.live

SETUP = """
from saraban.mail import actions
from saraban.orgs.models import Agency
actions.save_account(None, Agency.objects.get(code="mdes-ops"), {{
    "address": "saraban@ops.mdes.test", "inbound": "imap", "imap_host": "127.0.0.1", "imap_port": {port},
    "imap_security": "tls", "imap_user": "{user}"}}, imap_password="{password}")
"""
COUNT = """
import json
from saraban.mail.models import MailMessage
rows = list(MailMessage.objects.values_list("imap_uid", "sha256"))
print(json.dumps({"rows": len(rows), "uids": len({u for u, _ in rows}), "sha": sorted(s for _, s in rows)}))
"""


def _saraban(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    out = subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=env, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:] + out.stdout[-2000:]
    return out.stdout


def test_killed_mid_poll_nothing_lost_nothing_twice(dovecot, tls, tmp_path: Path) -> None:
    import hashlib

    env = node_env(tmp_path / "node")
    env["SARABAN_MAIL_CA_FILE"] = str(tls.ca_file)
    env["SARABAN_MAIL_POLL_LEASE_SECONDS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")]))
    _saraban(env, "migrate", "-v", "0")
    _saraban(env, "loadorg")
    _saraban(env, "shell", "-c", SETUP.format(port=dovecot.port, user=dovecot.user, password=dovecot.password))
    mails = [letter_mail(i) for i in range(1, 61)]
    dovecot.deliver(*mails)
    rng = random.Random(12)
    kills = 0
    for _ in range(4):  # start a poll, kill it somewhere in the middle
        proc = subprocess.Popen([sys.executable, "-m", "saraban.cli", "mail", "poll"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 6.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        time.sleep(1.1)  # the dead poller's lease runs out
    _saraban(env, "mail", "poll")
    _saraban(env, "mail", "process")
    state = json.loads(_saraban(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    assert kills >= 1
    assert state["rows"] == 60 and state["uids"] == 60  # every message, once
    assert state["sha"] == sorted(hashlib.sha256(m).hexdigest() for m in mails)  # each byte-exact
    assert all("$SarabanTaken" in flags for flags in dovecot.keywords().values())
