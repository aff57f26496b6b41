"""GET /api/v1/search, saved searches, the search page, the top bar's instant results."""

from __future__ import annotations

import pytest
from django.test import Client

from saraban.search import index
from saraban.search.models import SavedSearch
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(registrar_api, api_for, clock):
    a = registrar_api.incoming(meta(subject="ขอเชิญประชุมคณะทำงานจัดทำงบประมาณ", their_ref="กค 0406/ว ๕๕"))
    b = registrar_api.incoming(meta(subject="รายงานผลการตรวจราชการ", their_ref="มท 1/2", urgency="normal"),
                               pdf=make_pdf(variant=2))
    s = api_for("secretary").incoming(meta(subject="แผนป้องกันภัยคุกคามไซเบอร์", their_ref="ลับ 9/9",
                                           secrecy="secret"), pdf=make_pdf(variant=3))
    assert a.status_code == b.status_code == s.status_code == 201, s.content
    index.catch_up()  # what the task worker's follower does a moment after each registration
    return {"a": a.json()["id"], "b": b.json()["id"], "secret": s.json()["id"]}


def test_api_search_ranks_with_snippets(registrar_api, letters) -> None:
    r = registrar_api.get("/search", q="งบประมาณ")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [h["id"] for h in body["hits"]] == [letters["a"]]
    assert any(p["hit"] and "งบประมาณ" in p["text"] for p in body["hits"][0]["snippet"])
    assert body["total"] == 1 and body["terms"] == ["งบประมาณ"]
    assert registrar_api.get("/search", q="0406/ว 55").json()["hits"][0]["id"] == letters["a"]
    assert registrar_api.get("/search", q="ราชการ", urgency="urgent").json()["total"] == 0
    assert registrar_api.get("/search", q="ราชการ", urgency="normal").json()["total"] == 1


def test_api_never_shows_what_the_caller_may_not_see(api_for, letters) -> None:
    officer = api_for("officer")
    for q in ("ไซเบอร์", "ลับ 9/9", "ลับ", "ประชุม"):
        body = officer.get("/search", q=q, facets=True).json()
        assert letters["secret"] not in [h["id"] for h in body["hits"]]
    for name in ("registrar", "director"):  # not cleared for ลับมาก, or not on its route
        assert api_for(name).get("/search", q="ไซเบอร์").json()["total"] == 0
        assert api_for(name).get("/search", q="ลับ 9/9").json()["total"] == 0
    secretary = api_for("secretary")  # its secret registrar: the subject is matched live, never indexed
    assert [h["id"] for h in secretary.get("/search", q="ไซเบอร์").json()["hits"]] == [letters["secret"]]
    assert [h["id"] for h in secretary.get("/search", q="ลับ 9/9").json()["hits"]] == [letters["secret"]]
    from saraban.search.models import SearchDoc

    row = SearchDoc.objects.get(letter_id=letters["secret"])
    assert row.classified and "ไซเบอร์" not in row.body + row.text + row.words


def test_api_bad_filters_are_coded_errors(registrar_api, letters) -> None:
    for params in ({"kind": "nonsense"}, {"year": "abc"}, {"date_from": "32/13/2569"}, {"year": "1999"},
                   {"date_from": "5/1/2569", "date_to": "1/1/2569"}, {"has_enclosures": "maybe"}):
        r = registrar_api.get("/search", q="x", **params)
        assert r.status_code == 422, (params, r.content)
        assert r.json()["code"] in ("search_query_invalid", "invalid_input")
    assert registrar_api.get("/search", q="ก" * 500).status_code == 422  # too long for the schema


def test_saved_searches_api(registrar_api, letters) -> None:
    r = registrar_api.post_json("/search/saved", {"name": "งบ", "query": {"q": "งบประมาณ", "urgency": "urgent"}},
                                key="k1")
    assert r.status_code == 201, r.content
    again = registrar_api.post_json("/search/saved", {"name": "งบ", "query": {"q": "งบประมาณ", "urgency": "urgent"}},
                                    key="k1")
    assert again.json()["id"] == r.json()["id"] and SavedSearch.objects.count() == 1
    assert [s["name"] for s in registrar_api.get("/search/saved").json()] == ["งบ"]
    bad = registrar_api.post_json("/search/saved", {"name": "x", "query": {"kind": "zzz"}})
    assert bad.status_code == 422 and SavedSearch.objects.count() == 1
    gone = registrar_api.client.delete(f"/api/v1/search/saved/{r.json()['id']}", **registrar_api.headers)
    assert gone.status_code == 200 and gone.json() == {"removed": r.json()["id"]}
    assert not SavedSearch.objects.exists()


def test_search_page_box_and_instant(letters) -> None:
    c = Client()
    c.force_login(user("registrar"))
    home = c.get("/search/")
    assert home.status_code == 200 and b"data-search-box" in home.content  # the box is in the top bar
    page = c.get("/search/", {"q": "งบประมาณ"})
    html = page.content.decode()
    assert "<mark>งบประมาณ</mark>" in html and "ขอเชิญประชุมคณะทำงานจัดทำงบประมาณ" in html
    instant = c.get("/search/instant/", {"q": "ตรวจราชการ"}).content.decode()
    assert "รายงานผลการตรวจราชการ" in instant and "ขอเชิญประชุม" not in instant
    assert c.get("/search/", {"q": "x", "kind": "nonsense"}).status_code == 422
    saved = c.post("/search/saved/", {"q": "งบประมาณ", "name": "ของฉัน", "once": "t1"})
    assert saved.status_code in (302, 303) and SavedSearch.objects.filter(name="ของฉัน").exists()
    assert "ของฉัน" in c.get("/search/").content.decode()
    assert b"<script>alert" not in c.get("/search/", {"q": "<script>alert(1)</script>"}).content


def test_letter_page_shows_the_text_read_from_its_files(letters) -> None:
    c = Client()
    c.force_login(user("registrar"))
    html = c.get(f"/letters/{letters['a']}/").content.decode()
    assert 'id="text-panel"' in html and "ชั้นข้อความใน PDF" in html and "อ่านข้อความด้วย OCR" in html
    part = c.get(f"/letters/{letters['a']}/text/").content.decode()
    assert "ชั้นข้อความใน PDF" in part
    assert c.get(f"/letters/{letters['secret']}/text/").status_code == 404  # not the registrar's to see


def test_letter_page_follows_a_file_not_read_yet(registrar_api, clock) -> None:
    r = registrar_api.incoming(meta(subject="หนังสือที่เพิ่งรับ"))
    c = Client()
    c.force_login(user("registrar"))
    html = c.get(f"/letters/{r.json()['id']}/").content.decode()
    # the worker reads the file's text a moment after the commit: the panel says so and asks again every 2 s
    assert "รออ่านข้อความ" in html and 'hx-trigger="every 2s"' in html and "อ่านข้อความด้วย OCR" not in html
    index.catch_up()
    part = c.get(f"/letters/{r.json()['id']}/text/").content.decode()
    assert "ชั้นข้อความใน PDF" in part and "every 2s" not in part
