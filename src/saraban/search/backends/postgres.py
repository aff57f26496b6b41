"""PostgreSQL: ``pg_trgm`` GIN over the folded text for substrings, a word ``tsvector`` GIN for prefixes, a GIN
over the dates written in it; the newest matches found window by window."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .. import ranking
from ..analyse import Term
from .newest import in_one_query

DOC = "search_searchdoc"
WORDS = "array_to_tsvector(string_to_array(words, ' '))"
LZ4 = f"""DO $$ BEGIN
    ALTER TABLE {DOC} ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN words SET COMPRESSION lz4,
        ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN head SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
END $$"""
"""lz4 for the long columns where the server has it (PostgreSQL 14+ built with it, as Debian's is): the
recheck of a trigram match reads each candidate's ``body``, and pglz took a third of that time."""
BUCKET = 4096
"""Index rows per bucket: the trigram GIN is led by the bucket of the row id (``btree_gin``), so a window of
the newest buckets is found inside one index scan, which skips the rest of each trigram's postings."""


def bucket_of() -> str:
    """The bucket of a row, as the index and the queries write it (one expression, or the index is not used)."""
    return f"(id / {BUCKET})::integer"


INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # a window of the newest rows, found in the index itself: a plain trigram GIN read each common trigram's
    # whole posting list (46–323 ms at 1,000,000 rows for one Thai word), and the planner, which cannot
    # estimate a ``LIKE``'s rows, then rechecked every candidate in the table instead of ANDing the key's
    # range (2.6 s for a word in 14 % of the rows)
    f"CREATE INDEX IF NOT EXISTS search_doc_bucket_trgm ON {DOC} USING gin (({bucket_of()}), body gin_trgm_ops)",
    "DROP INDEX IF EXISTS search_doc_body_trgm",
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
    # ``head`` kept in the row too (about 400 bytes compressed, where it was moved out of line): ranking reads
    # it for each of 1,001 matches, 4 buffers and 4 ms out of line, 1.5 ms in the row.  Rows written before
    # keep theirs out of line until rewritten (``VACUUM FULL``: docs/search.md, Operating)
    f"ALTER TABLE {DOC} ALTER COLUMN head SET STORAGE MAIN",
    LZ4,
    # the ISO dates written in a row (every date of a letter is, among its other forms: document.date_forms):
    # a date's trigrams (digits and dashes) are in most rows, so ``LIKE`` rechecked a large part of the table
    # for the 1,100 letters of one day (p95 576 ms at 1,000,000 letters); this finds those rows exactly
    r"""CREATE OR REPLACE FUNCTION search_dates(text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT m[1]), '{}') FROM regexp_matches($1, '(\d{4}-\d{2}-\d{2})', 'g') AS m
    $$""",
    f"CREATE INDEX IF NOT EXISTS search_doc_dates ON {DOC} USING gin (search_dates(body))",
]
UNINSTALL = ["DROP INDEX IF EXISTS search_doc_bucket_trgm", "DROP INDEX IF EXISTS search_doc_body_trgm",
             "DROP INDEX IF EXISTS search_doc_words_tsv", f"ALTER TABLE {DOC} DROP COLUMN IF EXISTS words_tsv",
             "DROP INDEX IF EXISTS search_doc_dates", "DROP FUNCTION IF EXISTS search_dates(text)"]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A date term (:func:`saraban.search.analyse.parse` turns a date in any written form into this one)."""
FIRST_WINDOW = 4_000
"""Index rows the newest matches are first looked for in (``SARABAN_SEARCH_FIRST_WINDOW``; whole buckets)."""
WIDEST = 48
"""Buckets a window may reach back from the newest; one reaching further is taken as all the rows left."""
WORK_MEM = "8MB"
"""For a window's lookup only (``SET LOCAL``): its buckets' postings kept in an exact bitmap.  In the default
4 MB a window of 94 buckets went lossy (835 pages rechecked whole: 74 ms against 51); 16 and 64 MB were no
faster."""


def like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def prefix_query(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"


def _where(terms: list[Term], since: int = 0, first_bucket: int = 0) -> tuple[str, list[Any]]:
    """The condition on index rows that match every term, with ids above ``since`` and buckets from
    ``first_bucket`` on (no upper bound: :meth:`PostgresBackend.newest` says why)."""
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append("id > %s")
        params.append(since)
    if first_bucket:  # ``::integer``: psycopg binds a small int as smallint, which btree_gin's int4 keys do not take
        where.append(f"{bucket_of()} >= %s::integer")
        params.append(first_bucket)
    for term in terms:
        if term.short:  # a word's start: the stored tsvector's GIN (and the row window, if any, beside it)
            where.append("words_tsv @@ %s::tsquery")
            params.append(prefix_query(term.text))
        elif DATE.fullmatch(term.text):  # the dates' GIN finds the rows, ``strpos`` (not indexed) checks
            where.append("search_dates(body) @> ARRAY[%s]::text[] AND strpos(body, %s) > 0")
            params += [term.text, term.text]
        else:
            where.append("body LIKE %s")
            params.append(like_pattern(term.text))
    return " AND ".join(where), params


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
        where, params = _where(terms, since)
        return letters.filter(search_doc__id__in=RawSQL(f"SELECT id FROM {DOC} WHERE {where}", params))

    def newest(self, letters: QuerySet[Any], terms: list[Term], n: int, *, since: int = 0) -> QuerySet[Any]:
        """Window by window of index rows, newest first, until ``n`` are found: a window's rows that match
        and that ``letters`` holds, in one query (one scan of the bucket-led trigram GIN, so only the window's
        candidates are rechecked, and the access rule asked of the matches only, newest first until enough are
        found, by ``EXISTS`` from the rows just read: a second query over their ids took 10–28 ms more).  The
        next window is sized from the density of what was found so far; a window that found nothing is followed
        by all the rows left (a rare term: two lookups).  One query over every row, sorted, rechecked every
        candidate of a common word: 300,000 rows for a topic word at 1,000,000 letters (p95 920 ms).

        A window is asked for with its first bucket only (``>=``), the rows of newer windows dropped by ``id <``
        outside the scan: ``btree_gin`` answers a range by collecting every bucket in it into a bitmap, and
        ``< end`` collects all the older buckets, from the very first (30–65 ms at 1,000,000 rows, 4 ms without
        it)."""
        if not terms or since:  # a short query's window is already bounded (query.short_since)
            return in_one_query(self.matching(letters, terms, since=since), n)
        with connection.cursor() as cur:
            cur.execute(f"SELECT max(id) FROM {DOC}")
            top = int(cur.fetchone()[0] or 0)
        size = int(getattr(settings, "SARABAN_SEARCH_FIRST_WINDOW", FIRST_WINDOW))
        found: list[int] = []
        # the access rule compiled once for every window (4.5 ms a time for a registrar's rule): whether the row's
        # letter is one of ``letters``
        held, held_params = (letters.filter(pk=RawSQL('"win"."letter_id"', [])).order_by().values("pk")
                             .query.sql_with_params())
        end = top // BUCKET + 1  # this window: buckets [first, end), ids below ``end * BUCKET``
        looked = 0
        while end > 0 and len(found) < n:
            upper = min(top, end * BUCKET)
            first = max(0, min(end - 1, (upper - size) // BUCKET))
            # all that is left, with no bucket condition, when less would be left than this window takes, or
            # when the window reaches far back: ``>= first`` collects every bucket from it to the newest (0.45 ms
            # a bucket), and every row's postings cost about as much as 60 buckets' (28 ms at 1,000,000 rows)
            if first * BUCKET < upper - first * BUCKET or top // BUCKET - first > WIDEST:
                first = 0
            where, params = _where(terms, first_bucket=first)
            with transaction.atomic(), connection.cursor() as cur:
                # the bitmap of a window's postings kept exact (WORK_MEM)
                cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
                # the window's matches newest first, then the access rule asked of them in that order until
                # enough are found (``OFFSET 0`` keeps it out of the scan, which would ask it of every match:
                # 2,896 of them for a sender and a province over all the rows, where 1,001 were wanted, 7 ms)
                cur.execute(f"SELECT id FROM (SELECT id, letter_id FROM {DOC} WHERE {where} ORDER BY id DESC "
                            f"OFFSET 0) AS win WHERE id < %s AND EXISTS ({held}) LIMIT %s",
                            [*params, end * BUCKET, *held_params, n - len(found)])
                found += [r[0] for r in cur.fetchall()]  # (newer windows' rows are done: ``id <``)
            looked += upper - first * BUCKET
            end = first
            # enough rows for what is still missing at the density so far, with half again to spare
            size = max(2 * size, (n - len(found)) * looked * 3 // (2 * len(found))) if found else upper
        # one array, not a parameter an id: 1,001 of them took 6 ms to bind and plan
        return letters.model.objects.filter(search_doc__id__in=RawSQL(
            "SELECT unnest(%s::bigint[])", [sorted(found, reverse=True)[:n]]))

    def ranked(self, letters: QuerySet[Any], terms: list[Term], n: int) -> list[tuple[int, int]]:
        """:mod:`~saraban.search.ranking`'s rule in SQL: a row's head and words are read and decompressed once
        for all the terms (a ``LATERAL`` subquery), and tested with ``strpos``.  Through the ORM each term's
        test read them again, and ``LIKE`` tries a match at every Thai character (all of them start with the
        same byte in UTF-8).  Two terms over 1,001 rows at 1,000,000 letters: 25–29 ms through the ORM, 21–24 ms
        this way (each row's heap page and out-of-line words are still read: about 5 µs a row)."""
        inner, params = (letters.order_by().values_list(
            "search_doc__id", "created_at", "pk", "search_doc__head", "search_doc__words")
            .query.sql_with_params())
        tests: list[str] = []
        args: list[Any] = []
        for t in terms:
            if not t.short:
                tests.append(f"CASE WHEN strpos(x.h, %s) > 0 THEN {ranking.HEAD_POINTS} ELSE 0 END")
                args.append(t.text)
            tests.append(f"CASE WHEN strpos(x.w, %s) > 0 THEN {ranking.WORD_POINTS} ELSE 0 END")
            args.append(f" {t.text} ")
        with connection.cursor() as cur:
            cur.execute(f"SELECT m.doc, {' + '.join(['1', *tests])} AS rank "
                        f"FROM ({inner}) AS m(doc, at, pk, head, words), "
                        "LATERAL (SELECT m.head || '' AS h, ' ' || m.words || ' ' AS w OFFSET 0) AS x "
                        "ORDER BY 2 DESC, m.at DESC, m.pk DESC LIMIT %s", [*args, *params, n])
            return [(int(doc), int(rank)) for doc, rank in cur.fetchall()]

    def rebuild(self) -> None:
        # CONCURRENTLY where it can be (not inside a transaction): searches and writes go on meanwhile
        with connection.cursor() as cur:
            cur.execute(f"REINDEX TABLE {'' if connection.in_atomic_block else 'CONCURRENTLY '}{DOC}")

    def disk_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_total_relation_size(%s)", [DOC])
            return int(cur.fetchone()[0] or 0)


def reinstall(apps: Any, schema_editor: Any) -> None:
    """A migration's step: the structures installed again on PostgreSQL (``install`` is idempotent, so a
    database with older structures gets the new ones); nothing on SQLite."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        PostgresBackend().install(cur)
