import pytest

from saraban.registry.refs import BadReference, parse_reference, same_reference

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


@pytest.mark.parametrize("text,canonical,kind", [
    ("ที่ ดศ 0201/1234", "ดศ 0201/1234", "letter"),
    ("ที่ ดศ 0201/ว 12", "ดศ 0201/ว 12", "circular"),
    ("ที่ ศธ 0527.10/ว 099", "ศธ 0527.10/ว 99", "circular"),
    ("ที่ มท 0201.2/ว 1590", "มท 0201.2/ว 1590", "circular"),
])
def test_valid_letter_references(text: str, canonical: str, kind: str) -> None:  # §13.1
    ref = parse_reference(text)
    assert ref.kind == kind
    assert ref.canonical() == canonical


def test_letter_code_takes_no_full_stop() -> None:
    with pytest.raises(BadReference) as exc:
        parse_reference("ที่ ดศ. 0201/1234")
    assert "จุด" in exc.value.message_th


def test_year_is_not_part_of_a_letter_number() -> None:
    with pytest.raises(BadReference) as exc:
        parse_reference("ที่ ดศ 0201/1234/2567")
    assert "year" in exc.value.message_en


def test_order_number_only_for_orders_and_certificates() -> None:
    assert parse_reference("ที่ 15/2567", letter_kind="directive").canonical() == "15/2567"
    assert parse_reference("15/2567", letter_kind="record").year_be == 2567
    with pytest.raises(BadReference):
        parse_reference("ที่ 15/2567", letter_kind="external")


def test_thai_digits_normalise_equal() -> None:
    assert same_reference("ที่ ๑๕/๒๕๖๗", "ที่ 15/2567", letter_kind="directive")
    assert same_reference("ดศ ๐๒๐๑/๑๒๓๔", "ดศ 0201/1234")
