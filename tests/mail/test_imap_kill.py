"""A real ``saraban mail poll`` process killed (SIGKILL) mid-poll, again and again: no message is lost and
none is kept twice."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.live.conftest import node_env, prepared_node

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


def _taken(dovecot: Any) -> int:
    return sum("$SarabanTaken" in flags for flags in dovecot.keywords().values())


def test_killed_mid_poll_nothing_lost_nothing_twice(dovecot: Any, tls: Any, tmp_path: Path) -> None:
    import hashlib

    template_home, template_db = prepared_node()  # migrated, the demo organisation loaded
    shutil.copytree(template_home, tmp_path / "node")
    env = node_env(tmp_path / "node", template=template_db)
    env["SARABAN_MAIL_CA_FILE"] = str(tls.ca_file)
    env["SARABAN_MAIL_POLL_LEASE_SECONDS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")]))
    _saraban(env, "shell", "-c", SETUP.format(port=dovecot.port, user=dovecot.user, password=dovecot.password))
    mails = [letter_mail(i) for i in range(1, 61)]
    dovecot.deliver(*mails)
    rng = random.Random(12)
    kills = taken = 0
    for _ in range(3):  # start a poll; once it has taken a message more, kill it somewhere in the next 0.3 s
        proc = subprocess.Popen([sys.executable, "-m", "saraban.cli", "mail", "poll"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while proc.poll() is None and _taken(dovecot) <= taken and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        taken = _taken(dovecot)
        time.sleep(1.1)  # the dead poller's lease runs out
    assert kills >= 2  # killed mid-poll (once it had taken a message, before it ended)
    _saraban(env, "mail", "poll")
    _saraban(env, "mail", "process")
    state = json.loads(_saraban(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    assert state["rows"] == 60 and state["uids"] == 60  # every message, once
    assert state["sha"] == sorted(hashlib.sha256(m).hexdigest() for m in mails)  # each byte-exact
    assert all("$SarabanTaken" in flags for flags in dovecot.keywords().values())
