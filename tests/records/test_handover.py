"""R43: the 20-year lists (forms 21 and 22) and the archival package, validated by the `bagit` library (a tool
we did not write) and opened as plain files: PDF/A renditions, originals bit for bit, metadata JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path

import bagit
import pytest

from saraban.letters.models import LetterFile
from saraban.records import queries
from saraban.records.actions.handover import export_archive
from saraban.storage.blobs import read
from tests.fixtures import user

from .helpers import at, filed, plan

pytestmark = pytest.mark.django_db


def test_permanent_letter_is_on_the_twenty_year_list_and_the_package_validates(org, tmp_path: Path) -> None:
    agency = plan()
    forever = filed(dt.date(2005, 3, 1), "02", subject="แผนพัฒนาดิจิทัลของกระทรวง")
    general = filed(dt.date(2005, 6, 15), "01.02", subject="ขอความร่วมมือสำรวจข้อมูล")
    secret = filed(dt.date(2005, 4, 1), "02", subject="เรื่องลับมากของกระทรวง", secrecy="confidential")
    filed(dt.date(2006, 1, 5), "02", subject="ปีถัดไป")
    deliver, keep = queries.handover(agency, 2568)
    assert {f.pk for f in deliver} == {forever.pk, general.pk} and [f.pk for f in keep] == [secret.pk]
    assert queries.handover(agency, 2567) == ([], [])

    root = tmp_path / "mdes-ops-handover-2568"
    with at(2026, 1, 20):
        pkg = export_archive(user("registrar"), agency, 2568, root)
    assert pkg.letters == 2
    bag = bagit.Bag(str(root))
    bag.validate()  # every checksum, Payload-Oxum and the tag manifest
    assert bag.is_valid() and bag.info["Source-Organization"] == agency.name_th

    meta = json.loads((root / "data/metadata.json").read_text())
    subjects = sorted(r["subject"] for r in meta["letters"])
    assert subjects == ["ขอความร่วมมือสำรวจข้อมูล", "แผนพัฒนาดิจิทัลของกระทรวง"]
    assert "เรื่องลับมาก" not in (root / "data/metadata.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader((root / "data/metadata.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 2 and {r["retention"] for r in rows} == {"permanent", "10y"}
    for record in meta["letters"]:
        for f in record["files"]:  # the originals exactly as the system kept them
            data = (root / "data" / f["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == f["sha256"]
        pdfa = (root / "data" / record["pdfa"]).read_bytes()
        assert b"pdfaid:part" in pdfa and b"pdfaid:conformance" in pdfa  # PDF/A-2b identification
        assert subprocess.run(["pdfinfo", "-"], input=pdfa, capture_output=True).returncode == 0
    original = LetterFile.objects.get(letter=forever.letter, role="letter")
    assert any(f["sha256"] == original.blob.sha256 for r in meta["letters"] for f in r["files"])
    assert read(original.blob)  # exporting moved nothing

    (root / "data/metadata.csv").write_text("tampered", encoding="utf-8")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(root)).validate()
