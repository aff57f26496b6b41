"""Mail fixtures: the demo organisation in a committed database (``committed_db``, tests/fixtures.py: the
receiver works in its own threads), the built-in receiver on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from saraban.mail import senders, smtpd
from tests.live.conftest import free_port


@pytest.fixture
def mail_org(committed_db: None, org: Any) -> Iterator[Any]:
    senders.forget()
    yield org
    senders.forget()


@pytest.fixture
def receiver(mail_org: Any) -> Iterator[tuple[smtpd.Receiver, int]]:
    port = free_port()
    handler = smtpd.Receiver()
    ctl = smtpd.controller("127.0.0.1", port, receiver=handler)
    ctl.start()
    try:
        yield handler, port
    finally:
        ctl.stop()
        handler.close()


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from .servers import make_tls

    return make_tls(tmp_path_factory.mktemp("mail-tls"))


@pytest.fixture
def dovecot(tls: Any) -> Iterator[Any]:
    from .servers import start_dovecot

    server = start_dovecot(tls)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_account(org: Any, dovecot: Any, tls: Any, settings: Any) -> Any:
    """The Office of the Permanent Secretary polls the Dovecot mailbox over IMAPS (its CA trusted)."""
    from saraban.mail import actions
    from saraban.orgs.models import Agency
    from tests.fixtures import user

    settings.SARABAN_MAIL_CA_FILE = str(tls.ca_file)
    senders.forget()
    return actions.save_account(user("admin"), Agency.objects.get(code="mdes-ops"), {
        "address": "saraban@ops.mdes.test", "inbound": "imap", "imap_host": "127.0.0.1", "imap_port": dovecot.port,
        "imap_security": "tls", "imap_user": dovecot.user}, imap_password=dovecot.password)


@pytest.fixture
def capture(tls: Any) -> Iterator[Any]:
    from .capture import start_capture

    cap = start_capture(tls)
    try:
        yield cap
    finally:
        cap.controller.stop()
