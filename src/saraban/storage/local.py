"""The embedded blob store: files under a directory, laid out by name (``ab/cd/<hex>``, ``enc/ab/cd/<hex>``).

Writes go to a temporary file in ``<root>/tmp`` that is fsynced, renamed into place and its directory
fsynced, so a power cut leaves either the whole file or none.  A failed write (a full disk) removes its
temporary file; temporary files a killed process left behind are removed by ``saraban storage sweep``.
A lock file serialises "claim an existing blob" against "undo a blob this transaction created", so a
concurrent writer of the same content never loses it to the other's rollback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StorageFull
from .interfaces import BlobInfo, layout, unlayout

READ_CHUNK = 1024 * 1024
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)

    def sync_dir(self, path: Path) -> None:
        """Make the entries of ``path`` (a new or renamed file) durable."""
        fsync_dir(path)

    def path(self, name: str) -> Path:
        return self.root / layout(name)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / ".lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _mkdirs(self, directory: Path) -> None:
        """Create ``directory`` and fsync each parent that gained an entry."""
        missing = []
        d = directory
        while not d.exists():
            missing.append(d)
            d = d.parent
        for new in reversed(missing):
            new.mkdir(exist_ok=True)
            self.sync_dir(new.parent)

    def _write_temporary(self, name: str, chunks: Iterable[bytes]) -> Path:
        tmp = self.root / "tmp" / f"{name.replace('/', '_')}.{secrets.token_hex(6)}"
        try:
            with open(tmp, "wb") as fh:
                for piece in chunks:
                    fh.write(piece)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError) and exc.errno in FULL:
                raise StorageFull(details={"errno": exc.errno}) from exc
            raise
        return tmp

    def put(self, name: str, chunks: Iterable[bytes]) -> tuple[bool, object]:
        path = self.path(name)
        stamp = time.time_ns()
        with self._locked():
            if path.exists():
                os.utime(path, ns=(stamp, stamp))  # claim it: a concurrent undo must leave it alone
                return False, stamp
        tmp = self._write_temporary(name, chunks)
        try:
            self._mkdirs(path.parent)
            with self._locked():
                if path.exists():  # someone else stored it meanwhile
                    os.utime(path, ns=(stamp, stamp))
                    return False, stamp
                os.utime(tmp, ns=(stamp, stamp))
                os.replace(tmp, path)
            self.sync_dir(path.parent)
        finally:
            tmp.unlink(missing_ok=True)
        return True, stamp

    def open(self, name: str) -> Iterator[bytes]:
        fh = open(self.path(name), "rb")  # noqa: SIM115 - raises FileNotFoundError at once; the generator closes it

        def pieces() -> Iterator[bytes]:
            with fh:
                while piece := fh.read(READ_CHUNK):
                    yield piece

        return pieces()

    def info(self, name: str) -> BlobInfo:
        st = self.path(name).stat()
        return BlobInfo(size=st.st_size, modified=st.st_mtime)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def delete(self, name: str) -> None:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        self.sync_dir(path.parent)

    def copy(self, source: str, target: str) -> None:
        src, dst = self.path(source), self.path(target)
        if dst.exists():
            return
        self._mkdirs(dst.parent)
        try:
            os.link(src, dst)  # same bytes, no copy
        except FileExistsError:
            return
        except OSError:
            tmp = self._write_temporary(target, self.open(source))
            os.replace(tmp, dst)
        self.sync_dir(dst.parent)

    def discard_if_unclaimed(self, name: str, token: object) -> None:
        path = self.path(name)
        with self._locked():
            try:
                if path.stat().st_mtime_ns == token:
                    path.unlink()
            except FileNotFoundError:
                pass

    def names(self) -> Iterator[str]:
        for base in (self.root, self.root / "enc"):
            if not base.exists():
                continue
            for path in base.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
                name = unlayout(str(path.relative_to(self.root)))
                if name:
                    yield name

    def clean_temporary(self, older_than: float = 3600) -> int:
        """Remove temporary files a killed writer left in ``tmp/``; returns how many."""
        removed = 0
        limit = time.time() - older_than
        for tmp in (self.root / "tmp").iterdir():
            try:
                if tmp.stat().st_mtime < limit:
                    tmp.unlink() if tmp.is_file() else shutil.rmtree(tmp)
                    removed += 1
            except FileNotFoundError:
                continue
        if removed:
            self.sync_dir(self.root / "tmp")
        return removed
