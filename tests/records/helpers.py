"""Letters registered on a given day, filed under a file code: the records tests' small world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saraban.kernel.clock import BANGKOK, MovableClock, use_clock
from saraban.letters.models import Letter
from saraban.orgs.models import Agency, Person
from saraban.records.actions.fileplan import CodeRow, save_file_codes
from saraban.records.actions.filing import file_letter
from saraban.records.models import FileCode, Filing
from saraban.registry.actions import Upload, register_incoming
from saraban.registry.validation import IncomingMetadata
from tests.fixtures import make_pdf, user

PLAN = [
    CodeRow(code="01", title_th="งานบริหารทั่วไป"),
    CodeRow(code="01.01", parent="01", title_th="การลา", retention="1y", basis="ข้อ 57 เรื่องธรรมดาที่ทำเป็นประจำ"),
    CodeRow(code="01.02", parent="01", title_th="หนังสือทั่วไป"),
    CodeRow(code="02", title_th="นโยบายและแผน", retention="permanent"),
]


def at(year: int, month: int = 3, day: int = 3) -> Any:
    return use_clock(MovableClock(dt.datetime(year, month, day, 10, 0, tzinfo=BANGKOK)))


def plan(agency_code: str = "mdes-ops") -> Agency:
    agency = Agency.objects.get(code=agency_code)
    with at(2010):
        save_file_codes(user("registrar" if agency_code == "mdes-ops" else "onde-registrar"), agency, PLAN)
    return agency


def letter(dated: dt.date, subject: str = "ขอลาพักผ่อน", secrecy: str = "normal", username: str = "registrar") -> Letter:
    with use_clock(MovableClock(dt.datetime(dated.year, dated.month, dated.day, 11, 0, tzinfo=BANGKOK))):
        entry = register_incoming(user(username), IncomingMetadata(
            their_ref=f"ทส 0101/{dated.isoformat()}", their_date=dated, sender="กองทดสอบ", addressee="ปลัดกระทรวง",
            subject=subject, secrecy=secrecy), Upload(make_pdf(subject), "letter.pdf"))
    return entry.letter


def filed(dated: dt.date, code: str, *, completed: dt.date | None = None, **kw: Any) -> Filing:
    subject = kw.pop("subject", "ขอลาพักผ่อน")
    secrecy = kw.pop("secrecy", "normal")
    lt = letter(dated, subject, secrecy, "registrar" if secrecy == "normal" else "secretary")
    completed = completed or dated
    with use_clock(MovableClock(dt.datetime(completed.year, completed.month, completed.day, 15, 0, tzinfo=BANGKOK))):
        return file_letter(user("registrar"), lt, FileCode.objects.get(agency=lt.agency, code=code),
                           completed_on=completed, **kw)


def people(*usernames: str) -> list[Person]:
    return [Person.objects.get(user__username=u) for u in usernames]
