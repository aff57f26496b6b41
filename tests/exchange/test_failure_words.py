"""Reasons and failures are shown to people in words, Thai first, English on request."""

from saraban.exchange import codes


def test_failure_codes_have_thai_and_english_words() -> None:
    assert codes.failure_label("EXPIRED") == "ส่งไม่ถึงปลายทางก่อนหมดเวลาที่กำหนด"
    assert codes.failure_label("EXPIRED", "en") == "Not delivered before it expired"
    assert codes.failure_label("NETWORK") == "เชื่อมต่อระบบปลายทางไม่ได้"
    assert codes.failure_label("SIGNATURE_INVALID") == "ลายมือชื่อดิจิทัลไม่ถูกต้อง"  # a refusal reason
    assert codes.failure_label("SENDER_MISMATCH").startswith("ใบรับรอง TLS ของผู้ส่ง")  # a wire error
    assert codes.failure_label("HTTP_502") == "ระบบปลายทางตอบข้อผิดพลาด 502"
    assert codes.failure_label("SOMETHING_NEW") == "SOMETHING_NEW"  # shown as it is, never hidden
