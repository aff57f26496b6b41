"""PostgreSQL: ``pg_trgm`` GIN over the folded text for substrings, a word ``tsvector`` GIN for prefixes."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ..analyse import Term

DOC = "search_searchdoc"
WORDS = "array_to_tsvector(string_to_array(words, ' '))"
INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX search_doc_body_trgm ON {DOC} USING gin (body gin_trgm_ops)",
    f"CREATE INDEX search_doc_words ON {DOC} USING gin (({WORDS}))",
]
UNINSTALL = ["DROP INDEX IF EXISTS search_doc_body_trgm", "DROP INDEX IF EXISTS search_doc_words"]


def like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def prefix_query(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"


class PostgresBackend:
    name = "postgresql"

    def install(self, cursor: Any) -> None:
        for sql in INSTALL:
            cursor.execute(sql)

    def uninstall(self, cursor: Any) -> None:
        for sql in UNINSTALL:
            cursor.execute(sql)

    def matching(self, letters: QuerySet[Any], terms: list[Term], *, since: int = 0) -> QuerySet[Any]:
        for term in terms:
            if term.short and since:  # a window of rows: scanning their words beats building each tsvector
                starts = term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                letters = letters.filter(search_doc__id__in=RawSQL(
                    f"SELECT id FROM {DOC} WHERE id > %s AND (words LIKE %s OR words LIKE %s)",
                    [since, starts + "%", "% " + starts + "%"]))
            elif term.short:
                letters = letters.filter(search_doc__id__in=RawSQL(
                    f"SELECT id FROM {DOC} WHERE {WORDS} @@ %s::tsquery", [prefix_query(term.text)]))
            else:
                letters = letters.filter(search_doc__id__in=RawSQL(
                    f"SELECT id FROM {DOC} WHERE body LIKE %s", [like_pattern(term.text)]))
        return letters

    def rebuild(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"REINDEX TABLE {DOC}")

    def disk_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_total_relation_size(%s)", [DOC])
            return int(cur.fetchone()[0] or 0)
