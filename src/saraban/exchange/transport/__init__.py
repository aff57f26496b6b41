"""Getting a message to the recipient's gateway, behind one small interface (:class:`Transport`).

Chosen by ``SARABAN_SBX_TRANSPORT`` (settings or environment):

* ``sbx`` (default): in-process for agencies hosted on this node (:mod:`.local`), HTTPS with mutual TLS
  for the others (:mod:`.https`);
* ``local``: in-process only (a recipient elsewhere fails with ``NO_ROUTE``);
* ``test``: :class:`~.testing.TestTransport`, in memory.

Tests install their own with :func:`use`, as with the notifiers; no monkey-patching.
"""

from __future__ import annotations

import os

from django.conf import settings

from .. import wire
from .base import Answer, Receiver, Route, SendFailed, Transport, set_receiver
from .https import HttpsTransport
from .local import LocalTransport
from .testing import TestTransport

__all__ = ["Answer", "Receiver", "Route", "SendFailed", "Transport", "current", "set_receiver", "use"]


class SbxTransport:
    """The default: in-process for agencies hosted here, HTTPS with mutual TLS for the others."""

    name = "sbx"

    def __init__(self) -> None:
        self.local, self.https = LocalTransport(), HttpsTransport()

    def send(self, route: Route, msg: wire.Message) -> Answer:
        return (self.local if route.kind == "local" else self.https).send(route, msg)


_override: Transport | None = None
_by_setting: dict[str, Transport] = {}


def use(transport: Transport | None) -> None:
    """Install (or, with ``None``, remove) the transport every send goes through — e.g. a fake in tests."""
    global _override
    _override = transport


def setting() -> str:
    return str(getattr(settings, "SARABAN_SBX_TRANSPORT", None) or os.environ.get("SARABAN_SBX_TRANSPORT", "sbx"))


def current() -> Transport:
    """The installed transport, else the one named by ``SARABAN_SBX_TRANSPORT``."""
    if _override is not None:
        return _override
    name = setting()
    if name not in _by_setting:
        kinds: dict[str, type] = {"sbx": SbxTransport, "local": LocalTransport, "test": TestTransport}
        if name not in kinds:
            raise ValueError(f"unknown SARABAN_SBX_TRANSPORT {name!r} (sbx, local or test)")
        _by_setting[name] = kinds[name]()
    return _by_setting[name]
