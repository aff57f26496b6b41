"""Web pages of the drafting flow: the lists, the editor with its live preview, review and signing.

Views parse, look the draft up through :mod:`saraban.drafting.queries` (which applies the access rules) and call
actions; every decision about what is allowed is made there.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.audit.models import AuditEvent
from saraban.drafting import actions, build, diff, keys, policy, queries, signing_flow
from saraban.drafting.models import Draft, DraftComment, DraftStatus, ParticipantRole, PinMode, SignedRecord, SignerKey
from saraban.drafting.preview import preview
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound, SarabanError
from saraban.letterpress.content import KIND_NAME_TH, Kind
from saraban.letterpress.fields import fields_for, form_values
from saraban.letters.reads import record_read
from saraban.orgs import titles
from saraban.orgs.models import Delegation, Person
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import content_disposition, public_base
from saraban.transport.limits import limited
from saraban.web.render import render

KIND_EN = {
    "external": "External letter", "memo": "Memo", "stamped": "Stamped letter", "order": "Order",
    "regulation": "Regulation", "rule": "By-law", "announcement": "Announcement", "statement": "Statement",
    "news": "News release", "certificate": "Certificate", "minutes": "Minutes", "memo_record": "Memo record",
    "other": "Other record",
}
GROUPS = [
    ("หนังสือภายนอก", "External", ["external"]),
    ("หนังสือภายใน", "Internal", ["memo"]),
    ("หนังสือประทับตรา", "Stamped", ["stamped"]),
    ("หนังสือสั่งการ", "Directives", ["order", "regulation", "rule"]),
    ("หนังสือประชาสัมพันธ์", "Public relations", ["announcement", "statement", "news"]),
    ("หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐาน", "Records", ["certificate", "minutes", "memo_record", "other"]),
]
BOXES = [("review", "รอตรวจ/พิจารณา", "To review"), ("sign", "รอลงนาม", "To sign"),
         ("mine", "ร่างของฉัน", "My drafts"), ("all", "ทั้งหมดที่เกี่ยวข้อง", "All I take part in")]


def _draft(request: HttpRequest, draft_id: uuid.UUID) -> Draft:
    """The draft, if the user may see it; every page that opens a classified draft logs the read."""
    try:
        draft = queries.draft_for(request.user, draft_id)
    except NotFound as exc:
        raise Http404 from exc
    match = request.resolver_match
    record_read(signed_in(request), draft, via=f"web.{match.url_name if match else 'draft'}", role="draft")
    return draft


@login_required
def index(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box") or "review"
    drafts = list(queries.drafts_for(request.user, box)[:300])
    record_read(signed_in(request), None, via="web.drafts", role="listing", listed=drafts)
    counts = {b: queries.drafts_for(request.user, b).count() for b in ("review", "sign")}
    boxes = [(key, th, en, counts.get(key, 0)) for key, th, en in BOXES]
    return render(request, "drafts/list.html", {
        "drafts": drafts, "box": box, "boxes": boxes, "groups": _groups(),
        "token": once.new_token(request),
    })


def _groups() -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    return [(th, en, [(k, KIND_NAME_TH[Kind(k)], KIND_EN[k]) for k in kinds]) for th, en, kinds in GROUPS]


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")

    def do() -> str:
        draft = actions.create_draft(request.user, kind=kind, circular=request.POST.get("circular") == "1")
        return f"/drafts/{draft.pk}/"

    return once.form(request, {"kind": kind}, do, back="/drafts/?box=mine")


def _people_context(draft: Draft) -> dict[str, Any]:
    signers = queries.participants(draft, ParticipantRole.SIGNER)
    reviewers = queries.participants(draft, ParticipantRole.REVIEWER)
    return {
        "signers": signers, "reviewers": reviewers,
        "reviewer_slots": [reviewers[i].person_id if i < len(reviewers) else None for i in range(4)],
        "signer_slots": [(signers[i].person_id, signers[i].mode,
                          signers[i].position if signers[i].position_fixed else "", _capacity_value(signers[i]))
                         if i < len(signers) else (None, "", "", "auto")
                         for i in range(3 if draft.kind_enum not in build.SINGLE_SIGNER else 1)],
        "capacities": _capacity_choices(draft),
        "modes": build.allowed_modes(draft.kind_enum),
    }


def _capacity_value(p: Any) -> str:
    return f"delegated:{p.delegation_id}" if p.capacity == "delegated" and p.delegation_id else (p.capacity or "auto")


def _capacity_choices(draft: Draft) -> list[tuple[str, str]]:
    """The signing capacities offered: as on record, own position, and each delegating order in force."""
    choices = [(k, f"{th}|{en}") for k, (th, en) in titles.CAPACITIES.items() if k != "delegated"]
    for c in queries.candidates(draft):
        for d in titles.delegations_for(c.person, clock.today(), draft.kind):
            choices.append((f"delegated:{d.pk}", f"{c.person.full_name_th}: ปฏิบัติราชการแทน{d.principal.title_th} "
                                                 f"({d.order_ref})|under delegation: {d.order_ref}"))
    return choices


def _capacity(value: str) -> tuple[str, Delegation | None]:
    kind, _, ref = (value or "auto").partition(":")
    if kind != "delegated":
        return kind, None
    try:
        return kind, Delegation.objects.select_related("principal").filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        return kind, None


def _sign_context(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    """For an approved draft: who signs with what key, and which PINs are asked."""
    rows = []
    for spec in queries.signers(draft):
        key = None
        if spec.mode == "pki":
            key = SignerKey.objects.filter(person=spec.person, active=True).first()
        elif spec.mode == "seal":
            try:
                key = keys.seal_key(draft.agency)
            except SarabanError:
                key = None
        rows.append({"spec": spec, "key": key, "ask": spec.mode == "pki" and key is not None
                     and key.pin_mode == PinMode.ASK, "is_me": spec.person.user_id == request.user.pk})
    return {"sign_rows": rows, "can_sign": policy.can_sign_draft(principal_for(request.user), draft)}


@login_required
def editor(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    p = principal_for(request.user)
    version = queries.version(draft)
    letter = queries.letter_of(version)
    history = list(AuditEvent.objects.filter(object_id=str(draft.pk)).order_by("seq"))
    record = queries.signed_record(draft) if draft.status == DraftStatus.SIGNED else None
    steps = queries.steps(draft)
    people = {x.user_id: x.full_name_th for x in Person.objects.filter(
        user_id__in={e.actor_id for e in history if e.actor_id})}
    for ev in history:
        ev.who = people.get(ev.actor_id, ev.actor_name)
    ctx = {
        "draft": draft, "version": version, "letter": letter, "values": (values := form_values(letter)),
        "rows": [(f, values.get(f.name, "")) for f in fields_for(draft.kind)],
        "kind_th": KIND_NAME_TH[draft.kind_enum], "kind_en": KIND_EN[draft.kind],
        "can_edit": policy.can_edit_draft(p, draft), "can_review": policy.can_review_draft(p, draft),
        "is_owner": draft.drafter_id == p.person_id or draft.preparer_id == p.person_id,
        "versions": list(draft.versions.select_related("author").order_by("-number")),
        "steps": steps, "returns": [s for s in steps if s.state == "returned"],
        "comments": list(DraftComment.objects.filter(draft=draft).select_related("person")),
        "history": history, "record": record, "candidates": queries.candidates(draft),
        "current_step": queries.current_step(draft), "token": once.new_token(request),
        "book": _book_label(build.book_for(draft.kind_enum, circular=draft.circular), draft.secrecy),
        "circular_allowed": draft.kind_enum in build.CIRCULAR_KINDS,
        "enclosures": list(draft.enclosures.select_related("blob").order_by("order")),
        "prints_enclosures": build.has_enclosure_lines(letter), "reply_to": draft.reply_to,
        **_people_context(draft),
    }
    for step in ctx["returns"]:
        step.diff_lines = diff.parse(step.diff)
    if record is not None:
        ctx["signed_pages"] = range(1, record.pages + 1)
    if draft.status == DraftStatus.APPROVED:
        ctx.update(_sign_context(request, draft))
    return render(request, "drafts/editor.html", ctx)


def _book_label(book: str | None, secrecy: str) -> tuple[str, str]:
    from saraban.registry.books import BOOK_EN, BookKind

    if book is None:
        return ("ไม่ออกเลข (เก็บเป็นหลักฐาน)", "no number (kept as a record)")
    if secrecy != "normal":
        book = BookKind.SECRET_SENT
    return (BookKind(book).label, BOOK_EN[book])


def _form(request: HttpRequest, draft: Draft) -> dict[str, str]:
    names = [f.name for f in fields_for(draft.kind)] + ["body"]
    return {n: request.POST.get(n, "") for n in names if n in request.POST}


@login_required
@require_POST
def save(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    form = _form(request, draft)
    try:
        base = int(request.POST.get("base_version", "0"))
    except ValueError:
        base = 0
    circular = request.POST.get("circular") == "1" if "circular_field" in request.POST else None

    def do() -> str:
        v = actions.save_version(request.user, draft, base_version=base, form=form, circular=circular,
                                 note=request.POST.get("note", ""))
        messages.success(request, f"บันทึกฉบับที่ {v.number} แล้ว|Saved as version {v.number}")
        return f"/drafts/{draft.pk}/"

    return once.form(request, {"draft": str(draft.pk), "form": form, "base": base}, do, back=f"/drafts/{draft.pk}/")


@login_required
@require_POST
@limited("preview")
def live_preview(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    """HTMX: render the editor's current (unsaved) text, or the saved version, to page images."""
    draft = _draft(request, draft_id)
    form = _form(request, draft)
    error = None
    letter = queries.letter_of(queries.version(draft))
    if form and policy.can_edit_draft(principal_for(request.user), draft):
        try:
            letter = actions.prepare_content(draft, form=form)
        except SarabanError as exc:
            error = exc
    result = preview(draft, letter)
    return render(request, "drafts/_preview.html", {"preview": result, "error": error, "draft": draft})


