"""The task worker runs the periodic jobs itself: on a clock, never two rounds at once, stopped on request."""

from __future__ import annotations

import threading
import time

from saraban.ops.worker import Loop


def test_loop_runs_on_time_never_overlaps_and_stops() -> None:
    running, overlaps, calls = [0], [0], []
    lock = threading.Lock()

    def job() -> None:
        with lock:
            running[0] += 1
            overlaps[0] = max(overlaps[0], running[0])
        calls.append(time.monotonic())
        time.sleep(0.05)  # longer than the interval: the next round waits for this one
        with lock:
            running[0] -= 1

    loop = Loop("ticker", job, every=0.01, first=0.1)
    start = time.monotonic()
    loop.start()
    time.sleep(0.4)
    loop.stopping.set()
    loop.join(2)
    assert not loop.is_alive()
    assert calls and calls[0] - start >= 0.09  # not at once
    assert 2 <= len(calls) <= 8 and overlaps[0] == 1


def test_a_failing_round_does_not_stop_the_loop() -> None:
    calls = []

    def job() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    loop = Loop("ticker", job, every=0.02, first=0.0)
    loop.start()
    time.sleep(0.2)
    loop.stopping.set()
    loop.join(2)
    assert len(calls) >= 3
