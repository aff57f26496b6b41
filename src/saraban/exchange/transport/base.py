"""What every transport shares: the route, the answer, the failure, and the receiving side of this node."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .. import wire


@dataclass(frozen=True)
class Route:
    """Where a message goes: ``local`` (an agency hosted on this node, or a mailbox kept here) or ``https``
    (``url`` of the recipient's ``…/messages``, ``expect_server``: its TLS certificates' SHA-256)."""

    kind: str
    url: str = ""
    expect_server: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The recipient's signed ``delivered`` receipt: 202 the first time, 200 for a repeat."""

    status: int
    envelope: bytes
    signature: bytes


class SendFailed(Exception):
    """Not delivered; ``retry`` says whether trying again may help (network, 429, 5xx: yes; the coded final
    errors of exchange.md §5.8: no)."""

    def __init__(self, code: str, detail: str, *, retry: bool, status: int = 0) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.retry, self.status = code, detail, retry, status


class Transport(Protocol):
    """Gets one message to the recipient's gateway and returns its receipt, or raises :class:`SendFailed`."""

    name: str

    def send(self, route: Route, msg: wire.Message) -> Answer: ...


class Receiver(Protocol):
    """The receiving side of this node (``inbox.receive_message``): verify and accept, or raise ``SbxError``."""

    def __call__(self, envelope: bytes, signature: bytes, payload: bytes | None, *, peer_sha256: str,
                 route: str) -> Any: ...


_receiver: Receiver | None = None


def set_receiver(receiver: Receiver) -> None:
    """Install the receiving side (done when the app loads), so in-process delivery needs no upward import."""
    global _receiver
    _receiver = receiver


def receiver() -> Receiver:
    if _receiver is None:
        raise SendFailed("INTERNAL", "no receiver installed for in-process delivery", retry=True)
    return _receiver
