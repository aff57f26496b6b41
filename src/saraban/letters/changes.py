"""Letters whose searchable content changed: an explicit extension point, not a Django signal.

Code that writes what a letter is found by (its register fields, files, endorsements, instructions,
generated text) calls :func:`touch` with the letter's id.  At the end of the running action, still inside
its transaction, :data:`changed` fires once with every letter touched, and the search index (connected in
``saraban.search``'s ``AppConfig.ready``) rewrites their entries: the index commits or rolls back with the
data, so a crash never leaves it stale.  Outside an action (scripts, data loads) the hook fires at once;
``saraban search check`` finds anything such a write missed and ``saraban search reindex`` repairs it.
"""

from __future__ import annotations

import uuid
from typing import Any

from saraban.kernel.actions import before_commit
from saraban.kernel.hooks import Hook

changed = Hook("letters.changed", "Letters whose searchable content changed in this action: letter_ids=")


class _Batch:
    """The letters touched during one action, announced once at its end."""

    def __init__(self) -> None:
        self.ids: set[uuid.UUID] = set()

    def __call__(self) -> None:
        ids, self.ids = self.ids, set()
        if ids:
            changed.fire(letter_ids=ids)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def touch(*letter_ids: Any) -> None:
    """Say that these letters' searchable content changed (call it from inside the writing action)."""
    ids = {_as_uuid(i) for i in letter_ids if i is not None}
    if not ids:
        return
    batch = _Batch()
    running = before_commit("letters.changed", batch)
    (running or batch).ids.update(ids)
    if running is None:
        batch()
