"""The embedded blob store: files under a directory, named by content hash.

Layout: ``<root>/ab/cd/<sha256>`` for plain blobs, ``<root>/enc/ab/cd/<sha256>`` for encrypted ones.
Writes go to a temporary file, are fsynced and renamed into place.  A lock file serialises "claim an
existing blob" against "undo a blob this transaction created", so a concurrent writer of the same
content never loses it to the other's rollback.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import crypto


class LocalBlobStore:
    def __init__(self, root: Path, key_dir: Path) -> None:
        self.root = Path(root)
        self.key_dir = Path(key_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)
        self._master: bytes | None = None

    def _path(self, sha256: str, encrypted: bool) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("bad blob key")
        base = self.root / "enc" if encrypted else self.root
        return base / sha256[:2] / sha256[2:4] / sha256

    @property
    def master(self) -> bytes:
        if self._master is None:
            self._master = crypto.load_master_key(self.key_dir)
        return self._master

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / ".lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def put(self, sha256: str, data: bytes, *, encrypted: bool) -> tuple[bool, object]:
        """Store; returns (created, claim token).  The token identifies this write for undo."""
        path = self._path(sha256, encrypted)
        stamp = time.time_ns()
        with self._locked():
            if path.exists():
                os.utime(path, ns=(stamp, stamp))  # claim it: a concurrent undo must leave it alone
                return False, stamp
        payload = crypto.encrypt(self.master, sha256, data) if encrypted else data
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.root / "tmp" / f"{sha256}.{secrets.token_hex(6)}"
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        with self._locked():
            if path.exists():  # someone else stored it meanwhile
                tmp.unlink(missing_ok=True)
                os.utime(path, ns=(stamp, stamp))
                return False, stamp
            os.utime(tmp, ns=(stamp, stamp))
            os.replace(tmp, path)
        return True, stamp

    def get(self, sha256: str, *, encrypted: bool) -> bytes:
        data = self._path(sha256, encrypted).read_bytes()
        return crypto.decrypt(self.master, sha256, data) if encrypted else data

    def path_for(self, sha256: str, *, encrypted: bool) -> Path | None:
        """A readable local path for a plain blob (for streaming); None for encrypted ones."""
        return None if encrypted else self._path(sha256, False)

    def exists(self, sha256: str, *, encrypted: bool) -> bool:
        return self._path(sha256, encrypted).exists()

    def delete(self, sha256: str, *, encrypted: bool) -> None:
        self._path(sha256, encrypted).unlink(missing_ok=True)

    def discard_if_unclaimed(self, sha256: str, *, encrypted: bool, token: object) -> None:
        path = self._path(sha256, encrypted)
        with self._locked():
            try:
                if path.stat().st_mtime_ns == token:
                    path.unlink()
            except FileNotFoundError:
                pass

    def keys(self) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for encrypted, base in ((False, self.root), (True, self.root / "enc")):
            if not base.exists():
                continue
            for path in base.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
                out.append((path.name, encrypted))
        return out

    def age_seconds(self, sha256: str, *, encrypted: bool) -> float:
        return time.time() - self._path(sha256, encrypted).stat().st_mtime
