"""Actions on letters' files: adding derived copies (receipt stamp, annexes, signed copies)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import Conflict
from saraban.storage import blobs
from saraban.storage.models import Blob

from .changes import touch
from .enclosures import Upload
from .models import FileRole, Letter, LetterFile

MAX_LISTED = 200  # a listing's event names at most this many classified rows (and counts them all)


def store_file(letter: Letter, *, role: str, name: str, data: bytes | None = None, staged: blobs.Staged | None = None,
               content_type: str = "application/pdf", derived_from: LetterFile | None = None,
               pages: int | None = None, note: str = "", title: str = "", order: int | None = None) -> LetterFile:
    """Store content as a file of ``letter`` (encrypted at rest when the letter is classified).

    Pass ``staged`` content (written before the transaction) or raw ``data``.  An enclosure's ``title`` is
    its สิ่งที่ส่งมาด้วย line; ``order`` its place (default: after the letter's other files of that role).
    Not an action on its own: call it from inside one.
    """
    if staged is None or staged.encrypted != blobs.encrypts(letter.is_classified):
        if data is None:
            raise ValueError("store_file needs data when nothing suitable was staged")
        staged = blobs.stage(data, staged.content_type if staged else content_type, encrypted=letter.is_classified)
    blob = blobs.record(staged)
    if order is None:
        order = LetterFile.objects.filter(letter=letter, role=role).count() + (1 if role == FileRole.ENCLOSURE else 0)
    stored = LetterFile.objects.create(
        letter=letter, role=role, name=name, blob=blob, derived_from=derived_from, pages=pages, note=note,
        title=title[:500], order=order, created_at=clock.now(),
    )
    touch(letter.pk)  # its text is read into the search index (saraban.search)
    return stored


def store_parts(letter: Letter, main: Upload | None, enclosures: Sequence[Upload], *,
                main_role: str = FileRole.LETTER) -> tuple[LetterFile | None, list[LetterFile]]:
    """Store a whole letter's checked parts (:func:`saraban.letters.enclosures.prepare_all`): the letter first
    (order 0), then each enclosure in the order given (1, 2, …) with its title.  Call it inside an action."""
    first = None
    if main is not None:
        first = store_file(letter, role=main_role, name=main.name, data=main.data, staged=main.staged,
                           pages=main.pages, title=main.title, order=0)
    start = LetterFile.objects.filter(letter=letter, role=FileRole.ENCLOSURE).count()
    rest = [store_file(letter, role=FileRole.ENCLOSURE, name=e.name, data=e.data, staged=e.staged, pages=e.pages,
                       title=e.title, order=start + i, content_type=e.content_type or "application/octet-stream")
            for i, e in enumerate(enclosures, start=1)]
    return first, rest


def derive_file(actor: Actor, source: LetterFile, *, role: str, name: str, data: bytes, note: str = "",
                pages: int | None = None) -> LetterFile:
    """Store ``data`` as a file derived from ``source`` and write the ``letter.derive_file`` event.

    Not an action on its own: :func:`add_derived_file` runs it alone; an action that records more about
    the copy in the same transaction (routing's endorsement annex) calls it as its one audit event.
    """
    derived = store_file(source.letter, role=role, name=name, data=data, derived_from=source, pages=pages, note=note)
    audit.record("letter.derive_file", actor=actor, obj=derived, data={
        "letter": str(source.letter_id), "role": role, "from": source.blob.sha256, "sha256": derived.blob.sha256,
        "note": note,
    })
    return derived


class AlreadyDerived(Conflict):
    code = "already_derived"
    message_th = "มีสำเนานี้ของไฟล์อยู่แล้ว"
    message_en = "This copy of the file exists already"


def derived_copy(source: LetterFile, role: str, note: str) -> LetterFile | None:
    """The copy of ``source`` made for ``role`` with ``note`` (a stamp's number), if there is one."""
    return LetterFile.objects.filter(derived_from=source, role=role, note=note).order_by("created_at").first()


@action("letter.derive_file")
def add_derived_file(actor: Actor, source: LetterFile, *, role: str, name: str, data: bytes, note: str = "",
                     pages: int | None = None, once: bool = False) -> LetterFile:
    """``once``: at most one copy per source, role and note, however many workers make it at the same time.
    The source's row is locked first (SQLite runs write transactions one at a time anyway), so of two
    concurrent makers the later one finds the other's copy and gets :class:`AlreadyDerived`, changing nothing."""
    if once:
        list(LetterFile.objects.select_for_update().filter(pk=source.pk).values_list("pk", flat=True))
        found = derived_copy(source, role, note)
        if found is not None:
            raise AlreadyDerived(details={"file": str(found.pk)})
    return derive_file(actor, source, role=role, name=name, data=data, note=note, pages=pages)


def derive_once(source: LetterFile, *, role: str, name: str, note: str, pages: int | None,
                draw: Callable[[], bytes]) -> LetterFile:
    """The system's copy of ``source`` for ``role`` and ``note``, made if it is not there yet (``draw`` gives
    its content); safe when the task making it runs twice, one run after the other or both at once."""
    done = derived_copy(source, role, note)
    if done is not None:
        return done
    data = draw()
    try:
        return add_derived_file(None, source, role=role, name=name, data=data, note=note, pages=pages, once=True)
    except AlreadyDerived:
        found = derived_copy(source, role, note)
        assert found is not None  # it was there when the action looked, and copies are not deleted
        return found


@action("letter.read_classified")
def record_classified_read(actor: Actor, subject: Any, served: Any, *, role: str, via: str,
                           items: Sequence[Any] = ()) -> None:
    """Every read of classified content is logged (Secrets Regulation; R52).  Call it through
    :func:`saraban.letters.reads.record_read`, which decides when a read must be logged."""
    obj = served if isinstance(served, LetterFile) else subject
    data: dict[str, Any] = {"role": role, "via": via}
    if isinstance(subject, Letter):
        data["letter"] = str(subject.pk)
    elif subject is not None:
        data["object"] = f"{subject._meta.label_lower}:{subject.pk}"
    if subject is not None:
        data["secrecy"] = getattr(subject, "secrecy", "") or "secret_book"
    blob = served if isinstance(served, Blob) else getattr(served, "blob", None)
    if blob is not None:
        data["sha256"] = blob.sha256
    if items:
        data["items"] = [f"{x._meta.label_lower}:{x.pk}" for x in list(items)[:MAX_LISTED]]
        data["count"] = len(items)
    if obj is None:
        audit.record("letter.read_classified", actor=actor, object_type="listing", object_id=via[:64], data=data)
    else:
        audit.record("letter.read_classified", actor=actor, obj=obj, data=data)
