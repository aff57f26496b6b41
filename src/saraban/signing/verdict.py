"""One vocabulary of trust: a signature is judged on three separate facts, each said plainly.

- **integrity** (ความครบถ้วนของเอกสาร): the document is what was signed, unchanged since;
- **identity** (ผู้ลงนาม): who signed, and whether their certificate confirms it;
- **chain** (สายใบรับรอง): whether the signer's certificate chains to a trusted root, in force, not revoked.

A tampered file signed with a trusted certificate is *changed after signing*, not *untrusted*; a file signed
with an unknown certificate is *intact* but its signer *not confirmed*.  Every page that shows a signature says
it with :func:`judge` and :func:`overall` (the verify pages, the letter page's panel, the exchange panel), so two
panels never contradict each other about the same file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

INTEGRITY_BROKEN = ("digest_mismatch", "signature_invalid", "modified_after_signing", "not_whole_document")
CHAIN_PROBLEMS = {
    "certificate_untrusted": ("ใบรับรองไม่ได้ออกโดยผู้ออกใบรับรองที่ระบบนี้เชื่อถือ",
                              "the certificate is not from a certification authority this system trusts"),
    "certificate_expired": ("ใบรับรองหมดอายุหรือยังไม่มีผล ณ เวลาที่ตรวจ", "the certificate was expired or not yet valid"),
    "certificate_revoked": ("ใบรับรองถูกเพิกถอนแล้ว", "the certificate has been revoked"),
}


@dataclass(frozen=True)
class Fact:
    key: str  # integrity, identity, chain
    ok: bool
    th: str
    en: str


@dataclass(frozen=True)
class Judgement:
    integrity: Fact
    identity: Fact
    chain: Fact
    test: bool  # a TEST certificate of a demo PKI

    @property
    def facts(self) -> tuple[Fact, Fact, Fact]:
        return (self.integrity, self.identity, self.chain)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.facts)


def _get(s: Any, name: str, default: Any = None) -> Any:
    return s.get(name, default) if isinstance(s, Mapping) else getattr(s, name, default)


def _integrity(problems: Sequence[str]) -> Fact:
    if "digest_mismatch" in problems or "signature_invalid" in problems:
        return Fact("integrity", False, "เอกสารถูกแก้ไขหลังลงนาม: ไม่ตรงกับที่ลงนามไว้",
                    "Changed after signing: it no longer matches what was signed")
    if "modified_after_signing" in problems:
        return Fact("integrity", False, "มีการแก้ไขเนื้อหาเอกสารหลังลงนาม", "Its content was changed after signing")
    if "not_whole_document" in problems:
        return Fact("integrity", False, "ลายมือชื่อครอบคลุมเอกสารเพียงบางส่วน",
                    "The signature covers only part of the document")
    return Fact("integrity", True, "เอกสารไม่ถูกแก้ไขหลังลงนาม", "Unchanged since it was signed")


def judge(s: Any) -> Judgement:
    """The three facts of one signature (a :class:`~saraban.signing.validate.SignatureReport` or its dict)."""
    problems = tuple(_get(s, "problems", ()) or ())
    signer = _get(s, "signer", "") or "-"
    chain = tuple(_get(s, "chain", ()) or ())
    trusted = bool(_get(s, "trusted", False))
    test = "TEST" in signer or any("TEST" in c for c in chain)
    why = next((CHAIN_PROBLEMS[p] for p in problems if p in CHAIN_PROBLEMS), CHAIN_PROBLEMS["certificate_untrusted"])
    path = " → ".join(chain) or signer
    if trusted:
        identity = Fact("identity", True, f"{signer}: ใบรับรองยืนยันตัวตนผู้ลงนาม",
                        f"{signer}: the certificate confirms who signed")
        chain_fact = Fact("chain", True, f"เชื่อถือได้ ({path})", f"Trusted ({path})")
    else:
        identity = Fact("identity", False, f"{signer} ตามที่ใบรับรองระบุ: ยืนยันตัวตนไม่ได้",
                        f"{signer} as the certificate says: not confirmed")
        chain_fact = Fact("chain", False, f"ไม่เชื่อถือ: {why[0]} ({path})", f"Not trusted: {why[1]} ({path})")
    return Judgement(_integrity(problems), identity, chain_fact, test)


def overall(signatures: Sequence[Any], problems: Sequence[str] = ()) -> Fact:
    """One line for the whole file, naming what failed (never "invalid" without saying which fact)."""
    if "no_signature" in problems or not signatures:
        return Fact("overall", False, "ไม่มีลายมือชื่ออิเล็กทรอนิกส์ในไฟล์นี้", "This file carries no electronic signature")
    if "pdf_unreadable" in problems:
        return Fact("overall", False, "อ่านไฟล์ PDF ไม่ได้", "The PDF cannot be read")
    judged = [judge(s) for s in signatures if _get(s, "kind", "signature") == "signature"] or \
        [judge(s) for s in signatures]
    if all(j.ok for j in judged):
        return Fact("overall", True, "ลายมือชื่อถูกต้อง: เอกสารไม่ถูกแก้ไข ผู้ลงนามยืนยันตัวตนได้ ใบรับรองเชื่อถือได้",
                    "Signatures valid: unchanged, signers confirmed, certificates trusted")
    failed: list[Fact] = []
    for key in ("integrity", "chain", "identity"):  # an untrusted chain is why the identity is unconfirmed
        bad = next((f for j in judged for f in j.facts if f.key == key and not f.ok), None)
        if bad is not None and not (key == "identity" and any(f.key == "chain" for f in failed)):
            failed.append(bad)
    short = {"integrity": ("เอกสารถูกแก้ไขหลังลงนาม", "changed after signing"),
             "identity": ("ยืนยันตัวตนผู้ลงนามไม่ได้", "signer not confirmed"),
             "chain": ("ใบรับรองไม่เชื่อถือ", "certificate not trusted")}
    return Fact("overall", False, " · ".join(short[f.key][0] for f in failed),
                "; ".join(short[f.key][1] for f in failed).capitalize())
