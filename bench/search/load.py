"""Loading generated letters into a Saraban database for the search benchmarks.

The rows are those the application writes when it registers and routes a letter (letter, register entry
in its book, the PDF's file row and the text read from it, an endorsement and an assignment's instruction),
written in bulk: the benchmarks time the *index*, not registration (bench_register.py does that).  The
index itself is then built by the application's own code (``saraban.search.index.reindex``).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def setup(database_url: str | None, home: str | None = None) -> bool:
    """Django on a fresh data directory and database (``database_url`` or a new SQLite file), migrated,
    with the demo organisation loaded; or on ``home``, a data directory an earlier run left (returns whether
    the database was new)."""
    os.environ["SARABAN_HOME"] = home or tempfile.mkdtemp(prefix="saraban-bench-search-")
    os.environ.setdefault("SARABAN_LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "saraban.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from saraban.orgs.models import Unit

    if Unit.objects.exists():
        return False
    call_command("loadorg", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return True


def load(specs: list, *, batch: int = 2000, progress=None) -> dict[int, uuid.UUID]:  # type: ignore[no-untyped-def]
    """Write the letters of ``specs`` (``corpus.Spec``); returns ``{spec.key: letter id}``."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from saraban.kernel import clock
    from saraban.kernel.ids import uuid7
    from saraban.letters.models import Letter, LetterFile
    from saraban.orgs.models import Person, Unit
    from saraban.registry.models import RegisterBook, RegisterEntry
    from saraban.routing.models import Endorsement, Step
    from saraban.search.models import FileText
    from saraban.storage.models import Blob

    units = {u.code: u for u in Unit.objects.select_related("agency")}
    author = get_user_model().objects.get(username="registrar")
    signer = Person.objects.get(user=author)
    books: dict[tuple, RegisterBook] = {}
    ids: dict[int, uuid.UUID] = {}
    base = dt.datetime(2024, 1, 1, 9, 0, tzinfo=clock.BANGKOK)
    for start in range(0, len(specs), batch):
        chunk = specs[start:start + batch]
        letters, entries, blobs, files, texts, ends, steps = [], [], [], [], [], [], []
        for s in chunk:
            unit = units[s.unit]
            day = dt.date.fromisoformat(s.letter_date)
            at = base + dt.timedelta(minutes=s.key)
            letter = Letter(id=uuid7(), letter_uuid=uuid7(), agency_id=unit.agency_id, unit=unit,
                            direction=s.direction, kind=s.kind, their_ref=s.their_ref, ref_norm=s.their_ref,
                            letter_date=day, sender=s.sender, sender_norm=s.sender, addressee=s.addressee,
                            subject=s.subject, urgency=s.urgency, secrecy=s.secrecy, created_by=author, created_at=at)
            letters.append(letter)
            ids[s.key] = letter.id
            kind = ("secret_received" if s.secrecy != "normal" else "received") if s.direction == "incoming" else \
                ("secret_sent" if s.secrecy != "normal" else "sent")
            year = at.year + 543
            book = books.get((unit.pk, kind, year))
            if book is None:
                book, _ = RegisterBook.objects.get_or_create(unit=unit, kind=kind, year_be=year)
                books[(unit.pk, kind, year)] = book
            book.last_number += 1
            entries.append(RegisterEntry(id=uuid7(), book=book, number=book.last_number, display=str(book.last_number),
                                         letter=letter, ref=s.their_ref, letter_date=day, from_text=s.sender,
                                         to_text=s.addressee, subject=s.subject, registered_at=at, registered_by=author,
                                         urgency=s.urgency, secrecy=s.secrecy))
            sha = secrets.token_hex(32)  # a plain blob is named by its SHA-256 (storage.blobs)
            blob = Blob(sha256=sha, name=sha, size=len(s.body), content_type="application/pdf", created_at=at)
            blobs.append(blob)
            f = LetterFile(id=uuid7(), letter=letter, role="letter", name="letter.pdf", blob=blob, pages=1,
                           created_at=at)
            files.append(f)
            texts.append(FileText(file=f, text=s.body, pages_total=1, pages_done=1, updated_at=at))
            if s.enclosure:
                enc = LetterFile(id=uuid7(), letter=letter, role="enclosure", name="enc.pdf", blob=blob,
                                 created_at=at)
                files.append(enc)
                texts.append(FileText(file=enc, text="", pages_total=1, pages_done=1, updated_at=at))
            if s.endorsement:
                ends.append(Endorsement(id=uuid7(), letter=letter, author=author, person=signer,
                                        typed_name=s.endorser, position_title="ผู้อำนวยการ", text=s.endorsement,
                                        created_at=at))
                steps.append(Step(id=uuid7(), letter=letter, kind="assign", status="sent", to_person=signer,
                                  to_label="ผู้อำนวยการกองกลาง", instruction=s.instruction, created_at=at, sent_at=at))
        with transaction.atomic():
            Letter.objects.bulk_create(letters)
            RegisterEntry.objects.bulk_create(entries)
            Blob.objects.bulk_create(blobs)
            for f in files:
                f.blob_id = f.blob.id
            LetterFile.objects.bulk_create(files)
            FileText.objects.bulk_create(texts)
            Endorsement.objects.bulk_create(ends)
            Step.objects.bulk_create(steps)
            for book in {id(b): b for b in books.values()}.values():
                RegisterBook.objects.filter(pk=book.pk).update(last_number=book.last_number)
        if progress:
            progress(min(start + batch, len(specs)), len(specs))
    return ids


def seeing_all():  # type: ignore[no-untyped-def]
    """A principal who may see every letter (secret registrar of every unit, cleared for ลับมาก)."""
    from saraban.access.principal import Principal
    from saraban.orgs.models import Role, Unit

    every = frozenset(Unit.objects.values_list("pk", flat=True))
    return Principal(user_id=-1, person_id=None, clearance=2, home_unit_id=None, agency_id=None,
                     units_by_role={Role.SECRET_REGISTRAR: every, Role.REGISTRAR: every}, member_unit_ids=frozenset())
