"""Search backends behind one small interface, chosen by the database (or ``SARABAN_SEARCH_BACKEND``).

A backend narrows a queryset of letters to those whose :class:`~saraban.search.models.SearchDoc` matches
every term of a query, by the one rule of :func:`saraban.search.analyse.matches`: a term of three or more
characters is a substring of the folded text (trigrams), a shorter term starts a word token.  Both
backends return the same letters for the same query (tests/search/test_backends_agree.py).

- ``sqlite``: FTS5 ``trigram`` over ``body`` and ``unicode61`` over ``words`` (prefix indexes for the
  short terms: SQLite 3.40's trigram table finds nothing for a 1–2 character ``LIKE``), kept in step with
  ``search_searchdoc`` by triggers.  The embedded default.
- ``postgresql``: ``pg_trgm`` GIN on ``body`` for ``LIKE '%term%'``, a GIN on the words as a ``tsvector``
  for prefix terms.  Production.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from ..analyse import Term


class SearchBackend(Protocol):
    name: str

    def install(self, cursor: Any) -> None:
        """Create the index structures on ``search_searchdoc`` (run by the migration)."""
        ...

    def uninstall(self, cursor: Any) -> None:
        ...

    def matching(self, letters: QuerySet[Any], terms: list[Term], *, since: int = 0) -> QuerySet[Any]:
        """``letters`` narrowed to those whose search row matches every term (and whose row id is above
        ``since``: the window of short queries, applied inside the index lookup to bound its work)."""
        ...

    def newest(self, letters: QuerySet[Any], terms: list[Term], n: int, *, since: int = 0) -> QuerySet[Any]:
        """The newest ``n`` letters (by index row) of ``letters`` that match every term (and whose row id is
        above ``since``), as a queryset of letters."""
        ...

    def ranked(self, letters: QuerySet[Any], terms: list[Term], n: int) -> list[tuple[int, int]]:
        """(index row id, rank) of the first ``n`` of ``letters`` in the results' order, by the rule of
        :mod:`saraban.search.ranking`."""
        ...

    def rebuild(self) -> None:
        """Rebuild the index structures from the rows (after a bulk load or a full reindex), without stopping
        searches or writes where the database allows it."""
        ...

    def disk_bytes(self) -> int:
        """Bytes the rows and their indexes take."""
        ...


_override: SearchBackend | None = None


def use(backend: SearchBackend | None) -> None:
    """Install another backend (tests), or ``None`` to go back to the configured one."""
    global _override
    _override = backend


def for_vendor(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise ValueError(f"no search backend for the {vendor!r} database")


def backend() -> SearchBackend:
    if _override is not None:
        return _override
    return for_vendor(getattr(settings, "SARABAN_SEARCH_BACKEND", "") or connection.vendor)
