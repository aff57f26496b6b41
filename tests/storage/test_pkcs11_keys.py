"""Master keys on a PKCS#11 token (SoftHSM2): wrapping, keyed names, rotation and re-wrapping, all on the token."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from saraban.signing.softhsm import create_token, softhsm_module
from saraban.storage import blobs, keys, maintenance
from saraban.storage.actions.keys import rotate_key
from saraban.storage.errors import KeyUnavailable
from saraban.storage.pkcs11keys import Pkcs11Keys

from .fakes import MemoryBlobStore

SECRET = "ลับมาก: รายงานการประชุมคณะกรรมการ".encode() * 30


def _reset_library(module: Path) -> None:
    """SoftHSM reads its configuration when the library is initialised: finalise it so that the next use
    (ours, or the signing tests' in this process) reads the configuration then in force."""
    import pkcs11

    loaded = pkcs11._loaded.get(str(module))  # type: ignore[attr-defined]
    if loaded is not None and loaded.initialized:
        loaded.finalize()


@pytest.fixture
def token_keys(tmp_path: Path) -> Iterator[Pkcs11Keys]:
    module = softhsm_module()
    if module is None:
        pytest.fail("SoftHSM2 is not installed (scripts/install.sh)")
    before = os.environ.get("SOFTHSM2_CONF")
    _reset_library(module)
    token = create_token(tmp_path / "hsm", "saraban-kms", pin="4321")
    installed = Pkcs11Keys(token.module, token.label, token.pin)
    keys.use(installed)
    yield installed
    keys.use(None)
    _reset_library(module)
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


def test_keys_stay_on_the_token(token_keys: Pkcs11Keys) -> None:
    from pkcs11 import Attribute, KeyType, ObjectClass

    assert token_keys.versions() == []
    token_keys.create(1)
    data_key = os.urandom(32)
    wrapped = token_keys.wrap(1, data_key)
    assert len(wrapped) == 40 and token_keys.unwrap(1, wrapped) == data_key  # RFC 3394, as the file keys
    with pytest.raises(ValueError):
        token_keys.unwrap(1, wrapped[:-1] + bytes([wrapped[-1] ^ 1]))
    with pytest.raises(KeyUnavailable):
        token_keys.wrap(2, data_key)
    name = token_keys.name_for("a" * 64)
    assert len(name) == 64 and name == token_keys.name_for("a" * 64) != token_keys.name_for("b" * 64)

    def attributes(session):  # type: ignore[no-untyped-def]
        key = session.get_key(object_class=ObjectClass.SECRET_KEY, key_type=KeyType.AES, label="saraban-master-1")
        return key[Attribute.SENSITIVE], key[Attribute.EXTRACTABLE]

    assert token_keys._with_session(attributes) == (True, False)


def test_a_wrong_pin_is_a_coded_error(token_keys: Pkcs11Keys) -> None:
    wrong = Pkcs11Keys(token_keys.module, token_keys.token_label, "0000")
    with pytest.raises(KeyUnavailable) as err:
        wrong.versions()
    assert err.value.code == "key_unavailable"


@pytest.mark.django_db
def test_classified_blobs_with_keys_on_the_token(token_keys: Pkcs11Keys, memory_store: MemoryBlobStore) -> None:
    blob = blobs.put(SECRET, "application/pdf", encrypted=True)
    assert token_keys.versions() == [1] and blob.key_version == 1
    assert SECRET[:30] not in memory_store.raw(blob.name) and blob.name == "enc/" + token_keys.name_for(blob.sha256)
    assert blobs.read(blob) == SECRET
    token_keys.create(2)
    rotate_key(None, 2)
    stored = memory_store.raw(blob.name)
    assert maintenance.rewrap_all() == 1
    blob.refresh_from_db()
    assert blob.key_version == 2 and memory_store.raw(blob.name) == stored and blobs.read(blob) == SECRET
    assert keys.fingerprint(token_keys, 2) != keys.fingerprint(token_keys, 1)
