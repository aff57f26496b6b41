"""Every read of classified content is audited by one function, on every path (issue #14, finding
"classified reads not audited": intake files, secret-register listings and exports, letter metadata).

The test walks Django's URL resolver and the API's OpenAPI description, calls every route that answers GET
as a cleared user against a ลับ letter, intake item, draft and secret register, and asserts that each
answer carrying content wrote a ``letter.read_classified`` event (:func:`saraban.letters.reads.record_read`
is the only writer of that event).  Routes that serve no classified content are listed below with the
reason, and their answers are checked not to carry the classified subject.  Routes that answer only POST,
PUT or DELETE are actions (audited as such); the one POST that renders a draft is exercised explicitly.
A new route fails this test until it audits its reads or is added to the list with a reason.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from saraban.api.app import api
from saraban.audit.models import AuditEvent
from saraban.drafting.actions import attach, create_draft, save_version
from saraban.intake import actions as intake
from saraban.letters.enclosures import Upload
from saraban.letters.models import Letter, LetterFile
from saraban.orgs.models import Person
from saraban.records.actions.loans import LoanRequest, lend
from saraban.records.models import CertifiedCopy, FileCode, Filing
from saraban.registry.validation import IntakeMetadata
from saraban.routing import actions as routing
from saraban.routing.models import ReportFile
from saraban.routing.resolve import Target
from saraban.storage import blobs
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db

MARK = "แผนอพยพศูนย์ข้อมูลลับเฉพาะ"
READERS = ("secretary", "permsec")  # cleared for ลับ: the secret registrar, an executive it was sent to

WEB_NO_CONTENT = {  # reviewed: these pages serve nothing of a classified letter
    "ops/health/": "task names, counts and error classes of the background queue",
    "manage/": "the administrator's landing page: health checks, queue counts and links to settings",
    "healthz": "the process is alive", "readyz": "the database and the blob store answer",
    "metrics": "counters labelled by URL pattern and queue state, never a letter's id or words",
    ".well-known/sbx": "the node's public exchange description",
    ".well-known/sbx.p7s": "its signature",
    "sbx/v1/schemas/<str:name>": "public JSON schemas",
    "exchange/dashboard/": "delivery counts and recipients' codes",
    "exchange/directory/": "the exchange directory",
    "routing/holidays/": "the holiday calendar",
    "routing/templates/": "route templates",
    "routing/settings/": "the user's notification settings",
    "drafts/new/": "an empty form",
    "verify/": "a form to check a letter",
    "verify/<str:token>": "public verification: a classified letter's number, subject and signers are never shown",
    "verify/<str:token>/": "the same",
    "login/": "the sign-in form", "logout/": "a redirect", "account/totp/": "the user's own TOTP set-up",
    "intake/upload/": "an upload form", "outgoing/": "a form to issue a number",
    "placeholder/": "a form for a ลับที่สุด placeholder", "registers/": "the names of the books one may open",
    "mail/": "the central mailbox's messages before registration: nothing there is classified yet (a ลับ letter "
             "does not travel by plain e-mail; once registered it is a letter, audited above)",
    "mail/health/": "the mailbox's state", "mail/settings/": "the mailbox's settings",
    "mail/<uuid:mail_id>/": "one mailbox message before registration (see mail/)",
    "mail/<uuid:mail_id>/original.eml": "its raw message (see mail/)",
    "search/saved/<int:saved_id>/delete/": "deletes one of the user's saved searches (POST only)",
    "letters/<uuid:letter_id>/text/": "the files' text panel: none for a classified letter (404), whose files' "
                                      "text is never read into the database",
    "records/": "the records officer's overview: counts, file codes and destruction lists' states",
    "records/plan/": "the file plan: codes, titles, retention classes", "records/plan/export.<str:fmt>": "the same",
    "records/forms/<str:form>.<str:fmt>": "forms 19-22: a classified letter's subject prints as (หนังสือลับ)",
    "records/lists/<uuid:list_id>/": "a destruction list: a classified item's subject shows as (หนังสือลับ)",
    "records/lists/<uuid:list_id>/print/<str:which>.<str:fmt>": "its forms, with the same redaction",
    "records/handover/<int:year>/package.zip": "the 20-year package: classified letters never enter it (form 22)",
    "settings/emblems/": "the agencies' Garuda emblems", "settings/emblems/<slug:code>/sample.png": "a sample",
    "help/": "the user guide (docs/guide)", "help/<slug:slug>/": "a page of the user guide",
    "help/img/<str:name>": "a screenshot of the user guide",
}
EXERCISED_ELSEWHERE = {  # audited, and proven by a test that builds what the route needs
    "letters/<uuid:letter_id>/file-copy.pdf": "tests/drafting/test_kinds_flow.py signs a ลับ memo and reads its "
                                              "file copy: one letter.read_classified event via web.file_copy",
}
QUERY = {"drafts/": "?box=mine", "search/": "?q=แผนอพยพ", "search/instant/": "?q=แผนอพยพ"}
API_QUERY = {"/drafts/{draft_id}/diff": "?to=2", "/search": "?q=แผนอพยพ"}
API_NO_CONTENT = {
    "/records/destruction-lists": "destruction lists: a classified item's subject is (หนังสือลับ)",
    "/records/destruction-lists/{list_id}": "one list, with the same redaction",
    "/records/file-plan": "the file plan's codes and classes", "/records/file-plan/export.{fmt}": "the same",
    "/records/handover/{year_be}": "the 20-year lists: classified letters are kept (form 22), their subjects redacted",
    "/me": "who the caller is", "/units": "the unit tree", "/registers": "the names of the books one may open",
    "/routing/holidays/{year}": "the holiday calendar", "/routing/working-days": "a date computation",
    "/routing/templates": "route templates", "/routing/preferences": "the caller's notification settings",
    "/routing/notifications": "notices: a classified letter's say only มีหนังสือลับถึงท่าน",
    "/search/saved": "the caller's own saved searches: names and query parameters",
    "/directory": "the exchange directory", "/exchange/outbox": "message ids, codes and states",
    "/exchange/inbox": "message ids, codes and states", "/exchange/dashboard": "counts",
    "/verify/{token}": "public verification: a classified letter's details are never shown",
}


@pytest.fixture
def world(org, clock, api_for) -> dict[str, Any]:
    sec = api_for("secretary")
    r = sec.incoming(meta(secrecy="secret", subject=MARK, their_ref="กห 0201/ลับ 9"))
    assert r.status_code == 201, r.content
    letter_id = r.json()["id"]
    original = LetterFile.objects.get(letter_id=letter_id, role="letter")
    routing.distribute(user("secretary"), original.letter, [Target(person="permsec")], instruction="ทราบ")
    r2 = sec.incoming(meta(secrecy="secret", subject=MARK, their_ref="กห 0201/ลับ 11"))  # its step is reported done
    reported = LetterFile.objects.get(letter_id=r2.json()["id"], role="letter").letter
    [step] = routing.distribute(user("secretary"), reported, [Target(person="permsec")], instruction="รายงาน")
    routing.report_done(user("permsec"), reported, step.pk, result="ทราบแล้ว",
                        files=[Upload(make_pdf(variant=7), "รายงาน.pdf")])
    report_file = ReportFile.objects.get(step=step)
    reserved = sec.post_multipart("/letters/outgoing", {"metadata": json.dumps(  # signed elsewhere, awaiting dispatch
        {"addressee": "อธิบดีกรมศิลปากร", "subject": MARK, "kind": "external", "secrecy": "secret"},
        ensure_ascii=False)})
    assert reserved.status_code == 201, reserved.content
    attached = sec.post_multipart(f"/letters/{reserved.json()['id']}/file", {"file": _named(make_pdf(variant=8))})
    assert attached.status_code == 201 and attached.json()["dispatch_state"] == "awaiting", attached.content
    item = intake.submit(user("secretary"), IntakeMetadata(**meta(secrecy="secret", subject=MARK,
                                                                  their_ref="กห 0201/ลับ 10")),
                         intake.Upload(make_pdf(variant=5), "in.pdf"))
    loan = lend(user("secretary"), LoanRequest(  # lent to the executive it was sent to: the loan pages show it
        letter_id=original.letter_id, medium="electronic", scope="internal", due=dt.date(2026, 3, 20),
        purpose="ประกอบการประชุม", borrower_id=Person.objects.get(user__username="permsec").pk))
    copy = CertifiedCopy.objects.create(  # a certified copy given with the loan: its download is a file read
        loan=loan, source=original, blob=blobs.put(make_pdf(variant=9), "application/pdf", encrypted=True),
        certifier=Person.objects.get(user__username="secretary"), certifier_name="ผู้รับรอง", certifier_position="",
        certified_at=clock.now(), created_by=user("secretary"))
    letter = Letter.objects.get(pk=original.letter_id)  # kept under a file code: its filing is its metadata
    code = FileCode.objects.create(agency=letter.agency, code="9.9", title_th="แฟ้มทดสอบ")
    Filing.objects.create(letter=letter, agency=letter.agency, file_code=code, retention="10y",
                          completed_on=clock.now().date(), base_year_be=2569, keep_until_be=2579, filed_at=clock.now())
    draft = create_draft(user("secretary"), kind="memo", form={"subject": MARK, "secrecy": "ลับ"})
    save_version(user("secretary"), draft, base_version=draft.version,
                 form={"subject": MARK + " (แก้ไข)", "secrecy": "ลับ"})
    [enclosure] = attach(user("secretary"), draft, [Upload(make_pdf(variant=6), "map.pdf", title="แผนที่")])
    return {
        "letter_id": letter_id, "letter_file": str(original.pk), "item_id": str(item.pk),
        "item_file": str(item.files.get().pk), "draft_id": str(draft.pk), "number": "2",
        "enclosure_id": str(enclosure.pk), "page": "1", "report_file": str(report_file.pk),
        "reported": reported.pk, "step": step.pk, "loan_id": str(loan.pk), "copy_id": str(copy.pk),
        "book": "secret_received", "year": "2569", "entry_id": r.json()["registration"]["id"],
        "token": "not-a-token", "name": "envelope.json", "api": {who: api_for(who) for who in READERS},
    }


def _named(data: bytes, name: str = "letter.pdf") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def _fill(route: str, w: dict[str, Any], fmt: str = "") -> str:
    def value(name: str) -> str:
        if name == "letter_id" and "steps" in route:
            return str(w["reported"])
        if name == "step_id":
            return str(w["step"])
        if name == "file_id":
            return w["item_file"] if "intake" in route else w["report_file"] if "steps" in route else w["letter_file"]
        if name == "fmt":
            return fmt
        return str(w.get(name) or uuid.uuid4())

    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)
    return re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), route)


def _web_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> list[str]:
        out: list[str] = []
        for p in patterns:
            if isinstance(p, URLResolver):
                out += walk(p.url_patterns, prefix + str(p.pattern))
            else:
                out.append(prefix + str(p.pattern))
        return out

    return [r for r in walk(get_resolver().url_patterns) if not r.startswith("api/v1/")]


def _api_gets() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="")
    return sorted(path for path, ops in schema["paths"].items() if "get" in ops)


def _reads() -> int:
    return AuditEvent.objects.filter(action="letter.read_classified").count()


def _variants(route: str) -> list[str]:
    return ["csv", "xlsx", "pdf"] if "fmt" in route else [""]


def _addressed(route: str) -> bool:
    """The route names one classified thing (a letter, an item, a draft, a registration): whatever it answers
    about it — route, recipients, versions, signatures — is that thing's classified metadata."""
    return any(name in route for name in ("letter_id", "item_id", "draft_id", "entry_id"))


