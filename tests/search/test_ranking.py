"""Ranking follows one rule (:mod:`saraban.search.ranking`), written twice: through the ORM (SQLite's backend)
and in SQL (PostgreSQL's, which reads each row's head and words once for all the terms).  On each database
the backend's answer, and the ORM's, must equal the rule computed in Python (:func:`ranking.rank_of`) from
the same rows, in the same order: rank, newest, letter id.  Half the letters are made in one instant, so
ties fall to the letter id."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saraban.kernel import clock
from saraban.letters.models import Letter
from saraban.orgs.models import Person, Unit
from saraban.search import index, ranking
from saraban.search.analyse import Term, parse
from saraban.search.backends import backend
from saraban.search.models import SearchDoc

pytestmark = pytest.mark.django_db

WORDS = ["ประชุม", "งบประมาณ", "กรมชลประทาน", "ลำปาง", "ราชการ", "ขอ", "ว", "น้ำ", "digital", "ครั้ง", "ที่"]
SENDERS = ["กรมชลประทาน", "สำนักงบประมาณ", "จังหวัดลำปาง", "กรมบัญชีกลาง"]


@pytest.fixture
def rows(org) -> list[SearchDoc]:
    rnd = random.Random(7)
    unit = Unit.objects.first()
    author = next(p.user for p in Person.objects.select_related("user") if p.user)
    now = clock.now()
    for i in range(40):
        Letter.objects.create(
            agency_id=unit.agency_id, unit=unit, direction="incoming", kind="external",
            subject=" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4))) + rnd.choice(["", "ราชการ"]),
            their_ref=f"ลป 0001/{i}", sender=rnd.choice(SENDERS), letter_date=clock.today(),
            created_at=now if i % 2 else now - dt.timedelta(seconds=rnd.randint(0, 3)), created_by=author)
    index.reindex()
    return list(SearchDoc.objects.select_related("letter"))


def by_rule(rows: list[SearchDoc], terms: list[Term], n: int) -> list[tuple[int, int]]:
    ranked = sorted(((ranking.rank_of(r.head, r.words, terms), r.letter.created_at, r.letter.pk, r.id) for r in rows),
                    reverse=True)
    return [(doc, rank) for rank, _, _, doc in ranked[:n]]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=st.lists(st.sampled_from([*WORDS, "ประ", "ทาน", "ลาปาง", "กรม", "ชล", "ก", "2"]), min_size=1, max_size=3),
       n=st.integers(1, 45), some=st.integers(0, 2**40))
def test_both_writings_of_the_rule_agree_with_it(rows: list[SearchDoc], query: list[str], n: int, some: int) -> None:
    terms = parse(" ".join(query))
    chosen = [r for r in rows if (some >> (r.id % 40)) & 1] or rows  # any letters: ranking does not match
    letters = Letter.objects.filter(pk__in=[r.letter_id for r in chosen])
    expected = by_rule(chosen, terms, n)
    assert backend().ranked(letters, terms, n) == expected
    assert ranking.ranked(letters, terms, n) == expected


def test_a_whole_word_counts_wherever_it_stands(rows: list[SearchDoc]) -> None:
    """The first and the last of a row's words are whole words too (a space is put on each side)."""
    doc = rows[0]
    first, last = doc.words.split()[0], doc.words.split()[-1]
    letters = Letter.objects.filter(pk=doc.letter_id)
    for word in (first, last):
        terms = [Term(word)]
        head = ranking.HEAD_POINTS if len(word) >= 3 and word in doc.head else 0
        assert backend().ranked(letters, terms, 1) == [(doc.id, 1 + head + ranking.WORD_POINTS)]
