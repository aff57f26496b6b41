"""The blob store on any S3-compatible object storage (boto3).

Objects are laid out as in the local store (``<prefix>ab/cd/<hex>``, ``<prefix>enc/ab/cd/<hex>``).  Small
objects go up in one ``PutObject``; larger ones as a multipart upload of ``SARABAN_S3_PART_MB`` parts
(default 8), so memory holds one part, never the file.  Every request body carries a ``Content-MD5`` that the
server checks (the checksum every S3-compatible service supports); the content's own SHA-256 is checked
again on every read by :mod:`saraban.storage.blobs`.  Reads stream in 1 MiB pieces.

S3 has neither locks nor conditional deletes, so a rolled-back write cannot tell whether a concurrent
transaction has just claimed the same object: :meth:`S3BlobStore.discard_if_unclaimed` leaves it, and
``saraban storage sweep`` removes objects no row names once they are older than a grace period.  A write
that finds an old unreferenced object refreshes its age first, so the sweep does not take it away.

We use boto3 directly rather than django-storages: the store needs names we choose, immutable
put-if-absent, multipart with per-part checksums, streaming reads and listing by prefix; django-storages'
``S3Storage`` wraps the same boto3 calls behind Django's file-name API (``get_available_name``, file objects)
that fits none of these and would only add a layer.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from .crypto import rechunk
from .errors import StorageFull, StorageUnavailable
from .interfaces import BlobInfo, layout, unlayout

READ_CHUNK = 1024 * 1024
REFRESH_AFTER = 600.0  # seconds: a claimed object older than this gets its age refreshed
FULL_CODES = {"QuotaExceeded", "EntityTooLarge", "InsufficientStorage"}


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _status(exc: Exception) -> int:
    return int(getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


class S3BlobStore:
    def __init__(self, *, bucket: str, endpoint_url: str | None = None, prefix: str = "", access_key: str | None = None,
                 secret_key: str | None = None, region: str = "us-east-1", part_size: int = 8 * 1024 * 1024,
                 addressing: str = "path", verify: bool | str = True) -> None:
        if part_size < 5 * 1024 * 1024:
            raise ValueError("S3 parts are at least 5 MiB")
        self.bucket, self.endpoint_url, self.region = bucket, endpoint_url, region
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.part_size = part_size
        self._auth = (access_key, secret_key)
        self._addressing, self._verify = addressing, verify
        self._client: Any = None
        self._pid = 0
        self._lock = threading.Lock()
        self._bucket_ready = False

    @classmethod
    def from_settings(cls) -> S3BlobStore:
        from django.conf import settings

        verify: bool | str = settings.SARABAN_S3_CA_BUNDLE or settings.SARABAN_S3_VERIFY_TLS
        return cls(bucket=settings.SARABAN_S3_BUCKET, endpoint_url=settings.SARABAN_S3_ENDPOINT or None,
                   prefix=settings.SARABAN_S3_PREFIX, access_key=settings.SARABAN_S3_ACCESS_KEY or None,
                   secret_key=settings.SARABAN_S3_SECRET_KEY or None, region=settings.SARABAN_S3_REGION,
                   part_size=int(settings.SARABAN_S3_PART_MB * 1024 * 1024),
                   addressing=settings.SARABAN_S3_ADDRESSING, verify=verify)

    @property
    def client(self) -> Any:
        """One boto3 client per process (made again after a fork; boto3 clients are thread-safe)."""
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                import boto3
                from botocore.config import Config

                self._client = boto3.client(
                    "s3", endpoint_url=self.endpoint_url, region_name=self.region,
                    aws_access_key_id=self._auth[0], aws_secret_access_key=self._auth[1], verify=self._verify,
                    config=Config(s3={"addressing_style": self._addressing}, retries={"max_attempts": 4,
                                  "mode": "standard"}, connect_timeout=10, read_timeout=120,
                                  request_checksum_calculation="when_required",
                                  response_checksum_validation="when_required", max_pool_connections=20),
                )
                self._pid = os.getpid()
            return self._client

    def key(self, name: str) -> str:
        return self.prefix + layout(name)

    def _errors(self, exc: Exception) -> Exception:
        """A coded error for a failed write (nothing was stored)."""
        if _code(exc) in FULL_CODES or _status(exc) == 507:
            return StorageFull(details={"s3": _code(exc)})
        return StorageUnavailable(details={"s3": _code(exc) or type(exc).__name__})

    def ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if _status(exc) != 404:
                raise
            try:
                self.client.create_bucket(Bucket=self.bucket)
            except ClientError as again:
                if _code(again) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
        self._bucket_ready = True

    def _head(self, name: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        except ClientError as exc:
            if _status(exc) == 404:
                return None
            raise

    def put(self, name: str, chunks: Iterable[bytes]) -> tuple[bool, object]:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.key(name)
        try:
            self.ensure_bucket()
            head = self._head(name)
            if head is not None:
                if time.time() - head["LastModified"].timestamp() > REFRESH_AFTER:
                    self._touch(key)
                return False, None
            etag = self._upload(key, chunks)
        except (ClientError, BotoCoreError) as exc:
            raise self._errors(exc) from exc
        return True, etag

    def _touch(self, key: str) -> None:
        """Give an existing object a new modification time (a server-side copy onto itself)."""
        self.client.copy_object(Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": key},
                                MetadataDirective="REPLACE", Metadata={"claimed": str(int(time.time()))})

    def _upload(self, key: str, chunks: Iterable[bytes]) -> str:
        parts = rechunk(chunks, self.part_size)
        held = [next(parts)]
        following = next(parts, None)
        if following is None:
            body = held.pop()
            return str(self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentMD5=_md5(body))["ETag"])
        held.append(following)
        del following
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        try:
            done = []
            number = 0
            while held:
                body = held.pop(0)  # at most two parts in memory: the one going up and the next
                number += 1
                answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=number,
                                                 Body=body, ContentMD5=_md5(body))
                del body
                done.append({"PartNumber": number, "ETag": answer["ETag"]})
                nxt = next(parts, None)
                if nxt is not None:
                    held.append(nxt)
                del nxt
            return str(self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": done})["ETag"])
        except BaseException:
            with contextlib.suppress(Exception):  # abandoned either way; a bucket lifecycle rule cleans it
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
            raise

    def open(self, name: str) -> Iterator[bytes]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"]
        except ClientError as exc:
            if _status(exc) == 404:
                raise FileNotFoundError(name) from None
            raise StorageUnavailable(details={"s3": _code(exc)}) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(details={"s3": type(exc).__name__}) from exc

        def pieces() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(READ_CHUNK)
            finally:
                body.close()

        return pieces()

    def info(self, name: str) -> BlobInfo:
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(name)
        return BlobInfo(size=int(head["ContentLength"]), modified=head["LastModified"].timestamp())

    def exists(self, name: str) -> bool:
        return self._head(name) is not None

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    def copy(self, source: str, target: str) -> None:
        if self.exists(target):
            return
        self.client.copy({"Bucket": self.bucket, "Key": self.key(source)}, self.bucket, self.key(target))

    # raw keys under the prefix (backups keep their database dumps and manifests beside the blobs)

    def put_key(self, key: str, chunks: Iterable[bytes]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.ensure_bucket()
            self._upload(self.prefix + key, chunks)
        except (ClientError, BotoCoreError) as exc:
            raise self._errors(exc) from exc

    def open_key(self, key: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        except ClientError as exc:
            if _status(exc) == 404:
                raise FileNotFoundError(key) from None
            raise
        return iter(body.iter_chunks(READ_CHUNK))

    def list_keys(self, under: str) -> Iterator[str]:
        """Keys under ``under`` (relative to the prefix)."""
        self.ensure_bucket()
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + under)
        for page in pages:
            for obj in page.get("Contents", []):
                yield obj["Key"][len(self.prefix):]

    def discard_if_unclaimed(self, name: str, token: object) -> None:
        """Left to ``saraban storage sweep`` (see the module's note)."""

    def names(self) -> Iterator[str]:
        self.ensure_bucket()
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for obj in page.get("Contents", []):
                name = unlayout(obj["Key"][len(self.prefix):])
                if name:
                    yield name
