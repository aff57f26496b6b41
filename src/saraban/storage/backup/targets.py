"""Where backups go: a directory or an S3 bucket (``s3://bucket/prefix``), both laid out alike::

    blobs/ab/cd/<hex>, blobs/enc/ab/cd/<hex>     every blob ever backed up (shared by the snapshots)
    snapshots/<id>/database.enc                  the database dump, encrypted (envelope, current master key)
    snapshots/<id>/blobs.jsonl                   the blobs this snapshot needs, with the hashes of their bytes
    snapshots/<id>/manifest.json                 what the snapshot holds, with hashes
    snapshots/<id>/manifest.sha256               written last: a snapshot without it is incomplete
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from saraban.kernel.errors import InvalidInput

from ..errors import StorageFull
from ..interfaces import BlobStore
from ..local import FULL, LocalBlobStore, fsync_dir


class Files(Protocol):
    def write(self, rel: str, chunks: Iterable[bytes]) -> None: ...

    def open(self, rel: str) -> Iterator[bytes]:
        """``FileNotFoundError`` if absent."""
        ...

    def exists(self, rel: str) -> bool: ...

    def listing(self, under: str) -> list[str]:
        """Relative paths of the files under ``under``."""
        ...


class DirFiles:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def write(self, rel: str, chunks: Iterable[bytes]) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            with open(tmp, "wb") as fh:
                for piece in chunks:
                    fh.write(piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            if exc.errno in FULL:
                raise StorageFull(details={"path": str(path.parent)}) from exc
            raise
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)

    def open(self, rel: str) -> Iterator[bytes]:
        fh = open(self.root / rel, "rb")  # noqa: SIM115 - closed by the generator

        def pieces() -> Iterator[bytes]:
            with fh:
                while piece := fh.read(1024 * 1024):
                    yield piece

        return pieces()

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def listing(self, under: str) -> list[str]:
        base = self.root / under
        if not base.is_dir():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*") if p.is_file())


class S3Files:
    def __init__(self, store: object) -> None:
        from ..s3 import S3BlobStore

        assert isinstance(store, S3BlobStore)
        self.s3 = store

    def write(self, rel: str, chunks: Iterable[bytes]) -> None:
        self.s3.put_key(rel, chunks)

    def open(self, rel: str) -> Iterator[bytes]:
        return self.s3.open_key(rel)

    def exists(self, rel: str) -> bool:
        return any(True for _ in self.s3.list_keys(rel) if _ == rel)

    def listing(self, under: str) -> list[str]:
        return sorted(self.s3.list_keys(under.rstrip("/") + "/"))


@dataclass
class Target:
    """A backup location: its blob store and its files."""

    url: str
    blobs: BlobStore
    files: Files

    def snapshots(self) -> list[str]:
        """Complete snapshots (those with ``manifest.sha256``), oldest first."""
        done = set()
        for rel in self.files.listing("snapshots"):
            parts = rel.split("/")
            if len(parts) == 3 and parts[2] == "manifest.sha256":
                done.add(parts[1])
        return sorted(done)


def open_target(url: str) -> Target:
    """``/path/to/dir`` (or ``file:///path``) or ``s3://bucket/prefix``.  An S3 target uses the blob store's
    endpoint and credentials unless ``SARABAN_BACKUP_S3_ENDPOINT`` / ``_ACCESS_KEY`` / ``_SECRET_KEY`` say
    otherwise."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        from django.conf import settings

        from ..s3 import S3BlobStore

        env = os.environ
        common = dict(
            bucket=parsed.netloc, region=settings.SARABAN_S3_REGION,
            endpoint_url=env.get("SARABAN_BACKUP_S3_ENDPOINT") or settings.SARABAN_S3_ENDPOINT or None,
            access_key=env.get("SARABAN_BACKUP_S3_ACCESS_KEY") or settings.SARABAN_S3_ACCESS_KEY or None,
            secret_key=env.get("SARABAN_BACKUP_S3_SECRET_KEY") or settings.SARABAN_S3_SECRET_KEY or None,
            addressing=settings.SARABAN_S3_ADDRESSING,
            verify=settings.SARABAN_S3_CA_BUNDLE or settings.SARABAN_S3_VERIFY_TLS,
        )
        prefix = parsed.path.strip("/")
        base = f"{prefix}/" if prefix else ""
        return Target(url, S3BlobStore(prefix=base + "blobs", **common),  # type: ignore[arg-type]
                      S3Files(S3BlobStore(prefix=prefix, **common)))  # type: ignore[arg-type]
    if parsed.scheme not in ("", "file"):
        raise InvalidInput(f"ที่เก็บข้อมูลสำรองไม่รองรับ: {url} (ใช้ไดเรกทอรี หรือ s3://bucket/prefix)",
                           f"unsupported backup location {url} (a directory or s3://bucket/prefix)")
    root = Path(parsed.path if parsed.scheme == "file" else url).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    return Target(str(root), LocalBlobStore(root / "blobs"), DirFiles(root))


DESTROYED_DIR = "destroyed"  # names of files destroyed on purpose since (saraban.records.shred), one list per run


def record_destroyed(target: Target, names: list[str], run_id: str) -> None:
    """Note in ``target`` that these objects were deleted on purpose: checks and restores skip them."""
    target.files.write(f"{DESTROYED_DIR}/{run_id}.txt", ["".join(f"{n}\n" for n in names).encode()])


def destroyed_names(target: Target) -> set[str]:
    names: set[str] = set()
    for rel in target.files.listing(DESTROYED_DIR):
        names |= {line for line in b"".join(target.files.open(rel)).decode().splitlines() if line}
    return names
