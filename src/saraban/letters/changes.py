"""Letters whose searchable content changed: an explicit extension point, not a Django signal.

Code that writes what a letter is found by (its register fields, files, endorsements, instructions,
generated text) calls :func:`touch` with the letter's id.  At the end of the running action, still inside
its transaction, :data:`changed` fires once with every letter touched.  The search index (connected in
``saraban.search``'s ``AppConfig.ready``) marks their rows as behind in that transaction, so the mark commits
or rolls back with the data, and rewrites the rows right after the commit (``at_once`` letters, such as
one just made secret, inside it).  Outside an action (scripts, data loads) the hook fires at once;
``saraban search check`` finds anything such a write missed and ``saraban search reindex`` repairs it.
"""

from __future__ import annotations

import uuid
from typing import Any

from saraban.kernel.actions import before_commit
from saraban.kernel.hooks import Hook

changed = Hook("letters.changed", "Letters whose searchable content changed in this action: letter_ids=, "
                                   "at_once= (those whose index must follow inside the transaction)")


class _Batch:
    """The letters touched during one action, announced once at its end."""

    def __init__(self) -> None:
        self.ids: set[uuid.UUID] = set()
        self.at_once: set[uuid.UUID] = set()

    def __call__(self) -> None:
        ids, self.ids = self.ids, set()
        at_once, self.at_once = self.at_once, set()
        if ids:
            changed.fire(letter_ids=ids, at_once=at_once)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def touch(*letter_ids: Any, at_once: bool = False) -> None:
    """Say that these letters' searchable content changed (call it from inside the writing action).

    ``at_once``: what the index holds must change in the same transaction, not a moment after it (a letter
    raised to ลับ: its plaintext leaves the index with the commit)."""
    ids = {_as_uuid(i) for i in letter_ids if i is not None}
    if not ids:
        return
    batch = _Batch()
    running = before_commit("letters.changed", batch)
    (running or batch).ids.update(ids)
    if at_once:
        (running or batch).at_once.update(ids)
    if running is None:
        batch()
