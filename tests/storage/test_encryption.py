"""Encryption at rest: envelopes that stream, keyed names, key versions, rotation and re-wrapping, old blobs."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from saraban.audit.models import AuditEvent
from saraban.kernel.errors import InvalidInput
from saraban.storage import blobs, crypto, keys, maintenance
from saraban.storage.actions.keys import rotate_key
from saraban.storage.errors import BlobDamaged, KeyUnavailable
from saraban.storage.keys import FileKeys
from saraban.storage.models import Blob, Scheme

from .fakes import MemoryBlobStore

SECRET = "ลับ: แผนการย้ายศูนย์ข้อมูลของกระทรวง ".encode() * 40
SHA = hashlib.sha256(SECRET).hexdigest()


def _envelope(data: bytes, chunk: int) -> tuple[bytes, bytes]:
    key = secrets.token_bytes(32)
    header = crypto.Header.new(3, b"w" * 40, chunk=chunk)
    return key, b"".join(crypto.encrypt_stream(key, header, hashlib.sha256(data).hexdigest(), [data]))


def _open(stored: bytes, sha: str, key: bytes, piece: int = 7) -> bytes:
    return b"".join(crypto.decrypt_stream([stored[i:i + piece] for i in range(0, len(stored), piece)], sha,
                                          lambda _h: key))


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300), chunk=st.integers(16, 64), piece=st.integers(1, 90))
def test_envelopes_round_trip_whatever_the_chunking(data: bytes, chunk: int, piece: int) -> None:
    key, stored = _envelope(data, chunk)
    assert len(stored) == crypto.encrypted_size(len(data), len(crypto.Header.parse(stored).raw), chunk)
    assert _open(stored, hashlib.sha256(data).hexdigest(), key, piece) == data


@pytest.mark.parametrize("attack", ["flip", "truncate", "drop_last", "swap", "header", "other_content"])
def test_any_change_to_an_envelope_is_refused(attack: str) -> None:
    data = bytes(range(256)) * 3  # 768 bytes: 12 chunks of 64
    key, stored = _envelope(data, 64)
    sha = hashlib.sha256(data).hexdigest()
    head = len(crypto.Header.parse(stored).raw)
    frame = 64 + 16
    body = stored[head:]
    changed = {
        "flip": stored[:-5] + bytes([stored[-5] ^ 1]) + stored[-4:],
        "truncate": stored[:-1],
        "drop_last": stored[: head + frame * 11],  # a whole chunk less: the new last one lacks the last flag
        "swap": stored[:head] + body[frame:2 * frame] + body[:frame] + body[2 * frame:],
        "header": stored[:8] + bytes([stored[8] ^ 1]) + stored[9:],
        "other_content": stored,
    }[attack]
    with pytest.raises(crypto.DecryptError):
        _open(changed, hashlib.sha256(b"x").hexdigest() if attack == "other_content" else sha, key)


@pytest.mark.django_db
def test_classified_content_is_neither_plaintext_nor_named_by_its_hash(memory_store: MemoryBlobStore,
                                                                      file_keys: FileKeys) -> None:
    blob = blobs.put(SECRET, "application/pdf", encrypted=True)
    raw = memory_store.raw(blob.name)
    assert SECRET[:40] not in raw and SHA not in blob.name and blob.name == "enc/" + file_keys.name_for(SHA)
    assert blob.scheme == Scheme.ENVELOPE and blob.key_version == 1 and blob.wrapped_key
    assert bytes(Blob.objects.get(pk=blob.pk).wrapped_key) == blob.wrapped_key
    assert blobs.read(blob) == SECRET
    again = blobs.put(SECRET, "application/pdf", encrypted=True)
    assert again.pk == blob.pk and list(memory_store.names()) == [blob.name]  # stored once
    plain = blobs.put(SECRET, "application/pdf")
    assert plain.name == SHA and memory_store.raw(SHA) == SECRET and plain.pk != blob.pk


@pytest.mark.django_db
def test_a_concurrent_writer_of_the_same_secret_uses_the_stored_objects_key(memory_store, file_keys) -> None:
    first = blobs.stage(SECRET, "application/pdf", encrypted=True)  # not recorded yet: no row to find
    second = blobs.stage(SECRET, "application/pdf", encrypted=True)
    assert (second.name, second.wrapped_key) == (first.name, first.wrapped_key)
    assert blobs.read(blobs.record(second)) == SECRET


@pytest.mark.django_db
@override_settings(SARABAN_ENCRYPT_ALL=True)
def test_encrypt_all_encrypts_ordinary_content_too(memory_store, file_keys) -> None:
    blob = blobs.put(b"ordinary letter", "application/pdf")
    assert blob.encrypted and blob.name.startswith("enc/") and b"ordinary" not in memory_store.raw(blob.name)
    assert blobs.read(blob) == b"ordinary letter"


@pytest.mark.django_db
def test_rotation_and_rewrap_keep_everything_readable_and_the_ciphertext_untouched(memory_store, file_keys,
                                                                                  tmp_path: Path) -> None:
    old = blobs.put(SECRET, "application/pdf", encrypted=True)
    stored_before = memory_store.raw(old.name)
    file_keys.create(2)
    rotate_key(None, 2)
    assert keys.current_version() == 2
    new = blobs.put(b"written after the rotation", "text/plain", encrypted=True)
    assert new.key_version == 2 and blobs.read(old) == SECRET  # the old version still reads
    assert maintenance.rewrap_all() == 1
    old.refresh_from_db()
    assert old.key_version == 2 and memory_store.raw(old.name) == stored_before  # same bytes at rest
    (tmp_path / "keys" / "master-1.key").unlink()
    keys.use(FileKeys(tmp_path / "keys"))  # a fresh process: version 1 is gone
    assert blobs.read(old) == SECRET and blobs.read(new) == b"written after the rotation"
    events = list(AuditEvent.objects.filter(action__in=["storage.rotate_key", "storage.rewrap"]).order_by("seq"))
    assert [e.action for e in events] == ["storage.rotate_key", "storage.rewrap"]
    assert events[0].data["version"] == 2 and events[1].data == {**events[1].data, "to": 2, "count": 1}


@pytest.mark.django_db
def test_a_missing_key_gives_a_coded_error(memory_store, file_keys, tmp_path: Path) -> None:
    blob = blobs.put(SECRET, "application/pdf", encrypted=True)
    (tmp_path / "keys" / "master-1.key").unlink()
    keys.use(FileKeys(tmp_path / "keys"))
    with pytest.raises(KeyUnavailable) as err:
        blobs.read(blob)
    assert err.value.code == "key_unavailable" and err.value.status == 503
    with pytest.raises(KeyUnavailable):  # a lost first key is reported, never silently made again
        blobs.put(b"another secret", "application/pdf", encrypted=True)
    assert not (tmp_path / "keys" / "master-1.key").exists()
    with pytest.raises(InvalidInput, match="must be above"):
        rotate_key(None, 1)


@pytest.mark.django_db
def test_a_tampered_blob_is_refused_and_recorded(memory_store, file_keys) -> None:
    secret = blobs.put(SECRET, "application/pdf", encrypted=True)
    plain = blobs.put(b"plain letter", "application/pdf")
    raw = memory_store.raw(secret.name)
    memory_store.tamper(secret.name, raw[:-3] + b"xyz")
    memory_store.tamper(plain.name, b"plain lettex")
    for blob in (secret, plain):
        with pytest.raises(BlobDamaged) as err:
            blobs.read(blob)
        assert err.value.code == "blob_damaged" and err.value.status == 503
    memory_store.delete(plain.name)
    with pytest.raises(BlobDamaged) as err:
        blobs.read(plain)
    assert err.value.code == "blob_missing"
    events = [(e.object_id, e.data["kind"]) for e in AuditEvent.objects.filter(action="storage.blob_damaged")]
    assert events == [(str(secret.pk), "corrupt"), (str(plain.pk), "corrupt"), (str(plain.pk), "missing")]
    assert Blob.objects.get(pk=plain.pk).damage == "missing"


@pytest.mark.django_db
def test_content_streams_in_pieces(memory_store, file_keys) -> None:
    data = secrets.token_bytes(3 * crypto.CHUNK + 5)
    blob = blobs.put(data, "application/octet-stream", encrypted=True)
    pieces = list(blobs.stream(blob))
    assert len(pieces) == 4 and b"".join(pieces) == data


def _legacy_blob(store: MemoryBlobStore, key_dir: Path, data: bytes) -> Blob:
    """A blob as the scheme before envelopes stored it: HKDF key from keys/master.key, named by its hash."""
    master = crypto.load_legacy_key(key_dir, create=True)
    assert master is not None
    sha = hashlib.sha256(data).hexdigest()
    store.put("enc/" + sha, [crypto.legacy_encrypt(crypto.legacy_data_key(master, sha), sha, data)])
    from saraban.kernel import clock

    return Blob.objects.create(sha256=sha, encrypted=True, size=len(data), content_type="application/pdf",
                               created_at=clock.now(), name="enc/" + sha, scheme=Scheme.LEGACY, key_version=0)


@pytest.mark.django_db
def test_old_encrypted_blobs_stay_readable_and_move_to_envelope_keys(memory_store, file_keys, tmp_path: Path,
                                                                     django_capture_on_commit_callbacks) -> None:
    with override_settings(SARABAN_KEY_DIR=tmp_path / "keys"):
        old = _legacy_blob(memory_store, tmp_path / "keys", SECRET)
        stored = memory_store.raw(old.name)
        assert blobs.read(old) == SECRET
        assert maintenance.key_status()["legacy_unwrapped"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert maintenance.rewrap_all() == 1
        old.refresh_from_db()
        assert old.key_version == 1 and old.scheme == Scheme.LEGACY and SHA not in old.name
        assert list(memory_store.names()) == [old.name] and memory_store.raw(old.name) == stored
        (tmp_path / "keys" / "master.key").unlink()  # no longer needed: the derived key is wrapped now
        assert blobs.read(old) == SECRET
        again = blobs.put(SECRET, "application/pdf", encrypted=True)
        assert again.pk == old.pk  # the same content still finds its row


@pytest.mark.usefixtures("committed_db")  # flushed afterwards; tests/conftest.py puts the holidays back
def test_the_migration_keeps_existing_rows_pointing_at_their_objects() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("storage", "0001_initial")])
    table = connection.ops.quote_name("storage_blob")
    with connection.cursor() as cur:
        for sha, enc in (("a" * 64, False), ("b" * 64, True)):
            cur.execute(f"INSERT INTO {table} (sha256, encrypted, size, content_type, created_at) "
                        "VALUES (%s, %s, 1, 'application/pdf', '2026-01-01T00:00:00+00:00')", [sha, enc])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {b.sha256[0]: (b.name, b.scheme, b.key_version) for b in Blob.objects.all()}
    assert rows == {"a": ("a" * 64, Scheme.PLAIN, None), "b": ("enc/" + "b" * 64, Scheme.LEGACY, 0)}
    Blob.objects.all().delete()


def test_env_keys_need_a_names_key_and_cannot_be_made_here(tmp_path: Path) -> None:
    given = FileKeys(tmp_path, {1: b"k" * 32}, names_key=b"n" * 32)
    assert given.versions() == [1] and given.unwrap(1, given.wrap(1, b"d" * 32)) == b"d" * 32
    with pytest.raises(KeyUnavailable):
        given.create(2)
    with pytest.raises(KeyUnavailable):
        given.wrap(2, b"d" * 32)
    with pytest.raises(ValueError):
        given.unwrap(1, b"x" * 40)
    assert keys.fingerprint(given, 1) == keys.fingerprint(FileKeys(tmp_path, {1: b"k" * 32}, b"n" * 32), 1)


@pytest.mark.django_db
def test_small_secrets_are_sealed_under_master_key_versions(file_keys: FileKeys, tmp_path: Path) -> None:
    """Mailbox passwords: sealed with the current master key version; the format before versions still opens."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from saraban.mail import credentials

    sealed = credentials.seal("รหัสผ่าน-1234", "7:imap")
    assert sealed.startswith("mk2:1:") and "1234" not in sealed
    assert credentials.unseal(sealed, "7:imap") == "รหัสผ่าน-1234"
    with pytest.raises(credentials.SecretUnreadable):
        credentials.unseal(sealed, "8:imap")  # another account's row
    file_keys.create(2)
    rotate_key(None, 2)
    assert credentials.seal("x", "7:smtp").startswith("mk2:2:") and credentials.unseal(sealed, "7:imap")
    with override_settings(SARABAN_KEY_DIR=tmp_path / "old-keys"):
        master = crypto.load_legacy_key(tmp_path / "old-keys", create=True)
        assert master is not None
        nonce = b"n" * 12
        old = "mk1:" + base64.b64encode(nonce + AESGCM(credentials._legacy_key()).encrypt(
            nonce, b"old secret", b"7:imap")).decode()
        assert credentials.unseal(old, "7:imap") == "old secret"
