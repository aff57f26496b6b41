import datetime as dt

import pytest

from saraban.kernel import thai

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_full_date_in_buddhist_era() -> None:  # §13.3
    assert thai.format_date(dt.date(2021, 5, 25)) == "25 พฤษภาคม 2564"
    assert thai.format_date(dt.date(2021, 5, 25), digit_style="thai") == "๒๕ พฤษภาคม ๒๕๖๔"


def test_memo_abbreviation() -> None:
    assert thai.format_date(dt.date(2021, 5, 25), style="memo") == "25 พ.ค. 64"
    assert thai.format_date(dt.date(2025, 3, 3), style="abbr") == "3 มี.ค. 2568"


def test_leap_day_2567() -> None:
    assert thai.format_date(dt.date(2024, 2, 29)) == "29 กุมภาพันธ์ 2567"


def test_datetime_is_shown_in_bangkok() -> None:
    utc = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC)  # 06:30 on 1 Jan in Bangkok
    assert thai.format_date(utc) == "1 มกราคม 2568"
    assert thai.format_time(utc) == "06.30 น."


def test_digits_both_ways_and_normalisation() -> None:
    assert thai.to_thai_digits("ดศ 0201/1234") == "ดศ ๐๒๐๑/๑๒๓๔"
    assert thai.to_arabic_digits("๑๕/๒๕๖๗") == "15/2567"
    assert thai.normalize("  ที่  ดศ ๐๒๐๑/๑๒๓๔ ") == thai.normalize("ที่ ดศ 0201/1234")
    assert thai.normalize("ABC") == "abc"


@pytest.mark.parametrize("text", ["25 พฤษภาคม 2564", "25 พ.ค. 2564", "๒๕ พ.ค. ๖๔"])
def test_parse_thai_date(text: str) -> None:
    assert thai.parse_thai_date(text) == dt.date(2021, 5, 25)


def test_parse_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        thai.parse_thai_date("25 Foo 2564")


@pytest.mark.parametrize("text", ["5/1/2569", "05/01/2026", "5 ม.ค. 2569", "๕/๑/๒๕๖๙", "2026-01-05", "5-1-69"])
def test_user_dates(text: str) -> None:
    assert thai.parse_user_date(text) == dt.date(2026, 1, 5)
    assert thai.format_user_date(dt.date(2026, 1, 5)) == "5/1/2569"


def test_user_date_rejects_impossible() -> None:
    with pytest.raises(ValueError):
        thai.parse_user_date("31/2/2569")
