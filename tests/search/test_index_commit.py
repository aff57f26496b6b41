"""The registering action only marks the letter's search row behind; the task worker's follower writes it after
the commit, woken by a poke (not by its idle timeout), outside the register book's number lock.  These tests
commit, as the server does, and run the worker's real follower thread."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from saraban.api.actions import create_token
from saraban.kernel import followers
from saraban.letters.models import Letter
from saraban.ops.worker import FollowLoop
from saraban.search import index
from saraban.search.models import FileText, IndexMark, SearchDoc
from tests.fixtures import Api, make_pdf, meta, user

pytestmark = pytest.mark.usefixtures("committed_db")


def settled(within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not index.behind(1):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def follower() -> Iterator[FollowLoop]:
    (search,) = [f for f in followers.followers() if f.name == "search.catch_up"]
    loop = FollowLoop(search)
    yield loop
    loop.stop()
    if loop.is_alive():
        loop.join(timeout=30)
    assert not loop.is_alive()


def test_the_worker_writes_the_rows_the_registration_marked(org, follower: FollowLoop) -> None:
    api = Api(create_token(user("registrar"))[1])
    r = api.incoming(meta(subject="ขอเชิญประชุมคณะกรรมการ"), pdf=make_pdf("แผนยุทธศาสตร์ด้านเศรษฐกิจดิจิทัล"))
    assert r.status_code == 201, r.content
    letter = Letter.objects.get()
    # the action committed the letter and its mark, and nothing else of the index
    assert index.behind() == [letter.pk] and not SearchDoc.objects.exists() and not FileText.objects.exists()
    assert index.check().ok and index.check().behind == 1

    follower.start()  # a worker starting looks at once
    assert settled(within=20)
    doc = SearchDoc.objects.get()
    assert "ยุทธศาสตร์" in doc.text and FileText.objects.get().status == "done"
    ((wanted, done),) = IndexMark.objects.values_list("wanted", "done")
    assert wanted == done >= 1

    # a registration while it waits: the commit's poke wakes it (its idle timeout is a minute)
    r = api.incoming(meta(subject="ฉบับที่สอง", their_ref="นร 1/2"), key="k-1", pdf=make_pdf(variant=2))
    assert r.status_code == 201, r.content  # inside the Idempotency-Key's transaction: poked when that commits
    assert settled(within=10)
    assert SearchDoc.objects.count() == 2 and index.check().ok
