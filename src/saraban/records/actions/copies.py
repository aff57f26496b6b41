"""Certified copies (สำเนาถูกต้อง, R45; ข้อ 31): a copy given with a loan, stamped "สำเนาถูกต้อง" with the
certifier's name, position and date, and signed (PAdES) with the existing signing backend.

The copy is a new file derived from the letter's file: the original is never touched.  It is signed with the
certifier's own key when they have one (their PIN is asked), else with the agency's seal key (held by the
server).  It is recorded against the loan; a classified letter's copy is stored encrypted.
"""

from __future__ import annotations

import html
import uuid

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.drafting import keys, trust
from saraban.drafting.models import SignerKey
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.thai import format_date
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.letters.models import FileRole, LetterFile
from saraban.orgs.models import Agency, Person
from saraban.registry.stamp import apply_stamp
from saraban.routing.resolve import own_position
from saraban.signing.pades import Signing, sign_pdf
from saraban.storage import blobs

from .. import errors
from ..models import CertifiedCopy, Loan
from ..policy import can_lend, can_view_loan

CERTIFIED = "สำเนาถูกต้อง"
STAMP_MM = (70.0, 30.0)


def render_certification(name: str, position: str, date: str) -> bytes:
    """The "สำเนาถูกต้อง" block: the words, the certifier's typed name in brackets, position and date."""
    w, h = STAMP_MM
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}
@page {{ size: {w}mm {h}mm; margin: 0; }}
html, body {{ margin: 0; }}
body {{ font-family: 'Sarabun'; color: #1d3c96; }}
.box {{ box-sizing: border-box; width: {w}mm; height: {h}mm; border: 0.5mm solid #1d3c96; border-radius: 1mm;
        padding: 1mm 2mm; background: rgba(255,255,255,0.9); text-align: center; line-height: 1.3; }}
.big {{ font-size: 16pt; font-weight: 700; }}
.row {{ font-size: 10.5pt; }}
</style></head><body><div class="box"><div class="big">{CERTIFIED}</div>
<div class="row">({html.escape(name)})</div><div class="row">{html.escape(position)}</div>
<div class="row">{html.escape(date)}</div></div></body></html>"""
    return html_to_pdf(doc)


def _source(loan: Loan, file_id: uuid.UUID | None) -> LetterFile:
    files = LetterFile.objects.filter(letter=loan.letter).select_related("blob")
    f = files.filter(pk=file_id).first() if file_id else files.filter(role=FileRole.LETTER).order_by("order").first()
    if f is None or f.content_type != "application/pdf":
        raise errors.InvalidInput("ไม่พบไฟล์ PDF ของหนังสือที่จะทำสำเนา", "No PDF file of the letter to copy",
                                  code="copy_source_missing")
    return f


def _signing(person: Person, agency: Agency, name: str, position: str, pin: str | None) -> Signing:
    """The certifier's own key if they have one (PIN asked), else the lending agency's seal key."""
    own = SignerKey.objects.filter(person=person, active=True).first()
    source, expected = keys.unlock(own if own is not None else keys.seal_key(agency), pin)
    return Signing(key=source, name=name, position=position, expected=expected, reason=CERTIFIED)


@action("records.copy_certified")
def certify_copy(actor: Actor, loan_id: uuid.UUID, *, file_id: uuid.UUID | None = None,
                 pin: str | None = None) -> CertifiedCopy:
    """Make, stamp, sign and record a certified copy of the loaned letter's file."""
    p = principal_for(actor)
    loan = Loan.objects.select_related("letter", "agency").filter(pk=loan_id).first()
    if loan is None or not can_view_loan(p, loan):
        raise errors.LoanNotFound()
    if not can_lend(p, loan.letter):
        raise errors.NotAllowedToLend()
    person = Person.objects.select_related("home_unit__agency").filter(user=actor).first()
    if person is None:
        raise errors.NotAllowedToLend()
    now = clock.now()
    position = own_position(person, clock.to_bkk(now).date())
    title = position.title_th if position else ""
    source = _source(loan, file_id)
    stamped = apply_stamp(blobs.read(source.blob), render_certification(
        person.full_name_th, title, format_date(now, style="abbr")), left=True, bottom=True, size_mm=STAMP_MM)
    config = trust.config()
    signed = sign_pdf(stamped, [_signing(person, loan.agency, person.full_name_th, title, pin)], config.trust,
                      level=config.level)
    blob = blobs.put(signed, "application/pdf", encrypted=loan.letter.is_classified)
    copy = CertifiedCopy.objects.create(loan=loan, source=source, blob=blob, certifier=person,
                                        certifier_name=person.full_name_th, certifier_position=title, signed=True,
                                        certified_at=now, created_by=actor)
    audit.record("records.copy_certified", actor=actor, obj=copy, data={
        "loan": str(loan.pk), "letter": str(loan.letter_id), "source_sha256": source.blob.sha256,
        "sha256": blob.sha256})
    return copy
