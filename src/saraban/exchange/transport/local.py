"""In-process delivery to an agency of this node (or a mailbox kept here), through the very same receiving
code as the HTTPS endpoint, presenting our own TLS client certificate as the peer."""

from __future__ import annotations

from .. import node as node_mod
from .. import wire
from ..errors import SbxError
from .base import Answer, Route, SendFailed, receiver


def deliver_here(msg: wire.Message) -> Answer:
    """Hand ``msg`` to this node's receiver; its coded refusal becomes :class:`SendFailed`."""
    node = node_mod.load()
    try:
        r = receiver()(msg.envelope, msg.signature, msg.payload, peer_sha256=node.client_sha256, route="local")
    except SbxError as exc:
        raise SendFailed(exc.code, exc.message_en, retry=exc.retry, status=exc.status) from exc
    return Answer(r.status, r.envelope, r.signature)


class LocalTransport:
    """Only in-process: a recipient that is not hosted here has no route (``SARABAN_SBX_TRANSPORT=local``)."""

    name = "local"

    def send(self, route: Route, msg: wire.Message) -> Answer:
        if route.kind != "local":
            raise SendFailed("NO_ROUTE", "this node delivers in-process only (SARABAN_SBX_TRANSPORT=local)",
                             retry=False)
        return deliver_here(msg)
