"""The search index's rows, the text read out of letters' files, and people's saved searches.

:class:`SearchDoc` is one row per letter, rewritten right after the transaction that changed the letter
commits (:mod:`saraban.letters.changes`); :class:`IndexMark`, bumped inside that transaction, says which rows
are behind until then.  The backend's own index sits on it: an FTS5 trigram table (and a word
table) kept in step by triggers on SQLite, ``pg_trgm`` and word GIN indexes on PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from saraban.letters.models import Letter, LetterFile
from saraban.orgs.models import Person
from saraban.storage.models import Blob


class SearchDoc(models.Model):
    """What a letter is found by.  ``head``, ``body`` and ``words`` are folded (:func:`analyse.fold`);
    ``text`` is the shown form snippets are cut from.  A ลับ / ลับมาก letter's row holds only its register
    fields that are not secret (ที่, numbers, parties, units, dates): see docs/search.md."""

    id = models.BigAutoField(primary_key=True)  # the FTS5 rowid on SQLite
    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="search_doc")
    head = models.TextField(help_text="register fields (and, unless classified, the subject), folded")
    body = models.TextField(help_text="everything indexed, folded: matched by trigrams")
    words = models.TextField(help_text="word tokens (newmm) and plain tokens, one space apart")
    text = models.TextField(help_text="the indexed text as shown, for snippets")
    classified = models.BooleanField(default=False)
    sealed = models.BinaryField(null=True, help_text="classified: the whole text and words, sealed (sealed.py)")
    digest = models.CharField(max_length=64, help_text="of head, body and words: the health check compares it")
    updated_at = models.DateTimeField()

    class Meta:
        # the classified rows, newest first, for a cleared reader's live matching (classified.py): 2 % of
        # 100,000 rows found in 14 ms, where a scan of the table took 120; with their letter and digest in the
        # index (PostgreSQL), the newest 5,000 of 20,000 are read from it alone, not from 5,000 heap pages
        indexes = [models.Index(fields=["id"], include=["letter", "digest"],
                                condition=Q(classified=True, sealed__isnull=False), name="search_doc_classified_rows")]


class IndexMark(models.Model):
    """How far a letter's index row is behind its data.

    ``wanted`` counts the actions that changed what the letter is found by: it is bumped inside each of them,
    so it commits or rolls back with the data (and, on PostgreSQL, the row lock orders two actions on the same
    letter).  ``done`` is the count the row was last written for.  ``wanted > done`` is a row still to write:
    the action's own after-commit step writes it a moment later, and a crash in between leaves the mark for
    the next search or the worker's periodic catch-up (:func:`saraban.search.index.catch_up`)."""

    letter = models.OneToOneField(Letter, primary_key=True, on_delete=models.CASCADE, related_name="+")
    wanted = models.BigIntegerField(default=0)
    done = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["letter"], condition=Q(wanted__gt=F("done")), name="search_mark_behind")]


class FileText(models.Model):
    """The text of one file (its PDF text layer or OCR of its scanned pages), kept beside the file: the
    original is never changed.  ``status`` and the page counts show an OCR run's progress."""

    class Source(models.TextChoices):
        LAYER = "layer", "ชั้นข้อความใน PDF"
        OCR = "ocr", "OCR (Tesseract ภาษาไทย)"

    class Status(models.TextChoices):
        DONE = "done", "เสร็จแล้ว"
        QUEUED = "queued", "รอคิว OCR"
        RUNNING = "running", "กำลังอ่านข้อความ (OCR)"
        FAILED = "failed", "อ่านไม่สำเร็จ"
        SKIPPED = "skipped", "ไม่อ่าน (หนังสือลับ)"

    file = models.OneToOneField(LetterFile, on_delete=models.CASCADE, related_name="search_text")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.LAYER)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    text = models.TextField(blank=True)
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="the recognised text as a file beside the original")
    pages_total = models.IntegerField(default=0)
    pages_done = models.IntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField()


class SavedSearch(models.Model):
    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    query = models.JSONField(help_text="the query and its filters, as the search page's parameters")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="unique_saved_search_name")]
