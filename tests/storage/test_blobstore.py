"""The blob store contract: the local store and the in-memory fake behave alike, and a test installs the fake
with ``blobs.use`` (no monkeypatching) so that every caller of :mod:`saraban.storage.blobs` gets it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from saraban.kernel.actions import undo_scope
from saraban.storage import blobs
from saraban.storage.interfaces import BlobStore
from saraban.storage.local import LocalBlobStore

from .fakes import MemoryBlobStore

DATA = "หนังสือราชการ".encode()
KEY = hashlib.sha256(DATA).hexdigest()


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs", tmp_path / "keys")
    return MemoryBlobStore()


@pytest.fixture
def fake() -> Iterator[MemoryBlobStore]:
    installed = MemoryBlobStore()
    blobs.use(installed)
    yield installed
    blobs.use(None)


@pytest.mark.parametrize("encrypted", [False, True])
def test_put_get_exists_delete(store: BlobStore, encrypted: bool) -> None:
    assert not store.exists(KEY, encrypted=encrypted)
    created, _ = store.put(KEY, DATA, encrypted=encrypted)
    assert created and store.exists(KEY, encrypted=encrypted) and store.get(KEY, encrypted=encrypted) == DATA
    assert not store.exists(KEY, encrypted=not encrypted)  # the plain and the encrypted copy are two blobs
    assert store.keys() == [(KEY, encrypted)]
    store.delete(KEY, encrypted=encrypted)
    store.delete(KEY, encrypted=encrypted)  # deleting what is not there is no error
    assert not store.exists(KEY, encrypted=encrypted) and store.keys() == []
    with pytest.raises(FileNotFoundError):
        store.get(KEY, encrypted=encrypted)


def test_put_is_idempotent_and_a_repeat_claims_the_blob(store: BlobStore) -> None:
    created, first = store.put(KEY, DATA, encrypted=False)
    again, second = store.put(KEY, DATA, encrypted=False)
    assert created and not again and store.get(KEY, encrypted=False) == DATA
    store.discard_if_unclaimed(KEY, encrypted=False, token=first)  # claimed since: stays
    assert store.exists(KEY, encrypted=False)
    store.discard_if_unclaimed(KEY, encrypted=False, token=second)
    assert not store.exists(KEY, encrypted=False)
    store.discard_if_unclaimed(KEY, encrypted=False, token=second)  # already gone: no error


def test_an_installed_store_is_the_one_used(fake: MemoryBlobStore) -> None:
    assert blobs.store() is fake
    with pytest.raises(RuntimeError), undo_scope():
        staged = blobs.stage(DATA, "text/plain")
        assert fake.get(staged.sha256, encrypted=False) == DATA
        raise RuntimeError("the action failed")
    assert fake.keys() == []  # the undo went to the installed store
    blobs.use(None)
    assert isinstance(blobs.store(), LocalBlobStore)


@pytest.mark.django_db
def test_put_and_read_through_the_installed_store(fake: MemoryBlobStore) -> None:
    blob = blobs.put(DATA, "text/plain", encrypted=True)
    assert fake.keys() == [(KEY, True)] and blobs.read(blob) == DATA
