"""A ลับ file altered on disk, opened in a real browser: a Thai page with the error's code, not a 500, and a
``storage.blob_damaged`` event in the audit log."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures import make_pdf, meta
from tests.live.conftest import Node, running_node

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.backend("sqlite")]


@pytest.fixture
def quiet_node(tmp_path: Path) -> Iterator[Node]:
    # no worker: the letter's only encrypted file is its own
    with running_node(tmp_path, workers=1, worker=False) as n:
        yield n


def test_a_damaged_secret_file_in_the_browser(quiet_node: Node, page) -> None:  # type: ignore[no-untyped-def]
    token = quiet_node.token("secretary")
    pdf = io.BytesIO(make_pdf("ลับ: แผนงาน", variant=7))
    answer = httpx.post(f"{quiet_node.url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                        files={"file": ("secret.pdf", pdf, "application/pdf")},
                        data={"metadata": json.dumps(meta(secrecy="secret", their_ref="ลับ/3"), ensure_ascii=False)},
                        timeout=60)
    assert answer.status_code == 201, answer.text
    letter = httpx.get(f"{quiet_node.url}/api/v1/letters/{answer.json()['id']}",
                       headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    original = next(f for f in letter["files"] if f["role"] == "letter")
    stored = [p for p in (quiet_node.home / "blobs" / "enc").rglob("*") if p.is_file()]
    assert len(stored) == 1 and original["sha256"] not in stored[0].name
    data = stored[0].read_bytes()
    stored[0].write_bytes(data[:200] + bytes([data[200] ^ 1]) + data[201:])

    login(page, quiet_node, "secretary")
    response = page.goto(f"{quiet_node.url}/letters/{letter['id']}/files/{original['id']}")
    assert response is not None and response.status == 503
    body = page.inner_text("body")
    assert "ไฟล์นี้เสียหาย" in body and "blob_damaged" in body and "Server Error" not in body
    shot(page, "storage-damaged-file")
    tail = quiet_node.saraban("audit", "tail", "3")
    assert "storage.blob_damaged" in tail
