"""Code lists of SBX 1.0: urgency and secrecy (the e-CMS SpeedCode / SecretCode values) and reasons."""

from __future__ import annotations

from saraban.intake.reasons import RETURN_REASONS
from saraban.kernel.models import ECMS_SECRET, ECMS_SPEED, Secrecy, Urgency

SPEC = "sbx/1.0"
SYSTEM = "SARABAN"
PACKAGE_TYPE = "application/vnd.etsi.asic-e+zip"
ENVELOPE_TYPE = "application/vnd.sbx.envelope+json"
SIGNATURE_TYPE = "application/pkcs7-signature"
ENCRYPTED_TYPE = "application/pkcs7-mime; smime-type=enveloped-data"

URGENCY_LABEL = {u.value: u.label for u in Urgency}
SECRECY_LABEL = {s.value: s.label for s in Secrecy}
SPEED_TO_URGENCY = {code: value for value, code in ECMS_SPEED.items()}
SECRET_TO_SECRECY = {code: value for value, code in ECMS_SECRET.items()}


def priority(urgency: str) -> dict[str, str]:
    return {"code": ECMS_SPEED[urgency], "label": URGENCY_LABEL[urgency]}


def classification(secrecy: str) -> dict[str, str]:
    return {"code": ECMS_SECRET[secrecy], "label": SECRECY_LABEL[secrecy]}


SIGNALS = ("delivered", "registered", "rejected", "invalid", "registration_invalid", "withdrawn", "status", "failed")

# reasons for `rejected` / `invalid`: the intake list, so the desk and the wire share one set of codes
REASONS = RETURN_REASONS


def reason_label(code: str, lang: str = "th") -> str:
    th, en = REASONS.get(code, (code, code))
    return en if lang == "en" else th


# why a sending failed, in words for people (the wire codes of errors.py and our own transport codes)
FAILURES: dict[str, tuple[str, str]] = {
    "EXPIRED": ("ส่งไม่ถึงปลายทางก่อนหมดเวลาที่กำหนด", "Not delivered before it expired"),
    "WITHDRAWN": ("ถอนหนังสือคืนแล้ว", "Withdrawn"),
    "NETWORK": ("เชื่อมต่อระบบปลายทางไม่ได้", "Could not reach the receiving system"),
    "NO_ROUTE": ("ไม่พบที่อยู่ระบบของผู้รับในสมุดรายชื่อ", "No address for the recipient in the directory"),
    "RECEIPT_INVALID": ("ใบตอบรับจากปลายทางไม่ถูกต้อง", "The receipt from the receiver is not valid"),
    "SERVER_MISMATCH": ("ใบรับรอง TLS ของปลายทางไม่ใช่ของผู้รับตามสมุดรายชื่อ",
                        "The server's TLS certificate is not the recipient's"),
    "INTERNAL": ("ระบบนี้ขัดข้องระหว่างส่ง", "An error on this system while sending"),
}


def failure_label(code: str, lang: str = "th") -> str:
    """Words for a reason or failure code; an unknown code is shown as it is."""
    from .errors import WIRE_ERRORS

    if code in REASONS:
        return reason_label(code, lang)
    if code in FAILURES:
        th, en = FAILURES[code]
    elif code in WIRE_ERRORS:
        th, en = WIRE_ERRORS[code].message_th, WIRE_ERRORS[code].message_en
    elif code.startswith("HTTP_"):
        th, en = f"ระบบปลายทางตอบข้อผิดพลาด {code[5:]}", f"The receiving system answered {code[5:]}"
    else:
        return code
    return en if lang == "en" else th
