"""Pull mode between two real nodes: กรมอุตุนิยมวิทยา (node B) has no endpoint of its own; node A keeps a mailbox
for it, B's exchange process pulls it over mutual TLS, and the registered number still travels back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.exchange import twonodes as tn
from tests.exchange.helpers import signed_pdf

pytestmark = [pytest.mark.live, pytest.mark.backend("postgresql")]


@pytest.fixture(scope="module")
def pull_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[tn.SbxNode, tn.SbxNode, Path]]:
    from saraban.demo import federation
    from saraban.orgs import directory as org_directory

    tmp = tmp_path_factory.mktemp("two-nodes-pull")
    fed = tmp / "federation"
    a, b = tn.start_pair(tmp, fed, federation.agencies_from_org(org_directory.DEMO_FILE), via={"tmd": "mdes-ops"})
    try:
        yield a, b, fed
    finally:
        tn.stop_pair(a, b)


def test_letter_reaches_a_pulling_agency_and_its_number_comes_back(pull_pair) -> None:
    a, b, fed = pull_pair
    subject = "ขอข้อมูลสถิติฝนตกหนัก (ทดสอบกล่องรับหนังสือ)"
    letter = tn.issue(a, subject, signed_pdf(str(fed / "pki")))
    tn.dispatch(a, letter["id"], ["tmd"])
    done = tn.wait_status(a, letter["id"], "delivered")  # the intermediary's signed receipt
    assert done["receipt_id"] and done["signed"] is True

    # B pulls it (every second in this test), checks it like a pushed message and acknowledges it
    [item] = tn.wait_for(lambda: tn.intake_items(b, subject), 60, what="pulled letter in B's queue")
    assert item["channel"] == "sbx" and item["metadata"]["their_ref"] == letter["registration"]["display"]
    [held] = [m for m in a.cli("inbox", "--limit", "1000") if m["to"] == "tmd" and m["mailbox"]]
    tn.wait_for(lambda: [m for m in b.cli("inbox", "--limit", "1000") if m["message_id"] == held["message_id"]],
                30, what="message on B")

    # nothing is pulled twice: the acknowledged message is gone from the mailbox, B has it once
    with tn.tls_client(fed, "b") as c:
        tn.wait_for(lambda: c.get(f"{a.endpoint}/mailbox").json()["items"] == [], 30, what="empty mailbox")
    assert len(tn.intake_items(b, subject)) == 1

    # another node's client certificate cannot read the mailbox of กรมอุตุนิยมวิทยา
    with tn.tls_client(fed, "a") as c:
        r = c.get(f"{a.endpoint}/mailbox")
    assert r.status_code in (401, 403) and r.json()["code"] == "SENDER_NOT_AUTHENTICATED"

    # registering it on B sends `registered` back to A by push, with B's receipt number
    with b.api("tmd-registrar") as c:
        reg = c.post(f"/intake/{item['id']}/register", json={})
    assert reg.status_code == 201, reg.text
    row = tn.wait_status(a, letter["id"], "registered")
    assert row["registration_display"] == reg.json()["registration"]["display"]
