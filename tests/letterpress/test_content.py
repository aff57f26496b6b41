"""Letter content: required fields per kind, refusals, Appendix-2 salutations, the body markup."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from saraban.kernel.clock import BANGKOK
from saraban.letterpress.content import (
    KIND_GROUP,
    Addressee,
    Heading,
    Items,
    Kind,
    KindGroup,
    Paragraph,
    Secrecy,
    Signatory,
    Table,
    Urgency,
    check_letter,
    parse_body,
)
from saraban.letterpress.errors import EmptySubject, LetterpressError, MissingField, TopSecretRefused
from saraban.letterpress.examples import EXAMPLES, external, memo, stamped
from saraban.letterpress.salutations import APPENDIX_2, RecipientClass, salutation_for

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_every_kind_and_sub_kind_has_an_example_that_passes_the_checks() -> None:
    kinds = {build().kind for build in EXAMPLES.values()}
    assert kinds == set(Kind)
    assert set(KIND_GROUP.values()) == set(KindGroup)  # the six kinds of ข้อ 10
    for build in EXAMPLES.values():
        notices = check_letter(build())
        assert all(n.code != "body_empty" for n in notices)


@pytest.mark.parametrize("subject", ["", "   ", "\n"])
def test_empty_subject_is_refused_with_code_and_both_languages(subject: str) -> None:
    with pytest.raises(EmptySubject) as err:
        check_letter(dataclasses.replace(external(), subject=subject))
    body = err.value.as_dict()
    assert body["code"] == "subject_empty"
    assert "เรื่อง" in body["message_th"]
    assert "subject" in body["message_en"]


def test_top_secret_never_enters_the_system() -> None:
    with pytest.raises(TopSecretRefused) as err:
        check_letter(dataclasses.replace(memo(), secrecy=Secrecy.TOP_SECRET))
    assert err.value.code == "top_secret_refused"


def test_missing_required_field_names_the_field() -> None:
    with pytest.raises(MissingField) as err:
        check_letter(dataclasses.replace(external(), agency=()))
    assert err.value.details["field"] == "agency"
    with pytest.raises(MissingField):
        check_letter(dataclasses.replace(external(), signatories=(Signatory(name=" "),)))
    with pytest.raises(MissingField):
        check_letter(dataclasses.replace(memo(), to=Addressee("")))


def test_reply_by_deadline_needs_an_urgency() -> None:
    when = dt.datetime(2024, 3, 8, 12, 0, tzinfo=BANGKOK)
    with pytest.raises(LetterpressError) as err:
        check_letter(dataclasses.replace(external(), urgency=Urgency.NORMAL, urgent_by=when))
    assert err.value.code == "urgent_by_without_urgency"
    assert check_letter(dataclasses.replace(external(), urgent_by=when)) == []


def test_stamped_letter_about_money_is_warned() -> None:
    # regulation.md §13.9: a stamped letter approving a budget transfer is rejected or warned.
    assert check_letter(stamped()) == []
    money = dataclasses.replace(stamped(), subject="อนุมัติโอนเงินงบประมาณ")
    assert [n.code for n in check_letter(money)] == ["stamped_money_matter"]


def test_appendix_2_pairs() -> None:
    assert salutation_for("general").opening == "เรียน"
    assert salutation_for(RecipientClass.GENERAL).closing == "ขอแสดงความนับถือ"
    top = salutation_for(RecipientClass.TOP_OFFICIAL)
    assert (top.opening, top.closing) == ("กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง")
    monk = salutation_for(RecipientClass.MONK)
    assert (monk.opening, monk.closing) == ("นมัสการ", "ขอนมัสการด้วยความเคารพ")
    assert salutation_for(RecipientClass.GENERAL).open("อธิบดีกรมศิลปากร") == "เรียน อธิบดีกรมศิลปากร"
    assert salutation_for(RecipientClass.MOM_CHAO).open("หม่อมเจ้า ก") == "ทูล หม่อมเจ้า ก"
    assert set(APPENDIX_2) == set(RecipientClass)
    with pytest.raises(ValueError):
        salutation_for("nobody")


def test_addressee_takes_its_salutation_from_its_class() -> None:
    assert Addressee("นายกรัฐมนตรี", RecipientClass.TOP_OFFICIAL).salutation.opening == "กราบเรียน"


def test_parse_body_markup() -> None:
    body = parse_body(
        "# หมวด ๑\n"
        "ย่อหน้าแรก\n"
        "\n"
        "๑. ข้อแรก\n"
        "2) ข้อสอง\n"
        "- จุดหนึ่ง\n"
        "• จุดสอง\n"
        "| ลำดับ | รายการ |\n"
        "|---|---|\n"
        "| 1 | น้ำ |\n"
        "บรรทัดสุดท้าย\n"
    )
    assert body == (
        Heading("หมวด ๑"),
        Paragraph("ย่อหน้าแรก"),
        Items(("ข้อแรก", "ข้อสอง"), ordered=True, start=1),
        Items(("จุดหนึ่ง", "จุดสอง"), ordered=False),
        Table(("ลำดับ", "รายการ"), (("1", "น้ำ"),)),
        Paragraph("บรรทัดสุดท้าย"),
    )
