"""One vocabulary of trust (issue #17): integrity, the signer's identity and the certificate chain are judged
apart, so a tampered file signed with a trusted certificate is "changed after signing", never "untrusted", and
a file signed with an unknown certificate is intact but its signer unconfirmed."""

from __future__ import annotations

import pytest

from saraban.signing.pki import TestPKI
from saraban.signing.validate import validate_pdf
from saraban.signing.verdict import judge, overall

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def _tampered(pdf: bytes) -> bytes:
    out = bytearray(pdf)
    out[out.index(b"WeasyPrint")] = ord("X")  # the Producer entry, inside the signed range
    return bytes(out)


def test_a_tampered_file_keeps_its_trusted_chain_and_its_signer(signed_external, pki: TestPKI) -> None:
    report = validate_pdf(_tampered(signed_external.pdf), trust_roots=pki.trust_roots,
                          other_certs=(pki.intermediate.cert,))
    [sig] = [s for s in report.signatures if s.kind == "signature"]
    assert not sig.intact and sig.trusted and "certificate_untrusted" not in sig.problems
    assert sig.chain[-1] == "TEST Saraban Root CA"
    j = judge(sig)
    assert not j.integrity.ok and "ถูกแก้ไขหลังลงนาม" in j.integrity.th
    assert j.chain.ok and j.chain.th.startswith("เชื่อถือได้") and "ไม่เชื่อถือ" not in j.chain.th
    assert j.identity.ok and "TEST นายสมชาย ใจดี" in j.identity.th
    verdict = overall(report.signatures)
    assert not verdict.ok and verdict.th == "เอกสารถูกแก้ไขหลังลงนาม" and verdict.en == "Changed after signing"


def test_an_unknown_certificate_leaves_the_document_intact_and_the_signer_unconfirmed(
        signed_external, other_pki: TestPKI) -> None:
    report = validate_pdf(signed_external.pdf, trust_roots=other_pki.trust_roots)
    [sig] = [s for s in report.signatures if s.kind == "signature"]
    j = judge(sig)
    assert j.integrity.ok and j.integrity.th == "เอกสารไม่ถูกแก้ไขหลังลงนาม"
    assert not j.chain.ok and j.chain.th.startswith("ไม่เชื่อถือ")
    assert not j.identity.ok and "ยืนยันตัวตนไม่ได้" in j.identity.th
    assert overall(report.signatures).th == "ใบรับรองไม่เชื่อถือ"


def test_a_good_file_is_valid_on_all_three_and_a_stored_report_reads_the_same(signed_external, pki) -> None:
    report = validate_pdf(signed_external.pdf, trust_roots=pki.trust_roots, other_certs=(pki.intermediate.cert,))
    assert all(f.ok for f in judge(report.signatures[0]).facts)
    stored = report.as_dict()["signatures"]  # what the exchange keeps of a received letter
    assert overall(stored) == overall(report.signatures) and overall(stored).ok
    assert not overall([], ("no_signature",)).ok
