"""Wake a waiting process when there is work for it, instead of having it poll the database.

A process that waits for work (the task worker, the exchange process's sender) makes a :class:`Waiter` for
the channels it serves and calls ``wait(timeout)`` between rounds; whoever makes work for it calls
:func:`poke_on_commit` (or :func:`poke` after its commit).

- PostgreSQL: a poke is ``NOTIFY`` and the waiter ``LISTEN``\\ s on a connection of its own, so a web server on
  one machine wakes a worker on another.
- SQLite (one machine by design): each waiter binds a datagram socket in the abstract namespace and records
  its id under ``$SARABAN_HOME/run/wake/<channel>/``; a poke sends one byte to each recorded waiter (a record
  whose waiter is gone is removed).

A poke carries no data: the rows in the database stay the record of the work, and a woken process looks at
them.  A lost poke (a waiter that was not started yet, a connection that dropped) costs only latency: every
waiter looks at its rows when it starts and after its fallback timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import os
import selectors
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

TASKS = "tasks"
"""A task was enqueued or made ready (the task worker)."""
SBX = "sbx"
"""An SBX outbox row is due, or a received letter waits for its hand-over (the exchange process's loop)."""
INDEX = "index"
"""Letters' search rows are behind their data (the search index's follower in the task worker)."""

_counter = itertools.count()


def _pg_channel(channel: str) -> str:
    return f"saraban_{channel}"


def _dir(channel: str) -> Path:
    return Path(settings.HOME) / "run" / "wake" / channel


def _address(channel: str, name: str) -> bytes:
    """The abstract socket address of one waiter (no path: a long data directory is no problem)."""
    home = hashlib.sha256(str(Path(settings.HOME).resolve()).encode()).hexdigest()[:16]
    return f"\0saraban-wake-{home}-{channel}-{name}".encode()


def poke(*channels: str) -> None:
    """Wake every process waiting on ``channels`` (call it after the work was committed)."""
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cur:
                for channel in channels:
                    cur.execute("SELECT pg_notify(%s, '')", [_pg_channel(channel)])
        except Exception:  # best effort: the waiters' fallback timeout still finds the work
            log.warning("could not notify %s", channels, exc_info=True)
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        for channel in channels:
            _poke_sockets(sock, channel)


def _poke_sockets(sock: socket.socket, channel: str) -> None:
    try:
        names = os.listdir(_dir(channel))
    except FileNotFoundError:
        return
    for name in names:
        try:
            sock.sendto(b"!", _address(channel, name))
        except (ConnectionRefusedError, FileNotFoundError):  # that waiter is gone
            with contextlib.suppress(OSError):
                (_dir(channel) / name).unlink()
        except (BlockingIOError, OSError):  # its queue is full: it has a wake-up pending already
            pass


def poke_on_commit(*channels: str) -> None:
    """Wake the waiters once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: poke(*channels))


class Waiter:
    """Waits until a channel is poked, :meth:`wake` is called (from any thread), or a timeout passes."""

    def __init__(self, channels: Iterable[str]) -> None:
        self.channels = list(channels)
        self.pg = connection.vendor == "postgresql"
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        os.set_blocking(self._w, False)
        self._socks: list[socket.socket] = []
        self._records: list[Path] = []
        self._conn: Any = None
        if self.pg:
            try:
                self._listen()  # now: a poke between here and the first wait is not lost
            except Exception:
                log.warning("LISTEN failed; retried on the next wait", exc_info=True)
        else:
            self._bind()

    # -- set-up ------------------------------------------------------------------------------------------
    def _bind(self) -> None:
        name = f"{os.getpid()}-{next(_counter)}"
        for channel in self.channels:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(_address(channel, name))
            sock.setblocking(False)
            record = _dir(channel) / name
            record.parent.mkdir(parents=True, exist_ok=True)
            record.touch()
            self._socks.append(sock)
            self._records.append(record)

    def _listen(self) -> Any:
        if self._conn is None:
            conn = connection.get_new_connection(connection.get_connection_params())
            conn.autocommit = True
            for channel in self.channels:
                conn.execute(f"LISTEN {_pg_channel(channel)}")
            self._conn = conn
        return self._conn

    # -- waiting -----------------------------------------------------------------------------------------
    def wake(self) -> None:
        """Wake the waiting thread of this process (e.g. work that arrived in this very process)."""
        with contextlib.suppress(BlockingIOError):
            os.write(self._w, b"!")

    def wait(self, timeout: float | None) -> bool:
        """Sleep until poked/woken (True) or ``timeout`` seconds passed (False)."""
        with selectors.DefaultSelector() as sel:
            sel.register(self._r, selectors.EVENT_READ)
            for sock in self._socks:
                sel.register(sock, selectors.EVENT_READ)
            if self.pg:
                try:
                    sel.register(self._listen().pgconn.socket, selectors.EVENT_READ)
                except Exception:
                    log.warning("LISTEN failed; waiting on the timeout alone", exc_info=True)
                    self._drop()
            ready = sel.select(None if timeout is None else max(0.0, timeout))
        if not ready:
            return False
        self._drain()
        return True

    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._r, 512):
                pass
        for sock in self._socks:
            with contextlib.suppress(BlockingIOError, OSError):
                while sock.recv(64):
                    pass
        if self._conn is not None:
            try:
                self._conn.pgconn.consume_input()
                while self._conn.pgconn.notifies() is not None:
                    pass
            except Exception:  # the connection broke: a new one on the next wait
                log.warning("the LISTEN connection broke; reconnecting", exc_info=True)
                self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        self._drop()
        for sock in self._socks:
            sock.close()
        for record in self._records:
            record.unlink(missing_ok=True)
        self._socks, self._records = [], []
        for fd in (self._r, self._w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Waiter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
