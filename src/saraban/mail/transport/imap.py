"""Reading the agency's existing mailbox over IMAP (TLS or STARTTLS).  A message is marked taken with the
keyword ``$SarabanTaken`` only after Saraban committed it, so a crash in between fetches it again (and the
store recognises it by UIDVALIDITY/UID)."""

from __future__ import annotations

import contextlib
import imaplib
import re
from collections.abc import Iterator
from typing import Any

from .base import Server

TAKEN = "$SarabanTaken"
TOO_LARGE = "$SarabanTooLarge"


class ImapError(Exception):
    pass


def _ok(result: tuple[str, Any]) -> list:
    typ, data = result
    if typ != "OK":
        raise ImapError(" ".join(d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in data))
    return data


class ImapMailbox:
    def __init__(self, conn: imaplib.IMAP4, folder: str) -> None:
        self.conn = conn
        _ok(conn.select(_quote(folder)))
        validity = conn.response("UIDVALIDITY")[1]
        if not validity or validity[0] is None:
            raise ImapError("the server gave no UIDVALIDITY")
        self.uidvalidity = int(validity[0])

    def pending(self) -> list[tuple[int, int]]:
        data = _ok(self.conn.uid("SEARCH", "UNKEYWORD", TAKEN, "UNKEYWORD", TOO_LARGE))
        uids = [int(u) for u in (data[0] or b"").split()]
        if not uids:
            return []
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), 500):
            chunk = ",".join(str(u) for u in uids[start:start + 500])
            for line in _ok(self.conn.uid("FETCH", chunk, "(RFC822.SIZE)")):
                text = line.decode() if isinstance(line, bytes) else ""
                m = re.search(r"UID (\d+)", text)
                s = re.search(r"RFC822\.SIZE (\d+)", text)
                if m and s:
                    sizes[int(m.group(1))] = int(s.group(1))
        return [(u, sizes.get(u, 0)) for u in sorted(uids)]

    def fetch(self, uid: int) -> bytes:
        for part in _ok(self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])")):
            if isinstance(part, tuple):
                return part[1]
        raise ImapError(f"message {uid} is gone")

    def mark_taken(self, uid: int) -> None:
        _ok(self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", f"({TAKEN})"))

    def mark_too_large(self, uid: int) -> None:
        _ok(self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", f"({TOO_LARGE})"))


def login(conn: imaplib.IMAP4, user: str, password: str) -> None:
    """LOGIN, or AUTHENTICATE PLAIN (UTF-8) when the name or password is not ASCII (LOGIN cannot carry it)."""
    if (user + password).isascii():
        _ok(conn.login(user, password))
    else:
        _ok(conn.authenticate("PLAIN", lambda _: f"\0{user}\0{password}".encode()))


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapReader:
    @contextlib.contextmanager
    def open(self, server: Server, folder: str) -> Iterator[ImapMailbox]:
        if server.security == "tls":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(server.host, server.port, ssl_context=server.tls_context(),
                                                    timeout=server.timeout)
        else:
            conn = imaplib.IMAP4(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                conn.starttls(ssl_context=server.tls_context())
        try:
            try:
                login(conn, server.user, server.password)
            except imaplib.IMAP4.error as exc:
                raise ImapError(f"login failed: {exc}") from exc
            yield ImapMailbox(conn, folder)
        finally:
            with contextlib.suppress(Exception):
                conn.logout()
