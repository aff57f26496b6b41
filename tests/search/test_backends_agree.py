"""Both backends return the same letters for the same query, and results obey the access rules.

The suite runs on SQLite (FTS5) and on PostgreSQL (pg_trgm).  On each, the backend's answer must equal a
reference computed in Python from the same rows with the one matching rule (:func:`analyse.matches`) and
the access rule for one letter (``can_view_letter``): equal to the same reference, the two backends agree.
Queries come from a table (short terms, ำ/า, digits, Latin case, zero-width characters, dates, SQL and
FTS syntax) and from generated substrings of the letters.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from saraban.access.principal import Principal, principal_for
from saraban.kernel import clock
from saraban.letters.models import Letter, LetterAccess
from saraban.letters.policy import can_view_letter
from saraban.orgs.models import Person, Role, Unit
from saraban.search import index
from saraban.search.analyse import fold, matches, parse
from saraban.search.backends import backend
from saraban.search.models import SearchDoc
from saraban.search.query import Filters, candidates, letter_ids, search
from tests.fixtures import user

pytestmark = pytest.mark.django_db

SUBJECTS = [
    "ขอเชิญประชุมคณะกรรมการกำหนดนโยบาย", "การจัดทำงบประมาณรายจ่ายประจำปี ๒๕๖๙", "ขออนุมัติจัดซื้อครุภัณฑ์คอมพิวเตอร์",
    "แจ้งกำหนดการตรวจราชการ", "รายงานผลการดำเนินงาน Digital Government", "ขอความอนุเคราะห์ข้อมูล\u200bสถิติ",
    "น\u0e49\u0e4d\u0e32ท่วมพื้นที่ภาคเหนือ", "การประชุม ครม. สัญจร", "ขอส่งรายชื่อผู้เข้าอบรม e-Saraban",
    "กฎกระทรวงว่าด้วยการรักษาความปลอดภัย", "ค่าใช้จ่ายในการเดินทางไปราชการ", "ขอเชิญร่วมงานวันข้าราชการพลเรือน",
]
REFS = ["นร 0105/ว 123", "ศธ ๐๒๐๑/๑๒๓๔", "ดศ 0201/77", "กค 0406.2/ว 45", "มท 0808.3/ว 1"]
QUERIES = [
    "ประชุม", "กำหนด", "กาหนด", "น้ำท่วม", "น้าท่วม", "๒๕๖๙", "2569", "0201/1234", "๐๒๐๑/๑๒๓๔", "digital",
    "DIGITAL government", "e-saraban", "ข้อมูลสถิติ", "ข้อมูล\u200bสถิติ", "ก", "กฎ", "ขอ", "12", "1", "ว",
    "ครม.", "\"ขอเชิญ ประชุม\"", "ขอเชิญ ประชุม", "ราชการ พลเรือน", "5/1/2569", "2026-01-05", "5 ม.ค. 69",
    "%", "_", "' OR 1=1 --", "\"", "NEAR(a b)", "a*", "ลับ", "ลับมาก", "  ", "", "ก.", "ว.", "1/", "\"ว.\"", "-e",
]


@pytest.fixture
def corpus(org):
    rnd = random.Random(13)
    units = list(Unit.objects.all())
    people = list(Person.objects.select_related("user"))
    now = clock.now()
    letters = []
    for i in range(48):
        unit = rnd.choice(units)
        secrecy = rnd.choice(["normal"] * 5 + ["confidential", "secret"])
        letter = Letter.objects.create(
            agency_id=unit.agency_id, unit=unit, direction=rnd.choice(["incoming", "outgoing"]), kind="external",
            subject=SUBJECTS[i % len(SUBJECTS)] + f" ครั้งที่ {i}", their_ref=rnd.choice(REFS),
            sender=rnd.choice(["กระทรวงการคลัง", "สำนักงบประมาณ", "กรมบัญชีกลาง"]), secrecy=secrecy,
            letter_date=clock.today().replace(month=1, day=rnd.randint(1, 9)), created_at=now,
            created_by=rnd.choice([p.user for p in people if p.user]),
        )
        if rnd.random() < 0.4:
            LetterAccess.objects.create(letter=letter, person=rnd.choice(people), reason="test", granted_at=now)
        letters.append(letter)
    index.reindex()
    return letters


@pytest.fixture
def reference(corpus: list[Letter]) -> Callable[[Principal, str], set]:
    """The letters ``p`` may see that match ``q``, by the one-letter rules in Python (``can_view_letter``,
    :func:`analyse.matches`) over every index row; what each principal may see is asked once per test."""
    docs = [(doc.letter_id, doc.letter, doc.body, set(doc.words.split()))
            for doc in SearchDoc.objects.select_related("letter")]
    visible: dict[str, set] = {}

    def ref(p: Principal, q: str) -> set:
        key = repr(p)  # a Principal holds a dict: not hashable
        if key not in visible:
            visible[key] = {lid for lid, letter, _, _ in docs if can_view_letter(p, letter)}
        terms = parse(q)
        return {lid for lid, _, body, words in docs
                if lid in visible[key] and (not terms or matches(body, terms, words))}

    return ref


def people_principals() -> list[Principal]:
    return [principal_for(user(u)) for u in ("registrar", "secretary", "director", "officer")]


def test_table_of_queries(reference: Callable[[Principal, str], set]) -> None:
    assert backend().name in ("sqlite", "postgresql")
    for p in people_principals():
        for q in QUERIES:
            got = set(candidates(p, parse(q), Filters()).values_list("pk", flat=True))
            assert got == reference(p, q), q


def test_the_table_finds_what_it_should(corpus) -> None:
    admin = Principal(user_id=-1, person_id=None, clearance=2, home_unit_id=None, agency_id=None,
                      units_by_role={Role.SECRET_REGISTRAR: frozenset(u.pk for u in Unit.objects.all()),
                                     Role.REGISTRAR: frozenset(u.pk for u in Unit.objects.all())},
                      member_unit_ids=frozenset())
    n = lambda q: len(set(candidates(admin, parse(q), Filters()).values_list("pk", flat=True)))  # noqa: E731
    assert n("กำหนด") == n("กาหนด") > 0  # ำ and า alike
    assert n("น้ำท่วม") == n("น้าท่วม") > 0  # decomposed ำ in the data
    assert n("๐๒๐๑/๑๒๓๔") == n("0201/1234") > 0  # Thai and Arabic digits alike
    assert n("DIGITAL government") == n("digital government") > 0
    assert n("ข้อมูลสถิติ") > 0  # a zero-width space in the data
    assert n("กฎ") > 0 and n("ว") > 0 and n("12") > 0  # one and two characters
    assert n("ลับมาก") == 0  # the secrecy of a letter is a filter, not text
    assert n("5 ม.ค. 69") == n("5/1/2569") == n("2026-01-05")
    assert n("%") == n("_") == n("") == 48  # no letter or digit: no text condition
    assert n("' OR 1=1 --") == 0


@st.composite
def queries(draw, corpus_text: list[str]) -> str:
    text = draw(st.sampled_from(corpus_text))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    size = draw(st.integers(1, 12))
    piece = text[start:start + size]
    twist = draw(st.sampled_from(["", "am", "digits", "upper", "zw", "space"]))
    if twist == "am":
        piece = piece.replace("ำ", "า")
    elif twist == "digits":
        piece = piece.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    elif twist == "upper":
        piece = piece.upper()
    elif twist == "zw" and len(piece) > 1:
        piece = piece[0] + "\u200b" + piece[1:]
    elif twist == "space":
        piece = piece + " " + draw(st.sampled_from(["ขอ", "ราชการ", "ว", "2569"]))
    return piece


def test_generated_queries_agree_with_the_rule(corpus: list[Letter], reference: Callable[[Principal, str], set]
                                                ) -> None:
    texts = [fold(letter.subject) for letter in corpus] + [fold(r) for r in REFS]
    principals = people_principals()

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a failure names its query: no slow shrinking
    @given(queries(texts), st.sampled_from(principals))
    def check(q: str, p: Principal) -> None:
        assert set(candidates(p, parse(q), Filters()).values_list("pk", flat=True)) == reference(p, q), repr(q)

    check()


def test_nothing_invisible_shows_anywhere(corpus) -> None:
    """Results, counts, facets and snippets come only from letters the reader may see."""
    for p in people_principals():
        for q in ["ขอ", "ประชุม", "ราชการ", "2569", "กระทรวง"]:
            res = search(p, q, limit=100, facets=True)
            ids = {h.letter.pk for h in res.hits}
            assert all(can_view_letter(p, h.letter) for h in res.hits)
            allowed = {x.pk for x in corpus if can_view_letter(p, x)}
            assert ids <= allowed
            assert letter_ids(p, q) <= allowed
            assert res.total == len(letter_ids(p, q))
            assert sum(res.facets["kind"].values()) <= res.total
            for h in res.hits:
                if h.letter.is_classified and not can_view_letter(p, h.letter):
                    pytest.fail("a classified snippet leaked")


def test_one_and_two_character_queries_are_bounded(corpus) -> None:
    p = principal_for(user("registrar"))
    for q in ["ก", "ขอ", "1", "ว"]:
        res = search(p, q)
        assert res.took_ms < 5000
        assert all(any(tok.startswith(fold(q)) for tok in h.letter.search_doc.words.split()) for h in res.hits)


def test_short_queries_look_at_the_newest_rows_alike(reference: Callable[[Principal, str], set], settings: Any
                                                     ) -> None:
    """With a window of 10 rows, a query of short terms finds only letters whose row is among the newest 10,
    on both backends (the window is applied inside the index lookup)."""
    settings.SARABAN_SEARCH_SHORT_WINDOW = 10
    newest = SearchDoc.objects.order_by("-id").values_list("id", flat=True)[9]
    for p in people_principals():
        for q in ["ก", "ขอ", "1", "ว", "กฎ ขอ", "ขอ ประชุม"]:
            terms = parse(q)
            got = set(candidates(p, terms, Filters()).values_list("pk", flat=True))
            want = reference(p, q)
            if all(t.short for t in terms):
                want = {lid for lid in want if SearchDoc.objects.get(letter_id=lid).id >= newest}
            assert got == want, q


def cleared_principals() -> list[Principal]:
    """Readers who may see classified letters: a secret registrar of every unit, and the cleared people."""
    admin = Principal(user_id=-1, person_id=None, clearance=2, home_unit_id=None, agency_id=None,
                      units_by_role={Role.SECRET_REGISTRAR: frozenset(u.pk for u in Unit.objects.all())},
                      member_unit_ids=frozenset())
    return [admin] + [p for p in people_principals() if p.clearance > 0]


def test_live_matching_is_skipped_only_where_it_could_change_nothing(corpus, settings: Any, monkeypatch: Any
                                                                      ) -> None:
    """A cleared reader's query skips live matching once the count is past its cap and the page's places all
    outrank any live match (``query.live_could_count``); every page, rank, total and "more than" are then
    those of the same query with live matching always done."""
    from saraban.search import query

    decide = query.live_could_count
    skipped = 0

    def counted(*args: Any) -> bool:
        nonlocal skipped
        could = decide(*args)
        skipped += not could
        return could

    for window in (1000, 6, 2):
        settings.SARABAN_SEARCH_WINDOW = window
        for p in cleared_principals():
            for q in ["ขอ", "ประชุม", "ราชการ", "กำหนด", "งบประมาณ", "ก", "ประชุม คณะกรรมการ", "ครั้งที่"]:
                for offset, limit in ((0, 1), (0, 3), (2, 3), (0, 20), (5, 5)):
                    monkeypatch.setattr(query, "live_could_count", counted)
                    fast = search(p, q, limit=limit, offset=offset)
                    monkeypatch.setattr(query, "live_could_count", lambda *args: True)
                    full = search(p, q, limit=limit, offset=offset)
                    assert [(h.letter.pk, h.rank) for h in fast.hits] == [(h.letter.pk, h.rank) for h in full.hits]
                    assert (fast.total, fast.total_capped) == (full.total, full.total_capped), (q, window)
    assert skipped > 0  # the shortcut was taken


def test_pages_agree_with_the_whole_order_for_cleared_readers(corpus, settings: Any, monkeypatch: Any) -> None:
    """A cleared reader's classified letters found live are asked about only as far as the page and the capped
    count need (in growing batches): every page, total and "more than" must still be those of the whole
    ordered list, whatever the window and however small the batches."""
    from saraban.search import classified

    monkeypatch.setattr(classified, "FIRST_ASK", 1)  # batches of 1, 4, 16…: every boundary is crossed
    live = 0
    for window in (1000, 6, 2):
        settings.SARABAN_SEARCH_WINDOW = window
        for p in cleared_principals():
            for q in ["ขอ", "ประชุม", "ราชการ", "กำหนด", "งบประมาณ", "ก"]:
                whole = search(p, q, limit=100)
                order = [h.letter.pk for h in whole.hits]
                live += sum(1 for h in whole.hits if h.letter.is_classified)
                for offset in range(0, len(order) + 3, 3):
                    page = search(p, q, limit=3, offset=offset)
                    assert [h.letter.pk for h in page.hits] == order[offset:offset + 3], (q, window, offset)
                    assert (page.total, page.total_capped) == (whole.total, whole.total_capped), (q, window)
    assert live > 0  # the classified letters were found, through their sealed text or their clear fields


def test_the_newest_matches_window_by_window_are_the_newest_of_all(corpus, settings: Any, monkeypatch: Any
                                                                   ) -> None:
    """The newest matches a query ranks (found window by window of index rows on PostgreSQL, the next window
    sized from what the last found) are exactly the newest of all its matches, for any first window, bucket
    size and number wanted, on both backends."""
    from saraban.search.backends import postgres
    from saraban.search.query import newest, qs_without_terms

    rows = SearchDoc.objects.count()
    assert rows >= 48
    checked = 0
    for first, bucket in ((1, 1), (1, 4), (3, 4), (10, 7), (rows, 5), (10 * rows, 16384)):
        settings.SARABAN_SEARCH_FIRST_WINDOW = first
        monkeypatch.setattr(postgres, "BUCKET", bucket)  # windows of whole buckets: every boundary crossed
        for p in people_principals():
            for q in ["ขอ", "ประชุม", "ราชการ", "กระทรวง", "5/1/2569", "2026-01-05", "digital", "ว 123", "ก ขอ",
                      "ไม่มีคำนี้เลย"]:
                terms = parse(q)
                whole = list(candidates(p, terms, Filters()).order_by("-search_doc__id")
                             .values_list("search_doc__id", flat=True))
                for n in (1, 2, 5, 20, 1000):
                    got = list(newest(p, terms, Filters(), n).order_by("-search_doc__id")
                               .values_list("search_doc__id", flat=True))
                    assert got == whole[:n], (q, first, n)
                    assert set(backend().newest(qs_without_terms(p, Filters()), terms, n)) == set(
                        Letter.objects.filter(search_doc__id__in=whole[:n])), (q, first, n)
                checked += len(whole)
    assert checked > 0
