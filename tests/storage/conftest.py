"""Fixtures for the blob stores, keys and backups.

The S3 tests run against a real S3-compatible server: OpenStack Swift with s3api (``scripts/s3.sh``).
``scripts/test.sh`` starts one and exports ``SARABAN_TEST_S3`` (``http://ACCESS:SECRET@host:port``); without it
the first test that needs S3 starts a private one for the session.  Each test gets its own bucket.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from saraban.storage import blobs, keys
from saraban.storage.keys import FileKeys
from saraban.storage.s3 import S3BlobStore

from .fakes import MemoryBlobStore

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def s3_url() -> Iterator[str]:
    """The URL of a running S3 server (``SARABAN_TEST_S3``, or one started here)."""
    given = os.environ.get("SARABAN_TEST_S3")
    if given:
        yield given
        return
    if shutil.which("swift-proxy-server") is None:
        pytest.fail("no S3 server: set SARABAN_TEST_S3 or install Swift (scripts/install.sh)")
    directory = Path(tempfile.mkdtemp(prefix="saraban-s3-"))  # not under pytest's 0700 tree: Swift runs as `swift`
    directory.chmod(0o755)
    port = _free_port()  # the script uses port .. port+4
    out = subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "start", str(directory), str(port)],
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        pytest.fail(f"could not start Swift: {out.stderr[-2000:]}")
    try:
        yield out.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "stop", str(directory)], timeout=60)
        shutil.rmtree(directory, ignore_errors=True)


def s3_settings(url: str) -> dict[str, str]:
    parsed = urlparse(url)
    return {"endpoint_url": f"{parsed.scheme}://{parsed.hostname}:{parsed.port}",
            "access_key": unquote(parsed.username or ""), "secret_key": unquote(parsed.password or "")}


@pytest.fixture
def s3_store(s3_url: str) -> Iterator[S3BlobStore]:
    """A store on a fresh bucket of the real S3 server (emptied and removed afterwards)."""
    store = S3BlobStore(bucket=f"t-{uuid.uuid4().hex[:20]}", prefix="blobs", part_size=5 * 1024 * 1024,
                        **s3_settings(s3_url))
    store.ensure_bucket()
    yield store
    client = store.client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket):
        for obj in page.get("Contents", []):
            client.delete_object(Bucket=store.bucket, Key=obj["Key"])
    for up in client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []):
        client.abort_multipart_upload(Bucket=store.bucket, Key=up["Key"], UploadId=up["UploadId"])
    client.delete_bucket(Bucket=store.bucket)


@pytest.fixture
def file_keys(tmp_path: Path) -> Iterator[FileKeys]:
    """File master keys in a private directory, installed for every caller."""
    installed = FileKeys(tmp_path / "keys")
    keys.use(installed)
    yield installed
    keys.use(None)


@pytest.fixture
def memory_store() -> Iterator[MemoryBlobStore]:
    installed = MemoryBlobStore()
    blobs.use(installed)
    yield installed
    blobs.use(None)
