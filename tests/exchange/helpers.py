"""Making an issued, signed outgoing letter to send."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from tests.fixtures import make_pdf, user


@cache
def signed_pdf(pki_dir: str, text: str = "หนังสือทดสอบการส่งระหว่างระบบ") -> bytes:
    """A one-page letter with a PAdES signature by a TEST person certificate of the federation's PKI."""
    from saraban.signing.pades import Signing, TrustSettings, sign_pdf
    from saraban.signing.pki import PersonSpec, TestPKI
    from saraban.signing.signers import KeyFile

    pki = TestPKI.load(Path(pki_dir))
    if "person-somchai" not in pki.credentials:
        pki.issue_person(PersonSpec("somchai", "นายสมชาย ใจดี"))
    path = Path(pki_dir) / "person-somchai.p12"
    trust = TrustSettings(trust_roots=(pki.root.cert,), other_certs=(pki.intermediate.cert,))
    return sign_pdf(make_pdf(text), [Signing(KeyFile(path, "TEST-only-password"))], trust)  # type: ignore[call-arg]


def issue(username: str = "registrar", *, pdf: bytes | None = None, secrecy: str = "normal", subject: str = "",
          urgency: str = "urgent") -> Any:
    """An outgoing letter with an issued number (and a PDF) of the user's unit."""
    from saraban.registry import actions as registry
    from saraban.registry.validation import OutgoingMetadata

    meta = OutgoingMetadata(addressee="อธิบดีกรมอุตุนิยมวิทยา", subject=subject or "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝน",
                            urgency=urgency, secrecy=secrecy)
    u = user(username)
    entry = registry.issue_outgoing(u, meta, registry.Upload(pdf or make_pdf(), "letter.pdf"))
    return entry


FORM = {"subject": "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝนรายเดือน", "to_title": "อธิบดีกรมอุตุนิยมวิทยา",
        "to_class": "general", "copies_to": "ผู้อำนวยการสำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์",
        "body": "ด้วยสำนักงานปลัดกระทรวงมีความประสงค์ขอรับข้อมูลปริมาณน้ำฝน\n\nจึงเรียนมาเพื่อโปรดพิจารณา"}
XLSX = b"PK\x03\x04" + bytes(range(200))


def signed_with_enclosures() -> Any:
    """officer drafts with two enclosures, ict-director reviews, permsec approves and signs (in-process)."""
    from saraban.drafting import actions as drafting
    from saraban.drafting import queries as drafting_queries
    from saraban.drafting import signing_flow
    from saraban.letters.enclosures import Upload
    from saraban.letters.models import Letter
    from tests.drafting.flow import PIN, person

    officer = user("officer")
    draft = drafting.create_draft(officer, kind="external", form=FORM)
    drafting.attach(officer, draft, [Upload(make_pdf("กำหนดการ", variant=7), "กำหนดการ.pdf",
                                            title="กำหนดการประชุม จำนวน 1 ฉบับ"),
                                     Upload(XLSX, "แบบสำรวจ.xlsx")])
    drafting.set_people(officer, draft, reviewers=[person("ict-director")],
                        signers=[drafting.SignerChoice(person("permsec"), "pki")])
    draft.refresh_from_db()
    drafting.submit(officer, draft, version=draft.version)
    for name in ("ict-director", "permsec"):
        drafting.decide(user(name), drafting_queries.draft_for(user(name), draft.pk), decision="approve")
    draft.refresh_from_db()
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN})
    return Letter.objects.get(pk=record.letter_id)
