"""Helpers for the drafting-flow tests: the demo's TEST PKI registered as signing keys, and a draft
taken through review and approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from saraban.kernel.clock import UTC
from saraban.signing.pki import TestPKI
from tests.fixtures import user

PKI_START = dt.datetime(2026, 1, 1, tzinfo=UTC)
"""The TEST PKI is issued before the tests' clock (3 Mar 2026) so its certificates are in force."""
PIN = "TEST-only-password"

EXTERNAL_FORM = {
    "subject": "ขอเชิญประชุมคณะทำงานกำหนดมาตรฐานสารบรรณอิเล็กทรอนิกส์",
    "to_title": "อธิบดีกรมศิลปากร",
    "to_class": "general",
    "references": "หนังสือกรมศิลปากร ที่ วธ 0401/567 ลงวันที่ 20 กุมภาพันธ์ 2569",
    "enclosures": "กำหนดการประชุม จำนวน 1 ฉบับ",
    "body": ("ตามที่กรมศิลปากรได้แจ้งความประสงค์ขอรับการสนับสนุนการดำเนินงาน นั้น\n\n"
             "สำนักงานปลัดกระทรวงกำหนดประชุมในวันที่ 15 มีนาคม 2569 เวลา 09.30 น. ดังนี้\n"
             "1. แนวทางการจัดเก็บหนังสือราชการอิเล็กทรอนิกส์\n"
             "2. การกำหนดสิทธิ์การเข้าถึงหนังสือลับ\n\n"
             "| ลำดับ | รายการ | เวลา |\n|---|---|---|\n| 1 | เปิดประชุม | 09.30 |\n| 2 | พิจารณาร่าง | 10.00 |\n\n"
             "จึงเรียนมาเพื่อโปรดพิจารณามอบหมายผู้แทนเข้าร่วมประชุม"),
}


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo-pki")
    TestPKI.create(directory, now=PKI_START)
    return directory


@pytest.fixture
def signing(org: Any, clock: Any, settings: Any, demo_pki_dir: Path) -> Iterator[dict[str, int]]:
    """The demo org with TEST signing keys for its executives and a seal for every agency."""
    from saraban.demo import signing as demo
    from saraban.drafting import trust

    settings.SARABAN_TEST_PKI = demo_pki_dir
    settings.SARABAN_TSA_URL = "local"
    trust.forget()
    counts = demo.setup_signing(demo_pki_dir)
    yield counts
    trust.forget()


def person(username: str) -> Any:
    return user(username).person


def approved(kind: str = "external", *, drafter: str = "officer", reviewers: Sequence[str] = ("ict-director",),
             signers: Sequence[tuple[str, str]] = (("permsec", "pki"),), form: dict[str, str] | None = None,
             circular: bool = False) -> Any:
    """A draft of ``kind`` taken through its review round to approval."""
    from saraban.drafting import actions, queries

    author = user(drafter)
    draft = actions.create_draft(author, kind=kind, form=form if form is not None else EXTERNAL_FORM,
                                 circular=circular)
    actions.set_people(author, draft, reviewers=[person(r) for r in reviewers],
                       signers=[actions.SignerChoice(person(u), mode) for u, mode in signers])
    draft.refresh_from_db()
    actions.submit(author, draft, version=draft.version)
    for name in [*reviewers, *(u for u, _ in signers)]:
        actions.decide(user(name), queries.draft_for(user(name), draft.pk), decision="approve")
    draft.refresh_from_db()
    assert draft.status == "approved", draft.status
    return draft
