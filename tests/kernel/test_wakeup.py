"""Waiting processes are woken by a poke, not by polling (saraban.kernel.wakeup): on SQLite by a datagram, on
PostgreSQL (the suite's PostgreSQL pass) by NOTIFY; a poke inside a transaction waits for its commit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from saraban.kernel import wakeup

ROOT = Path(__file__).resolve().parents[2]


def test_an_idle_waiter_sleeps_until_its_timeout(committed_db: None) -> None:
    with wakeup.Waiter([wakeup.TASKS]) as w:
        t0 = time.monotonic()
        assert w.wait(0.3) is False
        assert time.monotonic() - t0 >= 0.29


def test_a_poke_wakes_the_waiter_at_once(committed_db: None) -> None:
    with wakeup.Waiter([wakeup.TASKS]) as w:
        threading.Timer(0.2, lambda: wakeup.poke(wakeup.TASKS)).start()
        t0 = time.monotonic()
        assert w.wait(10) is True
        took = time.monotonic() - t0
        assert 0.15 < took < 2, took
        assert w.wait(0.1) is False  # the wake-up was taken: the next wait sleeps again


def test_a_poke_on_another_channel_does_not_wake(committed_db: None) -> None:
    with wakeup.Waiter([wakeup.SBX]) as w:
        wakeup.poke(wakeup.TASKS)
        assert w.wait(0.3) is False
        w.wake()  # from this very process (a finished send)
        assert w.wait(5) is True


def test_a_poke_in_a_transaction_waits_for_the_commit(committed_db: None) -> None:
    with wakeup.Waiter([wakeup.TASKS]) as w:
        with transaction.atomic():
            wakeup.poke_on_commit(wakeup.TASKS)
            assert w.wait(0.3) is False
        assert w.wait(5) is True
        with transaction.atomic():
            wakeup.poke_on_commit(wakeup.TASKS)
            transaction.set_rollback(True)
        assert w.wait(0.3) is False  # rolled back: nothing to do, nobody woken


def test_another_process_wakes_every_waiter(committed_db: None, tmp_path: Path) -> None:
    """The enqueuing process is another one (the web server); two workers wait."""
    import os

    from django.db import connection

    with wakeup.Waiter([wakeup.TASKS]) as a, wakeup.Waiter([wakeup.TASKS]) as b:
        env = {**os.environ, "SARABAN_HOME": str(settings.HOME), "DJANGO_SETTINGS_MODULE": "saraban.settings",
               "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
        if connection.vendor == "postgresql":  # the test database (NOTIFY is per database)
            d = connection.settings_dict
            env["DATABASE_URL"] = f"postgresql://{d['USER']}@{d['HOST']}:{d['PORT']}/{d['NAME']}"
        code = ("import django; django.setup(); from saraban.kernel import wakeup; wakeup.poke(wakeup.TASKS)")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and not out.stderr, out.stderr
        assert a.wait(5) is True and b.wait(5) is True, env.get("DATABASE_URL")


def test_a_waiter_that_is_gone_is_forgotten(committed_db: None) -> None:
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return  # LISTEN ends with its connection; nothing recorded on disk
    w = wakeup.Waiter([wakeup.TASKS])
    records = list((Path(settings.HOME) / "run" / "wake" / wakeup.TASKS).iterdir())
    assert records
    w._socks[0].close()  # the process died without closing it
    w._socks = []
    wakeup.poke(wakeup.TASKS)
    assert not any(r.exists() for r in records)
    w.close()
