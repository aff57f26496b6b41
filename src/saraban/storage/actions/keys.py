"""Master key rotation and moving data keys to the current version (``saraban keys``)."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action, on_rollback
from saraban.kernel.errors import InvalidInput

from .. import blobs, crypto, keys
from ..models import Blob, KeyVersion, Scheme


@action("storage.rotate_key")
def rotate_key(actor: Any, version: int) -> KeyVersion:
    """Make master key ``version`` (already present in the key source) the one new data keys are wrapped with."""
    master = keys.master_keys()
    current = keys.current_version()
    if version <= current:
        raise InvalidInput(f"รุ่นกุญแจใหม่ต้องมากกว่ารุ่นปัจจุบัน ({current})",
                           f"The new key version must be above the current one ({current})")
    row = KeyVersion.objects.create(version=version, kms=master.kind, fingerprint=keys.fingerprint(master, version),
                                    activated_at=clock.now())
    audit.record("storage.rotate_key", actor=actor, object_type="storage.keyversion", object_id=str(version),
                 data={"version": version, "previous": current, "kms": master.kind, "fingerprint": row.fingerprint})
    return row


@action("storage.rewrap")
def rewrap(actor: Any, batch: list[Blob], to_version: int) -> int:
    """Wrap the data keys of ``batch`` with master key ``to_version``; the ciphertext stays as it is.

    Blobs of the old scheme (key derived from ``keys/master.key``, named by their plain SHA-256) also get
    their derived key wrapped, and their object a keyed name: copied there, the old name removed once this
    transaction commits.
    """
    master = keys.master_keys()
    store = blobs.store()
    moved: list[str] = []
    before: Counter[str] = Counter()
    for blob in batch:
        before[str(blob.key_version)] += 1
        wrapped = master.wrap(to_version, blobs.data_key_of(blob))
        fields: dict[str, Any] = {"key_version": to_version, "wrapped_key": wrapped}
        if blob.scheme == Scheme.LEGACY and blob.name == "enc/" + blob.sha256:
            target = "enc/" + master.name_for(blob.sha256)
            store.copy(blob.name, target)
            on_rollback(functools.partial(store.delete, target))
            moved.append(blob.name)
            fields["name"] = target
        Blob.objects.filter(pk=blob.pk, key_version=blob.key_version).update(**fields)
    for old in moved:
        transaction.on_commit(functools.partial(store.delete, old))
    audit.record("storage.rewrap", actor=actor, object_type="storage.keyversion", object_id=str(to_version), data={
        "to": to_version, "count": len(batch), "from": dict(before), "renamed": len(moved),
        "legacy_key": bool(moved) and crypto.load_legacy_key(settings.SARABAN_KEY_DIR) is not None,
    })
    return len(batch)
