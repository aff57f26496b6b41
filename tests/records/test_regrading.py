"""Re-grading (R46–R47): who, why and when; the move between books; encryption at rest; ลับที่สุด refused."""

from __future__ import annotations

import pytest

from saraban.access.principal import forget_principals, principal_for
from saraban.audit.models import AuditEvent
from saraban.letters.models import LetterFile
from saraban.letters.policy import can_view_letter, visible_letters
from saraban.records import errors
from saraban.records.actions.grading import history, regrade
from saraban.registry.models import RegisterEntry
from saraban.registry.policy import visible_entries
from saraban.routing.models import Notification
from saraban.storage import blobs
from saraban.storage.models import Blob
from tests.fixtures import user

pytestmark = pytest.mark.django_db


def live_books(letter) -> list[str]:
    return sorted(RegisterEntry.objects.filter(letter=letter, cancelled=False).values_list("book__kind", flat=True))


def test_raising_to_confidential_moves_books_encrypts_and_needs_clearance(letters, clock,
                                                                        django_capture_on_commit_callbacks) -> None:
    letter = letters["normal"]
    first = letters["entries"]["normal"]
    plain = LetterFile.objects.filter(letter=letter).select_related("blob").first().blob
    assert not plain.encrypted
    forget_principals()
    assert can_view_letter(principal_for(user("registrar")), letter)
    with django_capture_on_commit_callbacks(execute=True):
        row = regrade(user("secretary"), letter.pk, "confidential", "มีข้อมูลการรักษาความปลอดภัยของระบบ",
                      authority="บันทึก สป.ดศ. ที่ 5/2569 (ตัวอย่าง)")
    assert (row.change, row.from_secrecy, row.to_secrecy) == ("classify", "normal", "confidential")
    assert row.decided_by.username == "secretary" and row.decided_by_position == "นายทะเบียนข้อมูลข่าวสารลับ"
    assert row.at == clock.now() and row.files_encrypted >= 1
    letter.refresh_from_db()
    assert letter.secrecy == "confidential"
    # the books: the received row is closed (its number stays, marked moved) and a secret received row opens
    assert live_books(letter) == ["secret_received"]
    old = RegisterEntry.objects.get(pk=first.pk)
    new = row.moved_to.get()
    assert old.cancelled and "ย้ายไปทะเบียนรับหนังสือลับ" in old.cancel_reason and new.display in old.cancel_reason
    assert old.secrecy == "confidential" and new.remark.startswith("ย้ายจากทะเบียนหนังสือรับ")
    assert row.moved_from.get() == old
    # encryption at rest: every file now encrypted, same content; the plaintext copy is gone
    files = list(LetterFile.objects.filter(letter=letter).select_related("blob"))
    assert files and all(f.blob.encrypted for f in files)
    assert blobs.read(files[0].blob) and files[0].blob.sha256 == plain.sha256
    assert not Blob.objects.filter(pk=plain.pk).exists()
    assert not blobs.store().exists(plain.name)
    # need-to-know: the ordinary registrar sees neither the letter nor the rows any more
    forget_principals()
    registrar = principal_for(user("registrar"))
    assert not can_view_letter(registrar, letter) and not visible_letters(registrar).filter(pk=letter.pk).exists()
    assert not visible_entries(registrar).filter(letter=letter).exists()
    assert visible_entries(principal_for(user("secretary"))).filter(pk=new.pk).exists()
    # the audit event: who and what, never why
    event = AuditEvent.objects.filter(action="records.regraded").get()
    assert event.data["to"] == "confidential" and "รักษาความปลอดภัย" not in str(event.data)


def test_declassifying_moves_back_and_keeps_history(letters, clock) -> None:
    letter = letters["confidential"]
    regrade(user("secretary"), letter.pk, "secret", "ยกระดับตามคำสั่ง")
    assert live_books(letter) == ["secret_received"]  # within the secret books only the class changes
    assert RegisterEntry.objects.get(letter=letter).secrecy == "secret"
    clock.advance(days=30)
    regrade(user("secretary"), letter.pk, "normal", "พ้นระยะเวลาที่ต้องปกปิด")
    letter.refresh_from_db()
    assert letter.secrecy == "normal" and live_books(letter) == ["received"]
    # the history stays, in order
    assert [(r.change, r.from_secrecy, r.to_secrecy) for r in history(letter)] == [
        ("raise", "confidential", "secret"), ("declassify", "secret", "normal")]
    # files stay encrypted (a choice: no new plaintext copy), and read the same
    f = LetterFile.objects.filter(letter=letter).select_related("blob").first()
    assert f.blob.encrypted and blobs.read(f.blob)
    # now an ordinary letter: the ordinary registrar sees it and its new ordinary row
    forget_principals()
    registrar = principal_for(user("registrar"))
    assert can_view_letter(registrar, letter)
    assert visible_entries(registrar).filter(letter=letter, cancelled=False).count() == 1


def test_top_secret_and_bad_requests_are_refused_and_change_nothing(letters, clock) -> None:
    letter = letters["confidential"]
    events = AuditEvent.objects.count()
    cases = [
        (user("secretary"), "top_secret", "ร้ายแรงที่สุด", "regrade_top_secret_refused"),
        (user("secretary"), "confidential", "เหมือนเดิม", "regrade_same_class"),
        (user("secretary"), "secret", "   ", "reason_required"),
        (user("secretary"), "hush", "x", "invalid_secrecy"),
        (user("director"), "normal", "ไม่มีสิทธิ์", "letter_not_found"),  # cannot see it: not told it exists
    ]
    for who, to, reason, code in cases:
        with pytest.raises(errors.SarabanError) as exc:
            regrade(who, letter.pk, to, reason)
        assert exc.value.code == code
    with pytest.raises(errors.NotAllowedToRegrade):  # the ordinary registrar sees the ordinary letter, may not grade it
        regrade(user("registrar"), letters["normal"].pk, "confidential", "x")
    assert AuditEvent.objects.count() == events
    letter.refresh_from_db()
    assert letter.secrecy == "confidential" and not history(letter)


def test_holders_are_told_without_the_subject(letters, clock) -> None:
    from saraban.letters.models import LetterAccess
    from tests.records.conftest import person

    letter = letters["normal"]
    LetterAccess.objects.create(letter=letter, person=person("director"), reason="test", granted_at=clock.now())
    regrade(user("secretary"), letter.pk, "confidential", "เหตุผล")
    n = Notification.objects.get(event="records.regraded")
    assert n.person == person("director") and letter.subject not in n.title + n.body