@login_required
@limited("pdf")
def preview_pdf(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    result = preview(draft, queries.letter_of(queries.version(draft)))
    if not result.pdf:
        raise Http404
    resp = HttpResponse(result.pdf, content_type="application/pdf")
    resp["Content-Disposition"] = content_disposition(f"ร่างหนังสือ ฉบับที่ {draft.version}.pdf", inline=True,
                                                     fallback=f"draft-{draft.pk}-v{draft.version}.pdf")
    resp["Cache-Control"] = "private, no-store"
    return resp


def _person(value: str) -> Person | None:
    if not value:
        return None
    try:
        return Person.objects.select_related("user").get(pk=uuid.UUID(value))
    except (ValueError, Person.DoesNotExist):
        return None


@login_required
@require_POST
def people(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    reviewers = [p for p in (_person(v) for v in request.POST.getlist("reviewer")) if p is not None]
    signers = []
    capacities = request.POST.getlist("capacity")
    for n, (who, mode, position) in enumerate(zip(request.POST.getlist("signer"), request.POST.getlist("mode"),
                                                  request.POST.getlist("position"), strict=False)):
        person = _person(who)
        if person is not None:
            capacity, delegation = _capacity(capacities[n] if n < len(capacities) else "auto")
            signers.append(actions.SignerChoice(person, mode or build.allowed_modes(draft.kind_enum)[0],
                                                position.strip() or None, capacity, delegation))
    preparer = _person(request.POST.get("preparer", ""))
    parts = {"draft": str(draft.pk), "r": [str(p.pk) for p in reviewers],
             "s": [(str(s.person.pk), s.mode, s.position, s.capacity, str(s.delegation.pk) if s.delegation else "")
                   for s in signers]}

    def do() -> str:
        actions.set_people(request.user, draft, reviewers=reviewers, signers=signers, preparer=preparer)
        return f"/drafts/{draft.pk}/"

    return once.form(request, parts, do, back=f"/drafts/{draft.pk}/",
                     ok=("บันทึกผู้ตรวจและผู้ลงนามแล้ว", "Reviewers and signers saved"))


@login_required
@require_POST
def submit(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)

    def do() -> str:
        actions.submit_checked(request.user, draft)
        return f"/drafts/{draft.pk}/"

    return once.form(request, {"draft": str(draft.pk), "v": draft.version}, do, back=f"/drafts/{draft.pk}/",
                     ok=("เสนอร่างแล้ว", "Submitted for review"))


@login_required
@require_POST
def decide(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")

    def do() -> str:
        actions.decide(request.user, draft, decision=decision, comment=comment)
        if decision == "return":
            messages.success(request, "ส่งกลับให้แก้ไขแล้ว|Returned for revision")
        else:
            messages.success(request, "ผ่านการพิจารณาแล้ว|Passed on")
        return f"/drafts/{draft.pk}/"

    return once.form(request, {"draft": str(draft.pk), "d": decision, "c": comment}, do, back=f"/drafts/{draft.pk}/")


@login_required
@require_POST
def comment(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    text = request.POST.get("text", "")
    back = f"/drafts/{draft.pk}/#comments"
    return once.form(request, {"draft": str(draft.pk), "t": text},
                     lambda: (actions.add_comment(request.user, draft, text), back)[1], back=back)


@login_required
@require_POST
def cancel(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    reason = request.POST.get("reason", "")
    back = f"/drafts/{draft.pk}/"
    return once.form(request, {"draft": str(draft.pk), "cancel": reason},
                     lambda: (actions.cancel(request.user, draft, reason), back)[1], back=back,
                     ok=("ยกเลิกร่างแล้ว", "Draft cancelled"))


@login_required
@require_POST
def sign(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    pins = {k[4:]: v for k, v in request.POST.items() if k.startswith("pin-") and v}

    def do() -> str:
        record = signing_flow.sign_draft(request.user, draft, pins=pins, base_url=public_base(request))
        number = record.number or "-"
        messages.success(request, f"ลงนามแล้ว เลขที่ {number}|Signed, number {number}")
        return f"/letters/{record.letter_id}/"

    # the PINs are not part of the idempotency fingerprint (never stored)
    return once.form(request, {"draft": str(draft.pk), "sign": draft.approved_version}, do,
                     back=f"/drafts/{draft.pk}/#sign")


@login_required
def version_diff(request: HttpRequest, draft_id: uuid.UUID, number: int) -> HttpResponse:
    """HTMX: what version ``number`` changed from the one before (or from ``?from=``)."""
    draft = _draft(request, draft_id)
    try:
        base = int(request.GET.get("from", number - 1))
        old, new = queries.version(draft, base), queries.version(draft, number)
    except (ValueError, NotFound) as exc:
        raise Http404 from exc
    text = diff.unified(queries.letter_of(old), queries.letter_of(new), old_label=f"ฉบับที่ {old.number}",
                        new_label=f"ฉบับที่ {new.number}")
    return render(request, "drafts/_diff.html", {"lines": diff.parse(text), "old": old, "new": new})


@login_required
def file_copy(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """The file copy (สำเนาคู่ฉบับ) of a letter signed here: for whoever may see the letter."""
    from saraban.letters import queries as letter_queries

    try:
        letter = letter_queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc
    record = SignedRecord.objects.select_related("file_copy", "signed_file").filter(letter=letter).first()
    if record is None:
        raise Http404
    record_read(signed_in(request), letter, record.file_copy, role="file_copy", via="web.file_copy")
    resp = HttpResponse(blobs.read(record.file_copy), content_type="application/pdf")
    resp["Content-Disposition"] = content_disposition(f"สำเนาคู่ฉบับ {record.number or letter.pk}.pdf", inline=True,
                                                     fallback=f"file-copy-{record.number or letter.pk}.pdf")
    resp["Cache-Control"] = "private, no-store"
    return resp