def _check(route: str, get: Any, no_content: dict[str, str]) -> str | None:
    """None if the route is fine; else what is wrong with it.  A route is exercised when some reader gets an
    answer about a classified thing it names, or one carrying the classified subject, or a file (whose words
    cannot be searched): that answer must have written a read event."""
    for fmt in _variants(route):
        served = False
        for who in READERS:
            before = _reads()
            r = get(who, fmt)
            if r.status_code in (301, 302, 405) and route not in no_content:
                return None  # a redirect or an action: serves nothing
            body = r.content if r.status_code == 200 else b""
            if route in no_content:
                if MARK.encode() in body:
                    return f"{route} is listed as serving no content, but its answer carries the subject"
                served = True
                continue
            text = r.get("Content-Type", "").split(";")[0] in ("text/html", "application/json", "text/csv")
            classified = MARK.encode() in body or not text or _addressed(route)
            if r.status_code == 200 and classified:
                if _reads() <= before:
                    return f"{route} ({fmt or 'GET'}) served classified content to {who} without record_read"
                served = True
                break
        if not served:
            return f"{route} ({fmt or 'GET'}) could not be exercised (no reader got 200): fix the test's parameters"
    return None


def test_every_web_page_that_serves_classified_content_logs_the_read(world) -> None:
    clients = {}
    for who in READERS:
        clients[who] = Client()
        clients[who].force_login(user(who))
    problems = []
    routes = _web_routes()
    assert len(routes) > 50 and "letters/<uuid:letter_id>/" in routes
    for route in routes:
        if route == "hooks/line" or route in EXERCISED_ELSEWHERE:
            continue  # LINE's webhook: POST only, signed by LINE, serves nothing
        problem = _check(route, lambda who, fmt, route=route: clients[who].get(
            "/" + _fill(route, world, fmt) + QUERY.get(route, "")), WEB_NO_CONTENT)
        if problem:
            problems.append(problem)
    assert problems == [], "\n".join(problems)


