"""Numbers: gapless, per (unit, book, Bangkok calendar year), never reused (§5.2, §13.2, R20–R22)."""

import datetime as dt

import pytest

from saraban.kernel.clock import BANGKOK, MovableClock, use_clock
from saraban.kernel.errors import SarabanError
from saraban.registry.actions import Upload, cancel_registration, issue_outgoing, register_incoming
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IncomingMetadata, OutgoingMetadata
from tests import factories
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: object) -> None:
    """Two units of one agency, each with its registrar (not the whole demo ministry)."""
    factories.agency("tst", letter_code="ดศ", unit_number="0201")
    factories.unit("tst-finance", parent=None, unit_number="0202")  # beside the central unit
    factories.person("registrar", roles=[("registrar", "tst-central")])
    factories.person("finance-registrar", unit_code="tst-finance", roles=[("registrar", "tst-finance")])


def incoming(n: int, **over: object) -> RegisterEntry:
    m = IncomingMetadata(**meta(their_ref=f"นร 0105/{n}", **over))
    return register_incoming(user("registrar"), m, Upload(make_pdf(), "a.pdf"))


def outgoing(book: str = "sent", **over: object) -> RegisterEntry:
    m = OutgoingMetadata(book=book, addressee="อธิบดีกรมศิลปากร", subject="ขอส่งบัญชีหนังสือขอทำลาย", **over)
    return issue_outgoing(user("registrar"), m)


def test_receipt_numbers_run_from_one(org: object, clock: MovableClock) -> None:
    numbers = [incoming(i).number for i in range(1, 6)]
    assert numbers == [1, 2, 3, 4, 5]
    e = RegisterEntry.objects.get(number=5)
    assert e.book.kind == "received" and e.book.year_be == 2569 and e.display == "5"


def test_outgoing_displays(org: object, clock: MovableClock) -> None:
    assert outgoing("sent").display == "ดศ 0201/1"
    assert outgoing("sent").display == "ดศ 0201/2"
    assert outgoing("circular").display == "ดศ 0201/ว 1"  # its own series
    assert outgoing("order").display == "1/2569"
    assert outgoing("certificate").display == "1/2569"
    assert outgoing("announcement").display == "1/2569"


def test_register_number_equals_last_segment_of_ref(org: object, clock: MovableClock) -> None:  # §13.5
    for _ in range(3):
        e = outgoing("sent")
        assert e.ref == e.display and e.ref.endswith(f"/{e.number}")
        assert e.letter.their_ref == e.display


def test_new_year_at_0630_bangkok_restarts_every_series(org: object) -> None:  # §13.2
    c = MovableClock(dt.datetime(2024, 12, 31, 23, 59, tzinfo=BANGKOK))
    with use_clock(c):
        for _ in range(3):
            last_sent = outgoing("sent")
        last_circ = outgoing("circular")
        assert last_sent.number == 3 and last_sent.book.year_be == 2567
        assert last_circ.display == "ดศ 0201/ว 1"
        c.set(dt.datetime(2025, 1, 1, 6, 30, tzinfo=BANGKOK))  # still 31 Dec 2024 in UTC
        assert c.now().date() == dt.date(2024, 12, 31)
        first = outgoing("sent")
        assert (first.number, first.book.year_be) == (1, 2568)
        assert outgoing("circular").display == "ดศ 0201/ว 1"
        assert incoming(1, their_date="2024-12-30").book.year_be == 2568


def test_first_of_october_resets_nothing(org: object) -> None:
    c = MovableClock(dt.datetime(2025, 9, 30, 16, 0, tzinfo=BANGKOK))
    with use_clock(c):
        outgoing("sent")
        outgoing("sent")
        c.set(dt.datetime(2025, 10, 1, 8, 0, tzinfo=BANGKOK))
        assert outgoing("sent").number == 3


def test_failed_registration_consumes_no_number(org: object, clock: MovableClock) -> None:
    incoming(1)
    with pytest.raises(SarabanError):
        m = IncomingMetadata(**meta(their_ref="x/2"))
        register_incoming(user("registrar"), m, Upload(b"not a pdf at all", "a.pdf"))
    with pytest.raises(SarabanError):
        incoming(1)  # a likely duplicate, refused after the number was taken: given back
    assert incoming(3).number == 2
    assert list(RegisterEntry.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_cancel_keeps_the_number_in_the_book(org: object, clock: MovableClock) -> None:
    a = incoming(1)
    incoming(2)
    cancel_registration(user("registrar"), a, "ลงทะเบียนผิดเล่ม")
    a.refresh_from_db()
    assert a.cancelled and a.cancel_reason == "ลงทะเบียนผิดเล่ม" and a.cancelled_at is not None
    assert a.letter.status == "cancelled"
    assert incoming(3).number == 3  # never reused
    with pytest.raises(SarabanError) as exc:
        cancel_registration(user("registrar"), a, "อีกครั้ง")
    assert exc.value.code == "already_cancelled"
    with pytest.raises(SarabanError) as exc:
        cancel_registration(user("registrar"), RegisterEntry.objects.get(number=2), "   ")
    assert exc.value.code == "reason_required"


def test_books_are_per_unit(org: object, clock: MovableClock) -> None:
    m = OutgoingMetadata(book="sent", addressee="ก", subject="ข", unit="tst-finance")
    e = issue_outgoing(user("finance-registrar"), m)
    assert e.display == "ดศ 0202/1"
    assert outgoing("sent").display == "ดศ 0201/1"


def test_registrar_cannot_number_in_another_units_book(org: object, clock: MovableClock) -> None:
    m = OutgoingMetadata(book="sent", addressee="ก", subject="ข", unit="tst-finance")
    with pytest.raises(SarabanError) as exc:
        issue_outgoing(user("registrar"), m)
    assert exc.value.status == 403
    assert not RegisterEntry.objects.exists()
