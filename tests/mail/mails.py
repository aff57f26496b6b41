"""Building test e-mails: Thai subjects, Thai-named PDF attachments, and the hostile ones."""

from __future__ import annotations

import io
import zipfile
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from saraban.kernel import clock
from tests.fixtures import make_pdf

OPS = "saraban@ops.mdes.test"


def letter_mail(i: int = 1, *, to: str = OPS, sender: str = "saraban@tmd.mdes.test", subject: str | None = None,
                attachments: list[tuple[str, bytes]] | None = None, body: str = "", mid: str | None = None,
                extra: dict[str, str] | None = None, name: str = "กรมอุตุนิยมวิทยา") -> bytes:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = f"{name} <{sender}>" if name else sender
    m["To"] = to
    m["Subject"] = subject if subject is not None else f"ที่ ดศ 0301/{i} เรื่อง ขอเชิญประชุมคณะทำงานครั้งที่ {i}"
    m["Date"] = format_datetime(clock.now())
    m["Message-ID"] = mid or make_msgid(idstring=f"t{i}", domain="tmd.mdes.test")
    for k, v in (extra or {}).items():
        m[k] = v
    m.set_content(body or f"เรียน ปลัดกระทรวง\n\nส่งหนังสือฉบับที่ {i} มาเพื่อโปรดพิจารณา\n")
    for fname, data in attachments if attachments is not None else [(f"หนังสือเชิญประชุม {i}.pdf", make_pdf(variant=i))]:
        maintype, subtype = ("application", "pdf") if fname.endswith(".pdf") else ("application", "octet-stream")
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=fname)
    return m.as_bytes()


def zip_of(files: dict[str, bytes], *, encrypted: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    data = bytearray(buf.getvalue())
    if encrypted:  # set the "encrypted" flag bit in every header (what a password-protected zip carries)
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (pos := data.find(sig, start)) != -1:
                data[pos + off] |= 0x1
                start = pos + 4
    return bytes(data)


def bomb() -> bytes:
    return zip_of({"data.bin": b"\0" * (20 * 1024 * 1024)})
