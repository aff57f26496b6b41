"""R42 end to end: two letters (one ลับ, stored encrypted) filed, backed up, listed, approved, sent, destroyed.
Their files are gone from the blob store and from the backup made before; their register rows and tombstones
stay; ``saraban audit verify`` and ``saraban storage verify`` still pass.  These tests commit (a backup runs
outside the test's transaction)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from saraban.audit.verify import verify
from saraban.letters.models import LetterFile
from saraban.records.actions import destruction as d
from saraban.records.models import DestructionList
from saraban.registry.models import RegisterEntry
from saraban.reports.registers import row
from saraban.search.models import SearchDoc
from saraban.storage import blobs
from saraban.storage.backup.check import Checked, check_files
from saraban.storage.backup.restore import blob_entries, read_manifest
from saraban.storage.backup.run import backup
from saraban.storage.backup.targets import open_target
from saraban.storage.errors import BlobDestroyed
from saraban.storage.maintenance import verify_all
from saraban.storage.models import Blob
from tests.fixtures import user

from .helpers import at, filed, people, plan

pytestmark = pytest.mark.usefixtures("committed_db")


def test_a_letter_destroyed_end_to_end(org, tmp_path: Path, capsys) -> None:
    agency = plan()
    plain = filed(dt.date(2023, 5, 2), "01.01", subject="ขอลาพักผ่อน นาย ก. สมมติ")
    secret = filed(dt.date(2023, 7, 3), "01.01", subject="รายงานลับทดสอบ", secrecy="confidential")
    survivor = filed(dt.date(2023, 8, 1), "01.02", subject="หนังสือที่ยังต้องเก็บ")
    files = list(LetterFile.objects.filter(letter__in=[plain.letter, secret.letter]).select_related("blob"))
    assert len(files) >= 4  # each original, its receipt-stamped copy and its retention-stamped copy
    names = [f.blob.name for f in files]
    assert any(f.blob.encrypted for f in files) and all(blobs.store().exists(n) for n in names)
    target = tmp_path / "second-place"
    with at(2024, 12, 1):
        backup(str(target))
    before = open_target(str(target))
    assert all(before.blobs.exists(n) for n in names)  # the backup holds every file of both letters

    with at(2025, 1, 10):
        dlist = d.make_destruction_list(user("registrar"), agency, 2567)
    assert {i.filing_id for i in dlist.items.all()} == {plain.pk, secret.pk}
    chair, m1, m2 = people("director", "registrar", "finance-registrar")
    with at(2025, 1, 20):
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2])
        d.decide_items(user("director"), dlist, {str(i.pk): "destroy" for i in dlist.items.all()})
        for name in ("director", "registrar", "finance-registrar"):
            d.sign_list(user(name), dlist)
        d.approve_list(user("permsec"), dlist)
    with at(2025, 4, 1):
        d.send_list(user("registrar"), dlist, dt.date(2025, 4, 1))
    with at(2025, 5, 31):
        d.destroy(user("registrar"), dlist)
        for name in ("director", "registrar", "finance-registrar"):
            d.sign_record(user(name), dlist)

    # the content is gone: from the store, from the backup made before, and the keys from the rows
    assert not any(blobs.store().exists(n) for n in names)
    after = open_target(str(target))
    assert not any(after.blobs.exists(n) for n in names)
    # the snapshot made before no longer gives them back, and it still checks out (they were destroyed on purpose)
    manifest, _ = read_manifest(after, None)
    assert not any(e.name in names for e in blob_entries(after, manifest))
    found = Checked()
    check_files(after, manifest, found, None)
    assert found.ok, found.problems
    for blob in Blob.objects.filter(name__in=names):
        assert blob.damage == "destroyed" and blob.wrapped_key is None
        with pytest.raises(BlobDestroyed):
            blobs.read(blob)
    assert not SearchDoc.objects.filter(letter__in=[plain.letter, secret.letter]).exists()
    # the survivor is untouched
    kept = LetterFile.objects.filter(letter=survivor.letter, role="letter").get()
    assert blobs.read(kept.blob)[:4] == b"%PDF"
    # tombstones: the filings, the register rows marked destroyed, the list with its approval and date
    for f in (plain, secret):
        f.refresh_from_db()
        assert f.state == "destroyed" and f.destruction_list_id == dlist.pk and f.destroyed_at is not None
        entry = RegisterEntry.objects.get(letter=f.letter)
        assert "ทำลายแล้ว (บัญชีขอทำลาย พ.ศ. 2567)" in row(entry)[7]
    dlist = DestructionList.objects.get(pk=dlist.pk)
    assert dlist.state == "destroyed" and dlist.approved_by == user("permsec")
    assert all(m.record_signed_at for m in dlist.committee.all())
    # the jointly signed destruction record prints
    import os
    import subprocess

    from saraban.reports import records_forms as rf

    pdf = rf.to_pdf(rf.destruction_record(dlist))
    if os.environ.get("SARABAN_LOOK_DIR"):
        (Path(os.environ["SARABAN_LOOK_DIR"]) / "destruction-record.pdf").write_bytes(pdf)
    text = "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode().split())
    assert "บันทึกการทำลายหนังสือ" in text and "จำนวน2รายการ" in text and "ลงนามแล้ว" in text
    assert "รายงานลับทดสอบ" not in text  # the classified subject never prints
    # the letter's page still opens: the tombstone, with its list
    from django.test import Client

    web = Client()
    web.force_login(user("registrar"))
    page = web.get(f"/letters/{plain.letter_id}/")
    assert page.status_code == 200 and "ทำลายแล้วเมื่อ" in page.content.decode()
    assert web.get("/registers/received/2566/?unit=ops-central").status_code == 200
    # the audit chain and the stored files still check out
    assert verify().ok
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    assert verify_all().ok
