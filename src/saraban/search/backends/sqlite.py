"""SQLite FTS5: a trigram table over the folded text, a word table for short terms, triggers to follow."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .. import ranking
from ..analyse import Term
from .newest import in_one_query

DOC = "search_searchdoc"
WORD_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
INSTALL = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5(body, content='{DOC}', content_rowid='id', tokenize='trigram')",
    f"CREATE VIRTUAL TABLE search_words USING fts5(words, content='{DOC}', content_rowid='id', "
    f"tokenize=\"{WORD_TOKENIZER}\", prefix='1 2')",
    f"""CREATE TRIGGER search_doc_ai AFTER INSERT ON {DOC} BEGIN
        INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body);
        INSERT INTO search_words(rowid, words) VALUES (new.id, new.words);
    END""",
    f"""CREATE TRIGGER search_doc_ad AFTER DELETE ON {DOC} BEGIN
        INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO search_words(search_words, rowid, words) VALUES ('delete', old.id, old.words);
    END""",
    f"""CREATE TRIGGER search_doc_au AFTER UPDATE ON {DOC} BEGIN
        INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO search_words(search_words, rowid, words) VALUES ('delete', old.id, old.words);
        INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body);
        INSERT INTO search_words(rowid, words) VALUES (new.id, new.words);
    END""",
]
UNINSTALL = ["DROP TRIGGER IF EXISTS search_doc_ai", "DROP TRIGGER IF EXISTS search_doc_ad",
             "DROP TRIGGER IF EXISTS search_doc_au", "DROP TABLE IF EXISTS search_fts",
             "DROP TABLE IF EXISTS search_words"]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend:
    name = "sqlite"

    def install(self, cursor: Any) -> None:
        for sql in INSTALL:
            cursor.execute(sql)

    def uninstall(self, cursor: Any) -> None:
        for sql in UNINSTALL:
            cursor.execute(sql)

    def matching(self, letters: QuerySet[Any], terms: list[Term], *, since: int = 0) -> QuerySet[Any]:
        long = [t.text for t in terms if not t.short]
        short = [t.text for t in terms if t.short]
        if long:
            expr = " AND ".join(_phrase(t) for t in long)
            letters = letters.filter(search_doc__id__in=RawSQL(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expr]))
        if short:
            expr = " AND ".join(_phrase(t) + "*" for t in short)
            letters = letters.filter(search_doc__id__in=RawSQL(
                "SELECT rowid FROM search_words WHERE search_words MATCH %s AND rowid > %s", [expr, since]))
        return letters

    def newest(self, letters: QuerySet[Any], terms: list[Term], n: int, *, since: int = 0) -> QuerySet[Any]:
        return in_one_query(self.matching(letters, terms, since=since), n)

    def ranked(self, letters: QuerySet[Any], terms: list[Term], n: int) -> list[tuple[int, int]]:
        return ranking.ranked(letters, terms, n)

    def rebuild(self) -> None:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cur.execute("INSERT INTO search_words(search_words) VALUES ('rebuild')")

    def disk_bytes(self) -> int:
        with connection.cursor() as cur:
            try:
                cur.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'")
                return int(cur.fetchone()[0] or 0)
            except Exception:  # dbstat is not compiled in everywhere
                return 0
