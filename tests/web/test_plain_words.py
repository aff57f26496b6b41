"""Issue 17 (point 5): dates typed and shown in B.E., either era parsed; no internal field name reaches a
person; Thai download names with a correct RFC 6266/5987 Content-Disposition from one helper."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from django.test import Client

from saraban.kernel.errors import InvalidInput
from saraban.kernel.thai import parse_user_date
from saraban.kernel.validation import parse
from saraban.registry.validation import IncomingMetadata
from saraban.transport.http import ascii_fallback, content_disposition
from tests.fixtures import meta, user

XMAS = dt.date(2025, 12, 25)


@pytest.mark.parametrize("typed", ["25/12/2568", "2568-12-25", "2025-12-25", "๒๕/๑๒/๒๕๖๘", "25 ธ.ค. 2568",
                                   "25/12/2025", "25/12/68"])
def test_a_date_is_read_from_either_era(typed) -> None:
    assert parse_user_date(typed) == XMAS


@pytest.mark.parametrize("typed", ["2568-12-25", "2025-12-25"])
def test_the_api_takes_a_letter_date_in_either_era(typed) -> None:
    m = IncomingMetadata.model_validate(meta(their_date=typed))
    assert m.their_date == XMAS


def test_a_bad_date_says_how_to_type_one_without_the_machine_s_words() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(IncomingMetadata, meta(their_date="พรุ่งนี้"))
    assert "25/12/2568" in caught.value.message_th and "YYYY" not in caught.value.message_th
    assert caught.value.message_en.startswith("Invalid input: Date:")  # the field's name, not "their_date"
    assert "their_date" not in caught.value.message_en and "YYYY" not in caught.value.message_en


def _filenames(header: str) -> tuple[str, str]:
    plain = re.search(r'filename="([^"]*)"', header)
    star = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert plain and star, header
    return plain.group(1), unquote(star.group(1))


def test_content_disposition_carries_the_thai_name_and_a_safe_ascii_one() -> None:
    name = 'ทะเบียนหนังสือรับ "สลก." 2569/1.csv'
    header = content_disposition(name, fallback="register-2569.csv")
    assert header.startswith("attachment; ")
    plain, full = _filenames(header)
    assert full == 'ทะเบียนหนังสือรับ "สลก." 2569-1.csv'  # a slash never reaches a saved file's name
    assert plain == "register-2569.csv" and plain.isascii()
    assert content_disposition("a.pdf", inline=True).startswith('inline; filename="a.pdf"; ')
    assert ascii_fallback('ร่าง "ก"\\x.pdf') == "x.pdf" and ascii_fallback("ภาษาไทย.pdf") == "download.pdf"


@pytest.mark.django_db
def test_register_exports_have_thai_names_and_b_e_times(registrar_api, clock) -> None:
    assert registrar_api.incoming(meta(subject="ทดสอบส่งออก")).status_code == 201
    web = Client()
    web.force_login(user("registrar"))
    for fmt in ("csv", "xlsx", "pdf"):
        r = web.get(f"/registers/received/2569/export.{fmt}")
        assert r.status_code == 200
        plain, full = _filenames(r["Content-Disposition"])
        assert full.startswith("ทะเบียนหนังสือรับ ") and full.endswith(f"พ.ศ. 2569.{fmt}"), full
        assert plain.startswith("register-") and plain.isascii()
    api = registrar_api.get("/registers/received/2569/export.csv")
    assert _filenames(api["Content-Disposition"])[1].startswith("ทะเบียนหนังสือรับ ")
    rows = list(csv.reader(io.StringIO(api.content.decode("utf-8-sig"))))
    when = rows[1][-2]
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/25\d\d \d{2}\.\d{2} น\.", when) or re.fullmatch(
        r"\d{1,2}/\d{1,2}/25\d\d \d{1,2}[:.]\d{2}.*", when), when
    assert not re.search(r"20\d\d-\d\d-\d\d", api.content.decode("utf-8-sig"))  # no Gregorian ISO date


@pytest.mark.django_db
def test_the_duplicate_warning_names_the_tick_box_not_the_parameter(registrar_api, clock) -> None:
    assert registrar_api.incoming(meta()).status_code == 201
    again = registrar_api.incoming(meta())
    body = again.json()
    assert body["code"] == "likely_duplicate", body
    assert "ยืนยันว่าเป็นหนังสือคนละฉบับ" in body["message_th"] and "It is a different letter" in body["message_en"]
    assert "allow_duplicate" not in body["message_th"] + body["message_en"]
    assert body["details"]["confirm_with"] == "allow_duplicate"  # API clients still learn the parameter
