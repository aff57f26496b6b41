"""Page fit: the editor's preview and the signed letter break their pages alike (the date keeps its
line before it is given, the signers' titles and typed-name lines are those of the signing day), the
closing lines move to the next page with the signature, and the QR code stays inside the page."""

from __future__ import annotations

import pytest

from saraban.drafting import actions, build, preview, queries, signing_flow
from saraban.letterpress.content import Kind
from saraban.letterpress.raster import page_count
from saraban.letterpress.render import CM, QR_BOX
from saraban.storage import blobs
from tests.fixtures import user

from ..letterpress.pdftools import pdftotext
from ..letterpress.realistic import CLOSING, ITEMS, LATER, MIDDLE, OPENING
from .flow import PIN, approved, person
from .test_kinds_flow import CASES

pytestmark = pytest.mark.django_db
BODY = "\n\n".join((OPENING, MIDDLE, *(f"{n}. {item}" for n, item in enumerate(ITEMS, start=1)), LATER, CLOSING))


def _sign(draft, who: str) -> bytes:
    record = signing_flow.sign_draft(user(who), draft, pins={who: PIN})
    return blobs.read(record.signed_file.blob)


def _preview_pages(draft) -> int:
    shown = preview.preview(draft, queries.letter_of(queries.version(draft)))
    assert not [p for p in shown.problems if p.code != "emblem_missing"], shown.problems
    return len(shown.images)


def test_preview_and_signed_letter_have_the_same_pages_for_every_kind(signing) -> None:
    for kind, extra, (who, mode), _book, circular in CASES:
        body = f"{OPENING}\n\n{CLOSING}" if Kind(kind) in build.ONE_PAGE else BODY  # stamped, certificates
        draft = approved(kind, reviewers=(), signers=((who, mode),), circular=circular,
                         form={"subject": f"เรื่องทดสอบ{kind}", "body": body, **extra})
        before = _preview_pages(draft)
        assert page_count(_sign(draft, who)) == before, kind


def _letter_with(draft, words: int):
    body = BODY.replace(CLOSING, " ".join(["การดำเนินงาน"] * words) + "\n\n" + CLOSING) if words else BODY
    return body, actions.prepare_content(draft, form={"body": body}, content=None)


def test_a_letter_one_line_short_of_two_pages(signing) -> None:
    officer = user("officer")
    draft = actions.create_draft(officer, kind="external", form={"subject": "ทดสอบการจัดหน้า",
                                                                   "to_title": "อธิบดีกรมศิลปากร", "body": "x"})
    actions.set_people(officer, draft, reviewers=[], signers=[actions.SignerChoice(person("permsec"))])
    draft.refresh_from_db()
    short = BODY.split("\n\n")
    # the longest body of whole paragraphs that still previews on one page, then words up to the edge
    body = ""
    for n in range(1, len(short) + 1):
        candidate = "\n\n".join(short[:n])
        letter = actions.prepare_content(draft, form={"body": candidate}, content=None)
        if len(preview.preview(draft, letter).images) > 1:
            break
        body = candidate
    words = 0
    while True:
        letter = actions.prepare_content(draft, form={"body": body + " การดำเนินงาน" * (words + 1)}, content=None)
        if len(preview.preview(draft, letter).images) > 1:
            break
        words += 1
    full = body + " การดำเนินงาน" * words
    over = body + " การดำเนินงาน" * (words + 8)
    for text, pages in ((full, 1), (over, 2)):
        d = approved("external", reviewers=(), signers=(("permsec", "pki"),),
                     form={"subject": "ทดสอบการจัดหน้า", "to_title": "อธิบดีกรมศิลปากร", "body": text})
        assert _preview_pages(d) == pages
        signed = _sign(d, "permsec")
        assert page_count(signed) == pages
        if pages == 2:  # page 2 opens with the closing lines (never a lone one), then the signature
            second = [x.strip() for x in pdftotext(signed, "-f", "2", "-l", "2").splitlines() if x.strip()]
            before_closing = second[1:second.index("ขอแสดงความนับถือ")]  # after the page number
            assert len(before_closing) >= 2, second[:6]


def test_qr_code_sits_inside_the_page_and_clear_of_the_text() -> None:
    assert QR_BOX.x >= 1 * CM and QR_BOX.y >= 1 * CM  # a centimetre from the paper's edges
    assert QR_BOX.x + QR_BOX.width <= 3 * CM - 0.2 * CM  # left of the text (left margin 3 cm)
    assert QR_BOX.y + QR_BOX.height <= 3 * CM
