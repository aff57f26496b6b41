"""SBX over HTTPS with mutual TLS (httpx): one kept-alive client per process presenting our client certificate."""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
import threading

import httpx

from .. import node as node_mod
from .. import wire
from ..errors import SbxError
from .base import Answer, Route, SendFailed

_clients: dict[str, httpx.Client] = {}
_lock = threading.Lock()


def client(node: node_mod.NodeConfig) -> httpx.Client:
    """One kept-alive HTTPS client per process, presenting our TLS client certificate."""
    key = f"{node.path}:{node.client_cert}"
    with _lock:
        c = _clients.get(key)
        if c is None:
            ctx = ssl.create_default_context(cafile=str(node.trust_file))
            ctx.load_cert_chain(str(node.client_cert), str(node.client_key))
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            transport = httpx.HTTPTransport(verify=ctx, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                                            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16))
            c = httpx.Client(transport=transport, timeout=httpx.Timeout(30.0, connect=5.0))
            _clients[key] = c
        return c


def _answer(status: int, content_type: str, body: bytes) -> Answer:
    try:
        parts = wire.decode(content_type, body)
    except SbxError as exc:
        raise SendFailed("RECEIPT_INVALID", f"unreadable receipt: {exc.message_en}", retry=True, status=status) from exc
    if len(parts) != 2:
        raise SendFailed("RECEIPT_INVALID", "a receipt has two parts", retry=True, status=status)
    return Answer(status, parts[0].data, parts[1].data)


def _peer_sha256(response: httpx.Response) -> str:
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    der = ssl_object.getpeercert(True) if ssl_object is not None else None
    return hashlib.sha256(der).hexdigest() if der else ""


def post_message(url: str, msg: wire.Message, *, expect_server: tuple[str, ...] | list[str]) -> Answer:
    """``POST …/messages``; the receipt, or :class:`SendFailed` with the receiver's coded error."""
    node = node_mod.load()
    ctype, body = wire.encode_message(msg)
    try:
        r = client(node).post(url, content=body, headers={"Content-Type": ctype, "Accept": "multipart/related"})
    except httpx.HTTPError as exc:
        raise SendFailed("NETWORK", f"{type(exc).__name__}: {exc}", retry=True) from exc
    peer = _peer_sha256(r)
    if expect_server and peer and peer not in expect_server:
        raise SendFailed("SERVER_MISMATCH", "the server's TLS certificate is not the recipient's", retry=True,
                         status=r.status_code)
    if r.status_code in (200, 202):
        return _answer(r.status_code, r.headers.get("content-type", ""), r.content)
    code, detail, retry = f"HTTP_{r.status_code}", r.text[:300], r.status_code == 429 or r.status_code >= 500
    if "json" in r.headers.get("content-type", ""):
        try:
            problem = json.loads(r.content)
            code = str(problem.get("code") or code)
            detail = str(problem.get("detail") or detail)
            retry = bool(problem.get("retry", retry))
        except (ValueError, AttributeError):
            pass
    raise SendFailed(code, detail, retry=retry, status=r.status_code)


def get(url: str) -> httpx.Response:
    """A reconciliation or mailbox call (``…/receipt``, ``…/status``, ``…/mailbox``) with our client certificate."""
    return client(node_mod.load()).get(url)


def post(url: str) -> httpx.Response:
    return client(node_mod.load()).post(url)


class HttpsTransport:
    """HTTPS with mutual TLS to the recipient's endpoint (or its intermediary's)."""

    name = "https"

    def send(self, route: Route, msg: wire.Message) -> Answer:
        if route.kind != "https":
            raise SendFailed("NO_ROUTE", f"no HTTPS route ({route.kind})", retry=False)
        return post_message(route.url, msg, expect_server=route.expect_server)
