"""The draft editor's enclosures (สิ่งที่ส่งมาด้วย): attach files, order and title them, take one off, download.

Every change is a drafting action that saves a new version whose "สิ่งที่ส่งมาด้วย" lines follow the files.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.drafting import actions, queries
from saraban.drafting.models import Draft
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.letters.enclosures import Upload
from saraban.letters.reads import record_read
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response


def _draft(request: HttpRequest, draft_id: uuid.UUID) -> Draft:
    try:
        return queries.draft_for(signed_in(request), draft_id)
    except NotFound as exc:
        raise Http404 from exc


def _back(draft: Draft) -> str:
    return f"/drafts/{draft.pk}/#enclosures"


@login_required
@require_POST
def attach(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "กรุณาเลือกไฟล์ที่จะแนบ|Choose a file to attach")
        return redirect(_back(draft))
    uploads = [Upload(f.read(), f.name or "enclosure") for f in files]

    def do() -> str:
        actions.attach(signed_in(request), draft, uploads)
        return _back(draft)

    return once.form(request, {"draft": str(draft.pk), "files": [once.file_digest(u.data) for u in uploads]}, do,
                     back=_back(draft), ok=(f"แนบสิ่งที่ส่งมาด้วย {len(uploads)} ไฟล์แล้ว",
                                            f"{len(uploads)} enclosure(s) attached"))


@login_required
@require_POST
def arrange(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    """Save the titles, or move one enclosure up or down (its button), or take one off."""
    draft = _draft(request, draft_id)
    ids = [str(e.pk) for e in draft.enclosures.order_by("order")]
    listed = [i for i in request.POST.getlist("enclosure_id") if i in ids]
    order = listed + [i for i in ids if i not in listed]
    for move, step in (("up", -1), ("down", 1)):
        fid = request.POST.get(move)
        if fid in order and 0 <= order.index(fid) + step < len(order):
            i = order.index(fid)
            order[i], order[i + step] = order[i + step], order[i]
    titles = {i: request.POST.get(f"title-{i}", "") for i in ids if f"title-{i}" in request.POST}
    remove = request.POST.get("remove")

    def do() -> str:
        if remove:
            actions.detach(signed_in(request), draft, remove)
        else:
            actions.arrange_enclosures(signed_in(request), draft, order=order, titles=titles)
        return _back(draft)

    ok = ("นำสิ่งที่ส่งมาด้วยออกแล้ว", "Enclosure removed") if remove else ("บันทึกสิ่งที่ส่งมาด้วยแล้ว", "Enclosures saved")
    return once.form(request, {"draft": str(draft.pk), "order": order, "titles": titles, "remove": remove}, do,
                     back=_back(draft), ok=ok)


@login_required
def download(request: HttpRequest, draft_id: uuid.UUID, enclosure_id: uuid.UUID) -> HttpResponse:
    draft = _draft(request, draft_id)
    f = draft.enclosures.select_related("blob").filter(pk=enclosure_id).first()
    if f is None:
        raise Http404
    record_read(signed_in(request), draft, f.blob, role="draft_enclosure", via="web.draft_enclosure")
    return file_response(blobs.read(f.blob), f.name, f.blob.content_type, f.blob.sha256,
                         inline=request.GET.get("download") != "1")
