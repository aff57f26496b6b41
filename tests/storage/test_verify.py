"""Finding damage: ``saraban storage verify`` checks every blob and records it; a damaged file read on the web or
through the API is a coded error and an audit event; a full disk is a coded error that leaves nothing behind;
the sweep removes orphans and leftover temporary files."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from saraban.audit.models import AuditEvent
from saraban.kernel.actions import undo_scope
from saraban.storage import blobs, maintenance
from saraban.storage.errors import StorageFull
from saraban.storage.local import LocalBlobStore
from saraban.storage.models import Blob


@pytest.fixture
def local(tmp_path: Path, file_keys: Any) -> Iterator[LocalBlobStore]:
    store = LocalBlobStore(tmp_path / "blobs")
    blobs.use(store)
    yield store
    blobs.use(None)


def _flip(path: Path) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0x20]))
    return data


@pytest.mark.django_db
def test_verify_finds_and_records_damage_and_its_repair(local: LocalBlobStore) -> None:
    plain = blobs.put(b"%PDF plain letter", "application/pdf")
    secret = blobs.put("ลับ: เนื้อหา".encode() * 50, "application/pdf", encrypted=True)
    gone = blobs.put(b"%PDF another", "application/pdf")
    original = _flip(local.path(secret.name))
    local.path(gone.name).unlink()
    local.put("e" * 64, [b"left by a failed write"])
    found = maintenance.verify_all()
    assert found.checked == 3 and found.damaged == {secret.pk: "corrupt", gone.pk: "missing"} and found.orphans == 1
    event = AuditEvent.objects.filter(action="storage.verify").latest("seq")
    assert event.data == {**event.data, "checked": 3, "corrupt": 1, "missing": 1, "orphans": 1,
                          "damaged_ids": sorted([secret.pk, gone.pk])}
    assert Blob.objects.get(pk=secret.pk).damage == "corrupt" and Blob.objects.get(pk=plain.pk).damage == ""
    with pytest.raises(SystemExit):
        call_command("storage", "verify")
    local.path(secret.name).write_bytes(original)  # restored from a backup
    blobs.put(b"%PDF another", "application/pdf")  # uploading the same content again puts it back
    found = maintenance.verify_all()
    assert found.ok and sorted(found.healed) == sorted([secret.pk, gone.pk])
    assert not Blob.objects.exclude(damage="").exists()


@pytest.fixture
def damaged_secret(org: Any, clock: Any, local: LocalBlobStore) -> Any:
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata
    from tests.fixtures import make_pdf, meta, user

    entry = register_incoming(user("secretary"), IncomingMetadata(**meta(secrecy="secret", their_ref="ลับ/7")),
                              Upload(make_pdf(variant=4), "secret.pdf"))
    original = entry.letter.files.get(role="letter")
    _flip(local.path(original.blob.name))
    return original


@pytest.mark.django_db
def test_a_damaged_file_on_the_web_is_a_thai_page_and_an_event(damaged_secret: Any) -> None:
    from tests.fixtures import user

    client = Client()
    client.force_login(user("secretary"))
    answer = client.get(f"/letters/{damaged_secret.letter_id}/files/{damaged_secret.pk}")
    assert answer.status_code == 503 and "text/html" in answer["Content-Type"]
    page = answer.content.decode()
    assert "ไฟล์นี้เสียหาย" in page and "blob_damaged" in page and "Traceback" not in page
    event = AuditEvent.objects.filter(action="storage.blob_damaged").latest("seq")
    assert event.object_id == str(damaged_secret.blob_id) and event.data == {"kind": "corrupt", "via": "read"}


@pytest.mark.django_db
def test_a_damaged_file_through_the_api_is_coded_json_and_an_event(damaged_secret: Any, api_for: Any) -> None:
    answer = api_for("secretary").get(f"/letters/{damaged_secret.letter_id}/files/{damaged_secret.pk}")
    assert answer.status_code == 503
    body = answer.json()
    assert body["code"] == "blob_damaged" and body["message_th"].startswith("ไฟล์นี้เสียหาย") and body["message_en"]
    assert AuditEvent.objects.filter(action="storage.blob_damaged", object_id=str(damaged_secret.blob_id)).exists()


class FullDisk(LocalBlobStore):
    """A local store whose disk is full: writes go to /dev/full, which answers every write with ENOSPC."""

    def _write_temporary(self, name: str, chunks: Any) -> Path:
        real = open  # the temporary file exists (so its removal is tested), but the bytes go to /dev/full
        tmp = self.root / "tmp" / f"{name.replace('/', '_')}.full"
        tmp.touch()
        try:
            with real("/dev/full", "wb") as fh:
                for piece in chunks:
                    fh.write(piece)
                fh.flush()
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise StorageFull(details={"errno": exc.errno}) from exc
            raise
        return tmp


@pytest.mark.django_db
def test_a_full_disk_is_a_coded_error_that_changes_nothing(tmp_path: Path, org: Any, clock: Any,
                                                           registrar_api: Any, file_keys: Any) -> None:
    from tests.fixtures import meta

    store = FullDisk(tmp_path / "full")
    blobs.use(store)
    try:
        events = AuditEvent.objects.count()
        answer = registrar_api.incoming(meta())
    finally:
        blobs.use(None)
    assert answer.status_code == 507 and answer.json()["code"] == "storage_full"
    assert AuditEvent.objects.count() == events and not Blob.objects.exists()
    assert list((tmp_path / "full" / "tmp").iterdir()) == [] and list(store.names()) == []


def test_the_real_write_path_cleans_up_on_enospc(tmp_path: Path) -> None:
    """LocalBlobStore itself: a write that fails removes its temporary file and says the disk is full."""
    store = LocalBlobStore(tmp_path / "b")

    def chunks() -> Iterator[bytes]:
        yield b"first piece"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(StorageFull):
        store.put("f" * 64, chunks())
    assert list((tmp_path / "b" / "tmp").iterdir()) == [] and not store.exists("f" * 64)


@pytest.mark.django_db
def test_the_sweep_removes_orphans_and_temporary_files_but_not_what_rows_name(local: LocalBlobStore) -> None:
    kept = blobs.put(b"%PDF referenced", "application/pdf")
    with pytest.raises(RuntimeError), undo_scope():
        blobs.stage(b"%PDF rolled back", "application/pdf")
        raise RuntimeError("the action failed")
    local.put("a" * 64, [b"orphan from a killed process"])
    stale = local.root / "tmp" / "leftover.123"
    stale.write_bytes(b"half a file")
    old = time.time() - 7 * 3600
    os.utime(local.path("a" * 64), (old, old))
    os.utime(stale, (old, old))
    young = local.root / "tmp" / "being-written.456"
    young.write_bytes(b"in progress")
    removed, temporary = maintenance.sweep()
    assert removed == ["a" * 64] and temporary == 1
    assert local.exists(kept.name) and young.exists() and not stale.exists()
    event = AuditEvent.objects.filter(action="storage.sweep").latest("seq")
    assert event.data == {"orphans": 1, "temporary": 1}
    assert maintenance.sweep() == ([], 0)  # nothing left: no event either
    assert AuditEvent.objects.filter(action="storage.sweep").count() == 1


class Recording(LocalBlobStore):
    """Records the directories it makes durable."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.synced: list[Path] = []

    def sync_dir(self, path: Path) -> None:
        self.synced.append(Path(path))
        super().sync_dir(path)


def test_directories_are_fsynced_after_a_rename(tmp_path: Path) -> None:
    store = Recording(tmp_path / "b")
    name = "9" * 64
    store.put(name, [b"x"])
    path = store.path(name)
    assert store.synced[-1] == path.parent  # after the rename
    assert {path.parent.parent, path.parent.parent.parent} <= set(store.synced)  # the new directories too
    store.delete(name)
    assert store.synced[-1] == path.parent
