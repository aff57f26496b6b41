"""The manifest of a backup snapshot: what it holds, with hashes, as canonical JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "saraban-backup/1"


@dataclass
class BlobEntry:
    name: str
    stored_sha256: str  # of the bytes as stored (ciphertext for encrypted blobs): checkable without keys
    size: int

    def line(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")).encode() + b"\n"


@dataclass
class Manifest:
    snapshot: str
    created_at: str
    vendor: str
    database: dict[str, Any]  # file, sha256 (plain dump), size, stored_sha256, key_version, wrapped_key (base64)
    audit: dict[str, Any]  # seq, hash: the head of the audit chain in the snapshot
    counts: dict[str, int]  # rows per table
    blobs: dict[str, Any]  # file, sha256, count, bytes, damaged, missing
    keys: dict[str, Any]  # current version, fingerprints of the versions the blobs and the dump need
    saraban_version: str = ""
    format: str = FORMAT
    notes: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, indent=1).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError(f"not a Saraban backup manifest ({raw.get('format')!r})")
        return cls(**raw)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_blob_lines(data: bytes) -> list[BlobEntry]:
    return [BlobEntry(**json.loads(line)) for line in data.splitlines() if line.strip()]
