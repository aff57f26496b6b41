"""Pull mode: the intermediary accepts for a participant without an endpoint and holds it in a mailbox."""

from __future__ import annotations

import json

from cryptography import x509

from saraban.exchange import actions, node, wire
from saraban.exchange.models import InboundMessage, OutboxMessage
from saraban.exchange.sbx import endpoints
from saraban.letters.models import Letter
from tests.exchange.conftest import pump
from tests.exchange.helpers import issue
from tests.fixtures import user


def _fp(root, name: str) -> str:
    return node.cert_sha256(x509.load_pem_x509_certificate((root / "pki" / f"client-{name}.crt").read_bytes()))


def test_mail_waits_for_the_participant_and_is_acknowledged(sbx_host, clock) -> None:
    entry = issue()
    [d] = actions.dispatch(user("registrar"), Letter.objects.get(pk=entry.letter_id), ["nso"])
    pump()
    d.refresh_from_db()
    assert d.status == "delivered"  # the intermediary's signed receipt
    held = InboundMessage.objects.get(recipient_code="nso")
    assert held.mailbox and held.intake_item_id is None  # not ours to register

    puller = _fp(sbx_host, "puller")
    status, _, body = endpoints.mailbox_list(puller, "", "10")
    items = json.loads(body)["items"]
    assert status == 200 and [i["message_id"] for i in items] == [str(held.message_id)]
    status, ctype, body = endpoints.mailbox_get(items[0]["message_id"], puller)
    msg = wire.decode_message(ctype, body)
    sent = OutboxMessage.objects.get(dispatch=d)
    assert status == 200 and msg.envelope == bytes(sent.envelope) and msg.signature == bytes(sent.envelope_sig)
    assert endpoints.mailbox_ack(items[0]["message_id"], puller)[0] == 200
    assert json.loads(endpoints.mailbox_list(puller, "", "10")[2])["items"] == []

    host = _fp(sbx_host, "host")  # the host's own certificate has no mailbox here
    assert endpoints.mailbox_list(host, "", "10")[0] == 401
    assert endpoints.mailbox_list("", "", "10")[0] == 401
