"""Search pages: the results page with its advanced form, instant results for the top bar's box, saved
searches, and the letter page's panel showing its files' text (OCR progress)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.kernel.models import LetterKind, Secrecy, Urgency
from saraban.letters.models import Direction, Letter, LetterStatus
from saraban.letters.queries import file_for, letter_for
from saraban.letters.reads import record_read
from saraban.orgs.queries import person_for_user
from saraban.registry.books import BookKind
from saraban.search import actions
from saraban.search.actions import QUERY_KEYS
from saraban.search.models import FileText, SavedSearch
from saraban.search.params import filters_from
from saraban.search.query import Results, search
from saraban.search.texts import TEXT_ROLES
from saraban.transport import once
from saraban.web.render import render

PAGE = 20


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here requires one)."""
    return cast(User, request.user)


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in QUERY_KEYS if request.GET.get(k, "").strip()}


@login_required
def page(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    try:
        offset = max(0, min(int(request.GET.get("offset", "0") or 0), 1000))
    except ValueError:
        offset = 0
    error: SarabanError | None = None
    results: Results | None = None
    if params:
        try:
            results = search(principal_for(request.user), params.get("q", ""), filters_from(params), limit=PAGE,
                             offset=offset, facets=True)
        except SarabanError as exc:
            error = exc
    if results is not None:
        record_read(signed_in(request), None, via="web.search", role="listing", listed=[h.letter for h in results.hits])
    person = person_for_user(request.user)
    saved = list(SavedSearch.objects.filter(person=person)) if person else []
    more = results is not None and offset + PAGE < results.total
    return render(request, "search/search.html", {
        "p": params, "results": results, "error": error, "saved": saved, "token": once.new_token(request),
        "query": urlencode(params), "offset": offset, "next": offset + PAGE if more else None,
        "prev": max(0, offset - PAGE) if offset else None, "advanced": any(k != "q" for k in params),
        "choices": {"kind": LetterKind.choices, "urgency": Urgency.choices, "secrecy": Secrecy.choices,
                    "status": LetterStatus.choices, "book": BookKind.choices, "direction": Direction.choices},
        "saved_links": [(s, urlencode(s.query)) for s in saved], "facets": _facets(results),
    }, status=error.status if error else 200)


FACET_TITLES = {"kind": ("ชนิดหนังสือ", "Kind"), "urgency": ("ความเร่งด่วน", "Urgency"),
                "secrecy": ("ชั้นความลับ", "Secrecy")}
FACET_CHOICES = {"kind": dict(LetterKind.choices), "urgency": dict(Urgency.choices), "secrecy": dict(Secrecy.choices)}


def _facets(results: Results | None) -> list[tuple[str, str, str, list[tuple[str, str, int]]]]:
    """Facets as (title th, title en, parameter, [(value, label, count)]) for the side panel."""
    if results is None:
        return []
    out = []
    for name, counts in results.facets.items():
        if counts:
            rows = [(v, FACET_CHOICES[name].get(v, v), n) for v, n in sorted(counts.items(), key=lambda x: -x[1])]
            out.append((*FACET_TITLES[name], name, rows))
    return out


@login_required
def instant(request: HttpRequest) -> HttpResponse:
    """The top bar's results as you type: the first few ranked letters, or nothing for an empty box."""
    q = request.GET.get("q", "").strip()
    results = search(principal_for(request.user), q, limit=6) if q else None
    if results is not None:
        record_read(signed_in(request), None, via="web.search_instant", role="listing",
                    listed=[h.letter for h in results.hits])
    return render(request, "search/_instant.html", {"results": results, "q": q, "query": urlencode({"q": q})})


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    query = {k: request.POST.get(k, "") for k in QUERY_KEYS if request.POST.get(k)}
    back = "/search/?" + urlencode(query)
    if person is None:
        return redirect(back)

    def act() -> str:
        filters_from(query)
        actions.save_search(_user(request), person, request.POST.get("name", ""), query)
        return back

    return once.form(request, {"save": query, "name": request.POST.get("name", "")}, act, back=back,
                     ok=("บันทึกการค้นหาแล้ว", "Search saved"))


@login_required
@require_POST
def delete_saved(request: HttpRequest, saved_id: int) -> HttpResponse:
    person = person_for_user(request.user)

    def act() -> str:
        actions.delete_saved(_user(request), person, saved_id)  # type: ignore[arg-type]
        return "/search/"

    return once.form(request, {"delete_saved": saved_id}, act, back="/search/",
                     ok=("ลบการค้นหาที่บันทึกแล้ว", "Saved search deleted"))


def _files(letter: Letter) -> list[dict[str, Any]]:
    rows = []
    for f in letter.files.filter(role__in=TEXT_ROLES).select_related("search_text").order_by("created_at"):
        ft: FileText | None = getattr(f, "search_text", None)
        # not read yet: the task worker reads it a moment after the registration (the panel follows)
        busy = ft is None or ft.status in (FileText.Status.QUEUED, FileText.Status.RUNNING)
        rows.append({"file": f, "text": ft, "busy": busy,
                     "percent": int(100 * ft.pages_done / ft.pages_total) if ft and ft.pages_total else 0,
                     "chars": len(ft.text) if ft else 0})
    return rows


def text_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    """The letter page's panel: what text was read from each file, OCR progress, and asking for OCR."""
    if letter.is_classified:
        return None
    rows = _files(letter)
    if not rows:
        return None
    return {"letter": letter, "rows": rows, "busy": any(r["busy"] for r in rows), "token": once.new_token(request)}


@login_required
def text_status(request: HttpRequest, letter_id: Any) -> HttpResponse:
    try:
        letter = letter_for(_user(request), letter_id)
    except SarabanError as exc:
        raise Http404 from exc
    if letter.is_classified:  # no text panel: a classified letter's files are never read into the database
        raise Http404
    ctx = text_panel(request, letter) or {"letter": letter, "rows": [], "busy": False}
    return render(request, "search/_text_panel.html", {"panel": ctx})


@login_required
@require_POST
def request_ocr(request: HttpRequest, letter_id: Any, file_id: Any) -> HttpResponse:
    try:
        f = file_for(_user(request), letter_id, file_id)
    except SarabanError as exc:
        raise Http404 from exc
    back = f"/letters/{letter_id}/"
    return once.form(request, {"ocr": str(file_id)}, lambda: (actions.request_ocr(_user(request), f), back)[1],
                     back=back, ok=("ส่งไฟล์เข้าคิวอ่านข้อความ (OCR) แล้ว", "The file is queued for OCR"))
