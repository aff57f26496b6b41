"""The blob store on a real S3-compatible server (Swift + s3api): store, read, stream 200 MB without holding it,
delete; checksums the server enforces; classified bytes at rest; downloads through the API that stream and still
pass the access checks and the classified-read log."""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import tracemalloc
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError
from django.test import override_settings

from saraban.audit.models import AuditEvent
from saraban.storage import blobs
from saraban.storage.errors import BlobDamaged, StorageUnavailable
from saraban.storage.s3 import S3BlobStore

MB = 1024 * 1024


@pytest.fixture
def on_s3(s3_store: S3BlobStore, file_keys) -> Iterator[S3BlobStore]:  # type: ignore[no-untyped-def]
    blobs.use(s3_store)
    yield s3_store
    blobs.use(None)


def _raw(store: S3BlobStore, name: str) -> bytes:
    return store.client.get_object(Bucket=store.bucket, Key=store.key(name))["Body"].read()


def test_the_server_checks_every_part(s3_store: S3BlobStore) -> None:
    """Content-MD5 is sent with every request body, and a body that does not match it is refused."""
    body = b"x" * 1000
    wrong = base64.b64encode(hashlib.md5(b"y" * 1000).digest()).decode()
    with pytest.raises(ClientError) as err:
        s3_store.client.put_object(Bucket=s3_store.bucket, Key="blobs/probe", Body=body, ContentMD5=wrong)
    assert err.value.response["Error"]["Code"] == "BadDigest"
    created, etag = s3_store.put("c" * 64, [os.urandom(12 * MB)])  # 5 MiB parts: a multipart upload
    assert created and str(etag).strip('"').endswith("-3")


@pytest.mark.django_db
def test_store_read_delete(on_s3: S3BlobStore) -> None:
    blob = blobs.put("หนังสือปกติ".encode(), "text/plain")
    assert _raw(on_s3, blob.name) == "หนังสือปกติ".encode() and blobs.read(blob) == "หนังสือปกติ".encode()
    on_s3.delete(blob.name)
    with pytest.raises(BlobDamaged) as err:
        blobs.read(blob)
    assert err.value.code == "blob_missing"


@pytest.mark.django_db
@pytest.mark.parametrize("classified", [False, True], ids=["plain", "secret"])
def test_a_200_mb_file_streams_in_and_out_without_being_held(on_s3: S3BlobStore, classified: bool) -> None:
    size = 200 * MB
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as fh:
        for _ in range(size // MB):
            piece = os.urandom(MB)
            digest.update(piece)
            fh.write(piece)
        tracemalloc.start()
        try:
            staged = blobs.stage_file(fh, "application/octet-stream", encrypted=classified)
            blob = blobs.record(staged)
            _, peak_in = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            back, count = hashlib.sha256(), 0
            for piece in blobs.stream(blob):
                back.update(piece)
                count += len(piece)
            _, peak_out = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert staged.sha256 == digest.hexdigest() and back.hexdigest() == digest.hexdigest() and count == size
    assert peak_in < 40 * MB and peak_out < 16 * MB, (peak_in / MB, peak_out / MB)
    head = on_s3.client.head_object(Bucket=on_s3.bucket, Key=on_s3.key(blob.name))
    assert head["ETag"].strip('"').endswith("-40" if not classified else "-41")  # 5 MiB parts
    if classified:  # at rest: the name does not give the hash away, and the bytes are not the content
        assert blob.name.startswith("enc/") and staged.sha256 not in blob.name
        body = on_s3.client.get_object(Bucket=on_s3.bucket, Key=on_s3.key(blob.name), Range="bytes=0-1048575")
        assert body["Body"].read()[:4] == b"SBE2" and head["ContentLength"] > size


@pytest.mark.django_db
def test_a_secret_files_bytes_at_rest_are_not_its_plaintext(on_s3: S3BlobStore) -> None:
    secret = ("ลับ: " + "แผนป้องกันภัยพิบัติของกระทรวง " * 200).encode()
    blob = blobs.put(secret, "application/pdf", encrypted=True)
    stored = _raw(on_s3, blob.name)
    assert secret[:60] not in stored and "แผนป้องกัน".encode() not in stored
    assert hashlib.sha256(secret).hexdigest() not in blob.name
    assert all(hashlib.sha256(secret).hexdigest() not in key for key in on_s3.list_keys(""))
    assert blobs.read(blob) == secret


def test_an_unreachable_server_is_a_coded_error() -> None:
    store = S3BlobStore(bucket="nowhere", endpoint_url="http://127.0.0.1:9", access_key="a", secret_key="b")
    with pytest.raises(StorageUnavailable) as err:
        store.put("d" * 64, [b"data"])
    assert err.value.code == "storage_unavailable" and err.value.status == 503


@pytest.mark.django_db
@override_settings(SARABAN_STREAM_OVER_MB=0)
def test_downloads_stream_through_the_api_after_the_access_check(on_s3, org, clock, api_for) -> None:
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata
    from tests.fixtures import make_pdf, meta, user

    pdf = make_pdf(variant=5)
    entry = register_incoming(user("secretary"), IncomingMetadata(**meta(secrecy="secret", their_ref="ลับ/9")),
                              Upload(pdf, "secret.pdf"))
    original = entry.letter.files.get(role="letter")
    assert pdf not in _raw(on_s3, original.blob.name)
    path = f"/letters/{entry.letter.pk}/files/{original.pk}"
    reads = AuditEvent.objects.filter(action="letter.read_classified").count()
    answer = api_for("secretary").get(path)
    assert answer.status_code == 200 and answer.streaming
    assert b"".join(answer.streaming_content) == pdf and answer["X-Content-SHA256"] == original.blob.sha256
    assert AuditEvent.objects.filter(action="letter.read_classified").count() == reads + 1
    refused = api_for("registrar").get(path)  # not cleared for ลับ
    assert refused.status_code in (403, 404) and not getattr(refused, "streaming", False)
