"""A transport for tests: records every message, delivers in-process, and can be told to fail or time out.

Install it with :func:`saraban.exchange.transport.use` (or ``SARABAN_SBX_TRANSPORT=test``)::

    t = TestTransport()
    transport.use(t)
    t.fail("NETWORK", "connection refused", times=2)   # the next two sends fail, retry allowed
    t.tamper(lambda answer: …)                         # alter the receipts it returns
    …
    transport.use(None)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .. import wire
from .base import Answer, Route, SendFailed
from .local import deliver_here


@dataclass(frozen=True)
class Sent:
    route: Route
    message: wire.Message
    outcome: str  # "delivered" or the failure code


class TestTransport:
    """In memory: every send is recorded in :attr:`sent`; queued failures are raised first, in order."""

    __test__ = False
    name = "test"

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._failures: deque[SendFailed] = deque()
        self._tamper: Callable[[Answer], Answer] | None = None

    def fail(self, code: str = "NETWORK", detail: str = "connection refused", *, retry: bool = True,
             status: int = 0, times: int = 1) -> TestTransport:
        """The next ``times`` sends raise :class:`SendFailed` with this code (nothing reaches the receiver)."""
        self._failures.extend(SendFailed(code, detail, retry=retry, status=status) for _ in range(times))
        return self

    def time_out(self, times: int = 1) -> TestTransport:
        """The next ``times`` sends time out as a network call would (a retry may help)."""
        return self.fail("NETWORK", "ReadTimeout: timed out", times=times)

    def tamper(self, change: Callable[[Answer], Answer] | None) -> TestTransport:
        """Pass every receipt through ``change`` (``None``: stop) — e.g. to forge one."""
        self._tamper = change
        return self

    def send(self, route: Route, msg: wire.Message) -> Answer:
        if self._failures:
            exc = self._failures.popleft()
            self.sent.append(Sent(route, msg, exc.code))
            raise exc
        if route.kind != "local":
            self.sent.append(Sent(route, msg, "NETWORK"))
            raise SendFailed("NETWORK", f"the test transport does not reach {route.url}", retry=True)
        answer = deliver_here(msg)
        self.sent.append(Sent(route, msg, "delivered"))
        return self._tamper(answer) if self._tamper else answer
