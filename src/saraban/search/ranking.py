"""How a query's matches are ranked: one rule, written once for the ORM and once in SQL.

A match's rank is 1, plus :data:`HEAD_POINTS` for each term of three or more characters in its head (the
register fields and subject), plus :data:`WORD_POINTS` for each term that is a whole word of its words (one
of the space-separated tokens).  Matches are in the order rank, newest (the letter's ``created_at``), letter
id, all descending: pages are slices of that one order.

:func:`ranked` is the rule through the ORM (SQLite's backend); PostgreSQL's backend writes it in SQL, reading
each row's head and words once for all the terms (``PostgresBackend.ranked``).
``tests/search/test_ranking.py`` checks both against the rule in Python, :func:`rank_of`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from .analyse import Term

HEAD_POINTS = 4
WORD_POINTS = 2


def rank_of(head: str, words: str, terms: list[Term]) -> int:
    """The rank of a row with this (folded) head and these words."""
    spaced = f" {words} "
    return 1 + sum(HEAD_POINTS for t in terms if not t.short and t.text in head) + \
        sum(WORD_POINTS for t in terms if f" {t.text} " in spaced)


def ranked(letters: QuerySet[Any], terms: list[Term], n: int) -> list[tuple[int, int]]:
    """(index row id, rank) of the first ``n`` of ``letters`` in the results' order."""
    rank: Any = Value(1)
    for t in terms:
        if not t.short:
            rank = rank + Case(When(search_doc__head__contains=t.text, then=Value(HEAD_POINTS)), default=Value(0),
                               output_field=IntegerField())
        rank = rank + Case(When(spaced_words__contains=f" {t.text} ", then=Value(WORD_POINTS)), default=Value(0),
                           output_field=IntegerField())
    qs = (letters.alias(spaced_words=Concat(Value(" "), "search_doc__words", Value(" "), output_field=TextField()))
          .annotate(rank=rank).order_by("-rank", "-created_at", "-pk"))
    return list(qs.values_list("search_doc__id", "rank")[:n])