def test_every_api_route_that_serves_classified_content_logs_the_read(world) -> None:
    problems = []
    routes = _api_gets()
    assert "/letters/{letter_id}" in routes and "/intake/{item_id}/files/{file_id}" in routes
    for route in routes:
        problem = _check(route, lambda who, fmt, route=route: world["api"][who].get(
            _fill(route, world, fmt) + API_QUERY.get(route, "")), API_NO_CONTENT)
        if problem:
            problems.append(problem)
    assert problems == [], "\n".join(problems)


def test_the_draft_preview_a_post_renders_is_logged(world) -> None:
    c = Client()
    c.force_login(user("secretary"))
    before = _reads()
    r = c.post(f"/drafts/{world['draft_id']}/preview/")
    assert r.status_code == 200 and _reads() > before


def test_the_allow_lists_name_only_real_routes(world) -> None:
    assert set(WEB_NO_CONTENT) | set(EXERCISED_ELSEWHERE) | set(QUERY) <= set(_web_routes())
    assert set(API_NO_CONTENT) <= set(_api_gets())


def test_a_listing_event_names_the_classified_rows(world) -> None:
    world["api"]["secretary"].get("/registers/secret_received/2569")
    ev = AuditEvent.objects.filter(action="letter.read_classified", data__via="api.register").get()
    assert ev.data["role"] == "listing" and ev.data["count"] == 2  # the two ลับ letters received
    assert f"registry.registerentry:{world['entry_id']}" in ev.data["items"] and len(ev.data["items"]) == 2
    assert MARK not in str(ev.data)
