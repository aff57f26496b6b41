"""The blob store contract: the local store, the S3 store (on a real S3 server) and the in-memory fake behave
alike, and a test installs the fake with ``blobs.use`` (no monkeypatching) so that every caller of
:mod:`saraban.storage.blobs` gets it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from saraban.kernel.actions import undo_scope
from saraban.storage import blobs
from saraban.storage.interfaces import BlobStore, layout, unlayout
from saraban.storage.local import LocalBlobStore

from .fakes import MemoryBlobStore

DATA = "หนังสือราชการ".encode()
KEY = hashlib.sha256(DATA).hexdigest()


@pytest.fixture(params=["local", "memory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    if request.param == "s3":
        return request.getfixturevalue("s3_store")
    return MemoryBlobStore()


@pytest.fixture
def fake() -> Iterator[MemoryBlobStore]:
    installed = MemoryBlobStore()
    blobs.use(installed)
    yield installed
    blobs.use(None)


def test_names_and_layout() -> None:
    assert layout(KEY) == f"{KEY[:2]}/{KEY[2:4]}/{KEY}"
    assert layout("enc/" + KEY) == f"enc/{KEY[:2]}/{KEY[2:4]}/{KEY}"
    assert unlayout(layout("enc/" + KEY)) == "enc/" + KEY and unlayout(layout(KEY)) == KEY
    for bad in ("../etc/passwd", KEY.upper(), KEY[:-1], "enc/../" + KEY, "tmp/" + KEY, ""):
        with pytest.raises(ValueError):
            layout(bad)
    assert unlayout(f"ab/cd/{KEY}") is None and unlayout("tmp/x") is None


@pytest.mark.parametrize("name", [KEY, "enc/" + KEY])
def test_put_open_info_exists_copy_delete(store: BlobStore, name: str) -> None:
    assert not store.exists(name)
    created, _ = store.put(name, [DATA[:5], DATA[5:]])
    assert created and store.exists(name) and b"".join(store.open(name)) == DATA
    assert store.info(name).size == len(DATA)
    assert list(store.names()) == [name]
    other = "enc/" + "0" * 64
    store.copy(name, other)
    assert b"".join(store.open(other)) == DATA and sorted(store.names()) == sorted([name, other])
    store.delete(name)
    store.delete(name)  # deleting what is not there is no error
    assert not store.exists(name) and list(store.names()) == [other]
    with pytest.raises(FileNotFoundError):
        store.open(name)
    with pytest.raises(FileNotFoundError):
        store.info(name)


def test_an_existing_object_is_never_overwritten(store: BlobStore) -> None:
    store.put(KEY, [DATA])
    consumed = []

    def chunks() -> Iterator[bytes]:
        consumed.append(True)
        yield b"something else"

    created, _ = store.put(KEY, chunks())
    assert not created and not consumed and b"".join(store.open(KEY)) == DATA


def test_an_empty_object(store: BlobStore) -> None:
    empty = hashlib.sha256(b"").hexdigest()
    assert store.put(empty, [])[0] and b"".join(store.open(empty)) == b"" and store.info(empty).size == 0


@pytest.mark.parametrize("kind", ["local", "memory"])
def test_a_repeat_claims_the_blob(kind: str, tmp_path: Path) -> None:
    """Stores that can tell keep an object a later write claimed (S3 cannot: it leaves undo to the sweep)."""
    store: BlobStore = LocalBlobStore(tmp_path / "b") if kind == "local" else MemoryBlobStore()
    created, first = store.put(KEY, [DATA])
    again, second = store.put(KEY, [DATA])
    assert created and not again
    store.discard_if_unclaimed(KEY, first)  # claimed since: stays
    assert store.exists(KEY)
    store.discard_if_unclaimed(KEY, second)
    assert not store.exists(KEY)
    store.discard_if_unclaimed(KEY, second)  # already gone: no error


def test_an_installed_store_is_the_one_used(fake: MemoryBlobStore) -> None:
    assert blobs.store() is fake
    with pytest.raises(RuntimeError), undo_scope():
        staged = blobs.stage(DATA, "text/plain")
        assert b"".join(fake.open(staged.name)) == DATA
        raise RuntimeError("the action failed")
    assert list(fake.names()) == []  # the undo went to the installed store
    blobs.use(None)
    assert isinstance(blobs.store(), LocalBlobStore)


@pytest.mark.django_db
def test_put_and_read_through_the_installed_store(fake: MemoryBlobStore, file_keys) -> None:
    blob = blobs.put(DATA, "text/plain", encrypted=True)
    assert list(fake.names()) == [blob.name] and blob.name.startswith("enc/") and blobs.read(blob) == DATA
