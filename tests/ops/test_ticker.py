"""``saraban serve`` runs the periodic jobs itself: a tick every few minutes, never two at once."""

from __future__ import annotations

from saraban.ops.supervisor import Ticker


class _Proc:
    def __init__(self) -> None:
        self.done = False

    def poll(self) -> int | None:
        return 0 if self.done else None

    def terminate(self) -> None:
        self.done = True


def test_ticks_on_time_and_never_overlaps() -> None:
    now = [0.0]
    started: list[_Proc] = []

    def start() -> _Proc:
        started.append(_Proc())
        return started[-1]

    t = Ticker(300, start=start, now=lambda: now[0])  # type: ignore[arg-type]
    t.poll()
    assert started == []  # not at once: the first tick 30 s after start
    now[0] = 30
    t.poll()
    assert len(started) == 1
    now[0] = 400
    t.poll()
    assert len(started) == 1  # the first tick still runs: no second one beside it
    started[0].done = True
    t.poll()
    assert len(started) == 2
    now[0] = 500
    started[1].done = True
    t.poll()
    assert len(started) == 2  # 300 s apart
    now[0] = 701
    t.poll()
    assert len(started) == 3
    t.stop()
    assert started[2].done
