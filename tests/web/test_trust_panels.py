"""The exchange panel and the signature panel of a received letter agree (issue #17): both judge the letter's
signatures against the same trust, in the same words; no "missing or invalid" beside "valid"."""

from __future__ import annotations

import re

from django.test import Client

from saraban.exchange import actions
from saraban.exchange.models import InboundMessage
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.letters.models import Letter
from tests.exchange.conftest import pump
from tests.exchange.helpers import issue, signed_pdf
from tests.fixtures import user


def test_a_letter_signed_under_the_deployments_trust_reads_the_same_in_both_panels(sbx, signing, demo_pki_dir) -> None:
    entry = issue(pdf=signed_pdf(str(demo_pki_dir)))  # signed with the deployment's signing PKI, not the SBX one
    actions.dispatch(user("registrar"), Letter.objects.get(pk=entry.letter_id), ["tmd"])
    pump()
    inbound = InboundMessage.objects.get()
    assert inbound.verification["letter"]["valid"] is True
    received = intake.register(user("tmd-registrar"), IntakeItem.objects.get(pk=inbound.intake_item_id), {})
    c = Client()
    c.force_login(user("tmd-registrar"))
    page = c.get(f"/letters/{received.letter_id}/").content.decode()
    panel = re.search(r'data-trust="received">(.*?)</dd>', page, re.S)[1]
    report = c.get(f"/letters/{received.letter_id}/signatures/").content.decode()
    overall = re.search(r'data-trust="overall">(.*?)</div>', report, re.S)[1]
    assert "✔" in panel and "✔" in overall and "ไม่มีหรือไม่ถูกต้อง" not in page
    words = "ลายมือชื่อถูกต้อง: เอกสารไม่ถูกแก้ไข ผู้ลงนามยืนยันตัวตนได้ ใบรับรองเชื่อถือได้"
    assert words in panel and words in overall
