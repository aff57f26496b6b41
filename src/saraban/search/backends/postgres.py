"""PostgreSQL: ``pg_trgm`` GIN over the folded text for substrings, a word ``tsvector`` GIN for prefixes."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ..analyse import Term

DOC = "search_searchdoc"
WORDS = "array_to_tsvector(string_to_array(words, ' '))"
LZ4 = f"""DO $$ BEGIN
    ALTER TABLE {DOC} ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN words SET COMPRESSION lz4,
        ALTER COLUMN text SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
END $$"""
"""lz4 for the long columns where the server has it (PostgreSQL 14+ built with it, as Debian's is): the
recheck of a trigram match reads each candidate's ``body``, and pglz took a third of that time."""
INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS search_doc_body_trgm ON {DOC} USING gin (body gin_trgm_ops)",
    # the words as a stored tsvector: a prefix term's rows are then read without building each one's tsvector
    # (17 µs a row, which the planner does not know: it scanned 20,000 rows for a two-character term, 225 ms,
    # where the index and the row window together take 4–7 ms)
    "DROP INDEX IF EXISTS search_doc_words",
    f"ALTER TABLE {DOC} ADD COLUMN IF NOT EXISTS words_tsv tsvector GENERATED ALWAYS AS ({WORDS}) STORED",
    f"CREATE INDEX IF NOT EXISTS search_doc_words_tsv ON {DOC} USING gin (words_tsv)",
    # ``body`` kept in the row (compressed), the other long columns moved out first: a trigram match's recheck
    # then reads one heap page a candidate, not the TOAST index and pages too (64,736 buffers for 13,624
    # candidates, 150 ms; 10,441 and 110 ms kept in the row)
    f"ALTER TABLE {DOC} ALTER COLUMN body SET STORAGE MAIN",
    LZ4,
]
UNINSTALL = ["DROP INDEX IF EXISTS search_doc_body_trgm", "DROP INDEX IF EXISTS search_doc_words_tsv",
             f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS words_tsv"]


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
        # every term in one subquery: the GIN scan then intersects all their trigrams before any row is read
        # (one subquery per term made the planner recheck each term's candidates on its own: a sender and a
        # province, 4,848 rows read and 127 ms, against 294 rows and 10 ms at once)
        if not terms:
            return letters
        where: list[str] = []
        params: list[Any] = []
        if since:
            where.append("id > %s")
            params.append(since)
        for term in terms:
            if term.short:  # a word's start: the stored tsvector's GIN (and the row window, if any, beside it)
                where.append("words_tsv @@ %s::tsquery")
                params.append(prefix_query(term.text))
            else:
                where.append("body LIKE %s")
                params.append(like_pattern(term.text))
        return letters.filter(search_doc__id__in=RawSQL(f"SELECT id FROM {DOC} WHERE {' AND '.join(where)}",
                                                        params))

    def rebuild(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"REINDEX TABLE {DOC}")

    def disk_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_total_relation_size(%s)", [DOC])
            return int(cur.fetchone()[0] or 0)
