"""/api/v1/search: one search over every letter the caller may see, ranked, with snippets; saved searches."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from saraban.access.principal import principal_for
from saraban.letters.reads import record_read
from saraban.orgs.queries import person_for_user
from saraban.search import actions
from saraban.search.errors import SavedSearchInvalid, SavedSearchNotFound
from saraban.search.models import SavedSearch
from saraban.search.params import filters_from
from saraban.search.query import Hit, search
from saraban.transport import once

from ..auth import caller
from ..schemas import Error
from ..schemas.search import SavedSearchIn, SavedSearchOut, SavedSearchRemovedOut, SearchOut, SearchQuery

router = Router(tags=["search"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _hit(h: Hit) -> dict:
    x = h.letter
    return {"id": x.pk, "letter_uuid": x.letter_uuid, "registration": h.registration, "their_ref": x.their_ref,
            "subject": x.subject, "sender": x.sender, "kind": x.kind, "urgency": x.urgency, "secrecy": x.secrecy,
            "status": x.status, "direction": x.direction, "letter_date": x.letter_date, "rank": h.rank,
            "snippet": [{"text": t, "hit": hit} for t, hit in h.parts], "url": f"/api/v1/letters/{x.pk}"}


@router.get("/search", response={200: SearchOut, **ERRORS},
            summary="Search every letter you may see (Thai substring matching), ranked, with snippets")
def search_letters(request: HttpRequest, params: Query[SearchQuery]):
    f = filters_from(params.model_dump())
    res = search(principal_for(caller(request)), params.q, f, limit=params.limit, offset=params.offset,
                 facets=params.facets)
    record_read(caller(request), None, via="api.search", role="listing", listed=[h.letter for h in res.hits])
    return Status(200, {"query": res.query, "terms": [t.text for t in res.terms], "total": res.total,
                        "total_capped": res.total_capped, "took_ms": round(res.took_ms, 1),
                        "hits": [_hit(h) for h in res.hits], "facets": res.facets})


def _saved(s: SavedSearch) -> dict:
    return {"id": s.pk, "name": s.name, "query": s.query, "created_at": s.created_at.isoformat()}


@router.get("/search/saved", response={200: list[SavedSearchOut], **ERRORS}, summary="Your saved searches")
def list_saved(request: HttpRequest):
    person = person_for_user(caller(request))
    return Status(200, [_saved(s) for s in SavedSearch.objects.filter(person=person)] if person else [])


@router.post("/search/saved", response={201: SavedSearchOut, **ERRORS},
             summary="Save a search under a name (the same name again replaces it)")
def save(request: HttpRequest, payload: SavedSearchIn):
    person = person_for_user(caller(request))
    if person is None:
        raise SavedSearchInvalid("บัญชีนี้ไม่มีข้อมูลบุคลากร จึงบันทึกการค้นหาไม่ได้",
                                 "This account has no person record and cannot save searches")
    filters_from(payload.query)  # a bad filter is refused before anything is kept
    return once.api(request, {"payload": payload.model_dump()},
                    lambda: _saved(actions.save_search(caller(request), person, payload.name, payload.query)), 201)


@router.delete("/search/saved/{saved_id}", response={200: SavedSearchRemovedOut, **ERRORS},
               summary="Forget a saved search")
def delete(request: HttpRequest, saved_id: int):
    person = person_for_user(caller(request))
    if person is None:
        raise SavedSearchNotFound()
    actions.delete_saved(caller(request), person, saved_id)
    return Status(200, {"removed": saved_id})
