"""The exchange process (``saraban sbx serve``): the SBX endpoint over HTTPS with mutual TLS, and the
outbox sender.

uvicorn and gunicorn do not hand the TLS client certificate to the application, so the endpoint runs in
its own small process on Python's ``ssl`` (aiohttp): the peer certificate is read from the TLS
connection itself and must be one listed for the sender in the directory.  Behind a reverse proxy that
terminates the mutual TLS (``--behind-proxy``, deploy/nginx), the process speaks plain HTTP on loopback only
and takes the certificate the proxy verified from the ``X-SBX-Client-Cert`` header (nginx's
``$ssl_client_escaped_cert``), which the proxy always sets itself, so a client cannot supply it.
Requests are handled by the same Django code as everything else, in worker threads.  The same process runs
the outbox loop: woken when a message is due, it sends several at once (the task queue's worker
also sends, more slowly; a lease keeps them from sending one message twice at the same time).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import signal
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from django.db import close_old_connections

from saraban.kernel import wakeup

from .. import handover, heartbeat, mailbox, outbox, refresh
from .. import node as node_mod
from ..outbox import worker
from . import endpoints

log = logging.getLogger(__name__)
HANDOVER_MAX_WAIT = 10.0


def tls_context(node: node_mod.NodeConfig) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(node.trust_file))
    ctx.load_cert_chain(str(node.server_cert), str(node.server_key))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_OPTIONAL  # /.well-known/sbx is public; every /sbx/v1 call requires a certificate
    return ctx


PROXY_HEADER = "X-SBX-Client-Cert"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def peer_sha256(request: web.Request) -> str:
    ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
    der = ssl_object.getpeercert(True) if ssl_object is not None else None
    return hashlib.sha256(der).hexdigest() if der else ""


def proxied_peer_sha256(request: web.Request) -> str:
    """SHA-256 of the client certificate the reverse proxy verified ("" when none or unreadable)."""
    from urllib.parse import unquote

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    value = request.headers.get(PROXY_HEADER, "")
    if not value:
        return ""
    try:
        cert = x509.load_pem_x509_certificate(unquote(value).encode("ascii"))
    except ValueError:
        log.warning("unreadable %s header from the proxy", PROXY_HEADER)
        return ""
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


class Activity:
    """When this process last received a message (hand-overs yield to receiving, see :class:`Sender`)."""

    last_receive = 0.0


class Faults:
    """Failure injection for the two-node tests (``SARABAN_SBX_TEST_*``); inert unless set."""

    def __init__(self) -> None:
        self.drop = int(os.environ.get("SARABAN_SBX_TEST_DROP_RESPONSES", "0"))
        self.delay = float(os.environ.get("SARABAN_SBX_TEST_DELAY_MS", "0")) / 1000
        self.lock = threading.Lock()

    def take_drop(self) -> bool:
        with self.lock:
            if self.drop > 0:
                self.drop -= 1
                return True
            return False


def _django(fn: Any, *args: Any) -> Any:
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


def _respond(result: tuple[int, str, bytes]) -> web.Response:
    status, ctype, body = result
    return web.Response(status=status, body=body, headers={"Content-Type": ctype})


def make_app(pool: ThreadPoolExecutor, faults: Faults | None = None, *, behind_proxy: bool = False
             ) -> web.Application:
    faults = faults or Faults()
    peer = proxied_peer_sha256 if behind_proxy else peer_sha256
    app = web.Application(client_max_size=endpoints.max_request_bytes())

    async def run(fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, _django, fn, *args)

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _respond(endpoints.too_large())
        Activity.last_receive = time.monotonic()
        result = await run(endpoints.post_message, request.headers.get("Content-Type", ""), body,
                           peer(request))
        if faults.delay:
            await asyncio.sleep(faults.delay)
        if result[0] == 202 and faults.take_drop():
            log.warning("TEST fault: dropping the response after commit")
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        return _respond(result)

    async def receipt(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.get_receipt, request.match_info["mid"], peer(request)))

    async def status(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.get_status, request.match_info["mid"], peer(request)))

    async def mailbox(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.mailbox_list, peer(request), request.query.get("cursor", ""),
                                  request.query.get("limit", "50")))

    async def mailbox_item(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.mailbox_get, request.match_info["mid"], peer(request)))

    async def mailbox_ack(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.mailbox_ack, request.match_info["mid"], peer(request)))

    async def well_known(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.well_known))

    async def well_known_sig(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.well_known_signature))

    async def schema(request: web.Request) -> web.Response:
        return _respond(await run(endpoints.schema, request.match_info["name"]))

    app.router.add_post("/sbx/v1/messages", messages)
    app.router.add_get("/sbx/v1/messages/{mid}/receipt", receipt)
    app.router.add_get("/sbx/v1/messages/{mid}/status", status)
    app.router.add_get("/sbx/v1/mailbox", mailbox)
    app.router.add_get("/sbx/v1/mailbox/{mid}", mailbox_item)
    app.router.add_post("/sbx/v1/mailbox/{mid}/ack", mailbox_ack)
    app.router.add_get("/sbx/v1/schemas/{name}", schema)
    app.router.add_get("/.well-known/sbx", well_known)
    app.router.add_get("/.well-known/sbx.p7s", well_known_sig)
    return app


class Sender:
    """The outbox loop: due messages are sent by a few threads; a message is never in two threads.

    Idle, it sleeps: until a wake-up (:mod:`saraban.kernel.wakeup`: a new outbox row or a received letter,
    in any process, pokes it; a finished send wakes it too) or until the next thing falls due (a retry, a
    lease that runs out, the mailbox pull, the directory refresh), at most ``SARABAN_SBX_IDLE_SECONDS``."""

    def __init__(self, threads: int = 4, poll: float = 0.05) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sbx-send")
        self.poll = poll  # the shortest pause between two rounds while work keeps coming
        self.busy: set[Any] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = threads
        self.waiter: wakeup.Waiter | None = None
        self.last_handover_check = 0.0
        self.handover_retry_at = 0.0  # hand-overs deferred while receiving: look again then
        self.next_refresh = 0.0
        self.next_pull = 0.0

    def _done(self, key: Any) -> None:
        with self.lock:
            self.busy.discard(key)
        if self.waiter is not None:
            self.waiter.wake()  # a slot is free, and a failed attempt may have set a retry time

    def _one(self, pk: Any) -> None:
        try:
            _django(worker.deliver, pk)
        except Exception:
            log.exception("sending %s failed", pk)
        finally:
            self._done(pk)

    def _hand_over(self, pk: Any) -> None:
        try:
            _django(handover.hand_over, str(pk))
        except Exception:
            log.exception("handing over %s failed", pk)
        finally:
            self._done(("in", pk))

    def _hand_over_due(self) -> None:
        """Put received letters in the intake queue.  Receiving comes first: while messages are arriving,
        hand-overs wait (the sender is waiting for its receipt; the registrar is not waiting to the second),
        unless a letter has waited ``HANDOVER_MAX_WAIT`` seconds, so they keep up under sustained load."""
        now = time.monotonic()
        if now - self.last_handover_check < 0.2:
            self.handover_retry_at = self.last_handover_check + 0.2
            return
        self.last_handover_check = now
        self.handover_retry_at = 0.0
        rows = _django(handover.due_ids, 16)
        if not rows:
            return
        busy_receiving = now - Activity.last_receive < 0.3
        if busy_receiving and (_django(handover.waited, rows[0]) < HANDOVER_MAX_WAIT):
            self.handover_retry_at = now + 0.3
            return
        for pk in rows:
            with self.lock:
                if ("in", pk) in self.busy:
                    continue
                self.busy.add(("in", pk))
            self.pool.submit(self._hand_over, pk)

    def _pull(self) -> None:
        """Agencies of this node without an endpoint of their own fetch their mail every 30 s
        (``SARABAN_SBX_PULL_SECONDS``)."""
        if time.monotonic() < self.next_pull:
            return
        self.next_pull = time.monotonic() + float(os.environ.get("SARABAN_SBX_PULL_SECONDS", "30"))
        try:
            pulled = _django(mailbox.pull_all)
            if any(sum(c.values()) for c in pulled.values()):
                log.info("mailbox: %s", pulled)
        except Exception:
            log.exception("mailbox pull failed")

    def _refresh(self) -> None:
        """The directory, when its cached copy goes stale (looked at again at that time, at most hourly)."""
        if time.monotonic() < self.next_refresh:
            return
        try:
            if _django(refresh.stale):
                log.info("directory refreshed: %s", _django(refresh.refresh))
            due = _django(refresh.due_in)
        except Exception:
            log.exception("directory refresh failed")
            due = 0.0
        # still stale (the source failed): again in a minute; fresh: when it goes stale, at most in an hour
        wait = 3600.0 if due is None else 60.0 if due <= 0 else min(3600.0, due + 1.0)
        self.next_refresh = time.monotonic() + wait

    def _send_due(self) -> None:
        with self.lock:
            free = self.threads * 2 - len(self.busy)
        ids = _django(outbox.due_ids, max(free, 0) + len(self.busy)) if free > 0 else []
        for pk in ids:
            with self.lock:
                if pk in self.busy:
                    continue
                self.busy.add(pk)
            self.pool.submit(self._one, pk)

    def _next_wait(self) -> float:
        """Seconds until something falls due (the waiter's wake-ups cover what arrives meanwhile)."""
        now = time.monotonic()
        times = [now + idle_seconds(), self.next_pull, self.next_refresh]
        if self.handover_retry_at:
            times.append(self.handover_retry_at)
        for due in (_django(outbox.next_due_in), _django(handover.next_due_in)):
            if due is not None:
                times.append(now + due + 0.01)
        return max(0.0, min(times) - now)

    def run(self) -> None:
        heartbeat.hold()
        self.waiter = wakeup.Waiter([wakeup.SBX])  # listening before the first look: nothing falls in between
        try:
            while not self.stopping.is_set():
                started = time.monotonic()
                try:
                    self._send_due()
                    self._hand_over_due()
                    self._refresh()
                    self._pull()
                    wait = self._next_wait()
                except Exception:
                    log.exception("outbox loop")
                    wait = 1.0
                if self.waiter.wait(wait):  # woken: work arrived; pause a little so a burst is taken in rounds
                    self.stopping.wait(max(0.0, self.poll - (time.monotonic() - started)))
        finally:
            self.waiter.close()

    def stop(self) -> None:
        self.stopping.set()
        if self.waiter is not None:
            self.waiter.wake()

    def start(self) -> threading.Thread:
        t = threading.Thread(target=self.run, name="sbx-outbox", daemon=True)
        t.start()
        return t


def idle_seconds() -> float:
    """The longest the loop sleeps without a wake-up (a lost one costs at most this much latency)."""
    return float(os.environ.get("SARABAN_SBX_IDLE_SECONDS", "60"))


def serve(listen: str | None = None, *, sender: bool = True, threads: int = 8, send_threads: int = 4,
          behind_proxy: bool = False) -> None:
    node = node_mod.load()
    host, _, port = (listen or node.listen).rpartition(":")
    host = host.strip("[]")
    if behind_proxy and host not in LOOPBACK:
        raise SystemExit(f"--behind-proxy listens on loopback only (the proxy's header is trusted): not {host!r}")
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sbx-recv")
    app = make_app(pool, behind_proxy=behind_proxy)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, host or "127.0.0.1", int(port), backlog=256,
                       ssl_context=None if behind_proxy else tls_context(node))
    loop.run_until_complete(site.start())
    outbox_sender = Sender(send_threads) if sender else None
    if outbox_sender:
        outbox_sender.start()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"sbx": "serving", "listen": f"{host}:{port}", "endpoint": node.endpoint,
                      "agencies": sorted(node.agencies), "sender": bool(sender),
                      "tls": "by the reverse proxy" if behind_proxy else "mutual TLS"}), flush=True)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        if outbox_sender:
            outbox_sender.stop()
            heartbeat.stop()
        loop.run_until_complete(runner.cleanup())
        pool.shutdown(wait=False, cancel_futures=True)
