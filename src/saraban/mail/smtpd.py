"""The built-in SMTP receiver (aiosmtpd) that the agency's mail relay forwards the central address to.

- RCPT TO an address that is not one of our central mailboxes: ``550 5.1.1``.
- A mail above the size limit: ``552 5.3.4`` (announced with ``SIZE``, checked at MAIL FROM and during DATA).
- ``250`` is answered only after the original is committed (byte for byte, hashed); a storage failure
  answers ``451 4.3.0`` so that the relay keeps the mail and tries again.  Examination (and quarantine)
  happens after the answer, in a background thread; what a crash leaves is picked up on the next start.
- STARTTLS when a certificate is configured (``SARABAN_MAIL_TLS_CERT``/``_KEY``); ``SARABAN_MAIL_REQUIRE_TLS=1``
  refuses mail before it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import close_old_connections

from saraban.kernel import clock

from . import conf, pipeline, senders

log = logging.getLogger(__name__)
MAX_RECIPIENTS = 50


def _in_db_thread(fn: Any, *args: Any, **kwargs: Any) -> Any:
    close_old_connections()
    try:
        return fn(*args, **kwargs)
    finally:
        close_old_connections()


class Receiver:
    """The aiosmtpd handler: checks recipients and sizes, keeps each mail, then examines it."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes or conf.max_bytes()
        from django.db import connection

        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-store")
        # SQLite has one writer at a time: examining runs in the same thread, after the answer was given
        self._examine = (self._store if connection.vendor == "sqlite"
                         else ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-examine"))
        self.accepted = 0

    async def _db(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._store, lambda: _in_db_thread(fn, *args, **kwargs))

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          mail_options: list[str]) -> str:
        for opt in mail_options:
            if opt.upper().startswith("SIZE=") and opt[5:].isdigit() and int(opt[5:]) > self.max_bytes:
                return "552 5.3.4 Message size exceeds the limit of this mailbox"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        code = await self._db(senders.agency_for_recipient, address)
        if code is None:
            return "550 5.1.1 No such central mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _keep(self, raw: bytes, rcpts: list[str], mail_from: str, peer: str) -> list[Any]:
        from saraban.orgs.models import Agency

        from . import actions

        codes = list(dict.fromkeys(c for c in (senders.agency_for_recipient(r) for r in rcpts) if c))
        agencies = list(Agency.objects.filter(code__in=codes))
        return actions.receive(raw, agencies, source="smtp", envelope_from=mail_from,
                               envelope_to=", ".join(rcpts), peer=peer, examine_until=clock.now() + pipeline.LEASE)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if len(raw) > self.max_bytes:
            return "552 5.3.4 Message size exceeds the limit of this mailbox"
        if not raw.strip():
            return "554 5.6.0 Empty message"
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        try:
            rows = await self._db(self._keep, raw, list(envelope.rcpt_tos), envelope.mail_from or "", peer)
        except Exception:
            log.exception("could not keep a mail from %s", peer)
            return "451 4.3.0 Could not store the message now; try again later"
        self.accepted += 1
        for row in rows:
            self._examine.submit(_in_db_thread, pipeline.process_one, row.pk, claimed=True)
        return f"250 2.0.0 Ok: kept as {rows[0].pk}"

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until every kept mail has been examined (tests, shutdown)."""
        for pool in {id(p): p for p in (self._store, self._examine)}.values():
            done = threading.Event()
            pool.submit(done.set)
            done.wait(timeout)

    def close(self) -> None:
        """Stop the threads, closing their database connections first."""
        from django.db import connections

        for pool in {id(p): p for p in (self._store, self._examine)}.values():
            pool.submit(connections.close_all).result(timeout=60)
        self._store.shutdown(wait=True)
        if self._examine is not self._store:
            self._examine.shutdown(wait=True)


def tls_context() -> ssl.SSLContext | None:
    cert, key = conf.get("SARABAN_MAIL_TLS_CERT"), conf.get("SARABAN_MAIL_TLS_KEY")
    if not cert:
        return None
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key or None)
    return ctx


def controller(host: str, port: int, *, receiver: Receiver | None = None,
               tls: ssl.SSLContext | None = None, require_tls: bool | None = None) -> Controller:
    """A receiver on ``host:port`` (start it with ``.start()``, stop with ``.stop()``)."""
    handler = receiver or Receiver()
    tls = tls if tls is not None else tls_context()
    require = require_tls if require_tls is not None else conf.get("SARABAN_MAIL_REQUIRE_TLS") == "1"
    return Controller(handler, hostname=host, port=port, data_size_limit=handler.max_bytes + 64 * 1024,
                      decode_data=False, enable_SMTPUTF8=True, tls_context=tls,
                      require_starttls=bool(tls and require), ident="Saraban central mailbox",
                      server_hostname=host)


def serve(host: str, port: int, *, ready: Any = None) -> None:
    """Run the receiver until interrupted; first examine what an earlier run left unexamined."""
    import signal

    from . import health

    pipeline.process_pending(limit=10_000)
    ctl = controller(host, port)
    ctl.start()
    if ready is not None:
        ready(ctl)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    health.beat()
    try:
        while not stop.wait(30.0):
            health.beat()
            _in_db_thread(pipeline.process_pending)
    finally:
        ctl.stop()
        ctl.handler.close()
