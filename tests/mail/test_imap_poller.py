"""Polling a real Dovecot mailbox over IMAPS: each message taken exactly once, across stops and crashes."""

from __future__ import annotations

import hashlib

import pytest

from saraban.intake.models import IntakeItem
from saraban.mail import poller
from saraban.mail.models import MailAccount, MailMessage
from saraban.storage import blobs

from .mails import letter_mail

pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs, not even ``except Exception``."""


def _kept() -> dict[str, bytes]:
    return {m.message_id: blobs.read(m.raw) for m in MailMessage.objects.select_related("raw")}


def test_each_message_once_including_mail_that_arrived_while_saraban_was_stopped(imap_account, dovecot) -> None:
    first = [letter_mail(i) for i in range(1, 6)]
    dovecot.deliver(*first)
    r = poller.poll(imap_account)
    assert (r.taken, r.stored, r.error) == (5, 5, "")
    later = [letter_mail(i) for i in range(6, 9)]  # Saraban is "stopped": mail keeps arriving
    dovecot.deliver(*later)
    r = poller.poll(imap_account)
    assert (r.taken, r.stored) == (3, 3)
    assert poller.poll(imap_account).taken == 0  # nothing is taken twice
    kept = _kept()
    assert len(kept) == 8 and MailMessage.objects.count() == 8
    assert sorted(hashlib.sha256(v).hexdigest() for v in kept.values()) == \
        sorted(hashlib.sha256(v).hexdigest() for v in first + later)  # byte-exact
    assert IntakeItem.objects.filter(channel="email").count() == 8
    assert all("$SarabanTaken" in flags and "\\Seen" not in flags for flags in dovecot.keywords().values())
    acc = MailAccount.objects.get(pk=imap_account.pk)
    assert acc.last_poll_ok_at is not None and acc.last_error == "" and acc.last_poll_taken == 0


def test_a_crash_between_keeping_and_marking_takes_nothing_twice(imap_account, dovecot) -> None:
    dovecot.deliver(*[letter_mail(i) for i in range(1, 7)])

    def die_on_third(uid: int) -> None:
        if uid == 3:
            raise Crash()

    with pytest.raises(Crash):
        poller.poll(imap_account, after_store=die_on_third)
    assert MailMessage.objects.count() == 3  # 1–3 kept, 3 not yet marked on the server
    MailAccount.objects.filter(pk=imap_account.pk).update(poll_lease=None)  # the dead process's lease ran out
    r = poller.poll(imap_account)
    assert (r.taken, r.stored) == (4, 3)  # message 3 only marked, 4–6 kept
    assert MailMessage.objects.count() == 6
    assert len(set(MailMessage.objects.values_list("imap_uid", flat=True))) == 6


def test_an_untrusted_server_certificate_is_an_error_on_the_health_view(imap_account, dovecot, settings) -> None:
    dovecot.deliver(letter_mail(1))
    settings.SARABAN_MAIL_CA_FILE = ""  # the system's CAs do not know the test CA
    r = poller.poll(imap_account)
    assert r.taken == 0 and "CERTIFICATE_VERIFY_FAILED" in r.error
    acc = MailAccount.objects.get(pk=imap_account.pk)
    assert "CERTIFICATE_VERIFY_FAILED" in acc.last_error and acc.last_error_at is not None
    assert MailMessage.objects.count() == 0


def test_the_password_is_stored_encrypted(imap_account, dovecot) -> None:
    acc = MailAccount.objects.get(pk=imap_account.pk)
    assert dovecot.password not in acc.imap_secret and acc.imap_secret.startswith("mk2:")  # under a master key version
    from saraban.audit.models import AuditEvent

    assert not any(dovecot.password in str(e.data) for e in AuditEvent.objects.all())
    MailAccount.objects.filter(pk=acc.pk).update(smtp_secret=acc.imap_secret)  # copied to another field: unreadable
    from saraban.mail import credentials

    with pytest.raises(credentials.SecretUnreadable):
        credentials.unseal(acc.imap_secret, f"{acc.pk}:smtp")
