"""Reading a received message: headers, body text, attachments (Thai names per RFC 2047/2231), defects.

Parsing never changes the original: it reads a copy of the bytes that were stored.  Problems are
collected (``problems``) rather than raised, so that a broken mail is quarantined with a reason instead of
being lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

# charsets Thai mailers use under names Python does not know
_CHARSET_ALIASES = {"x-windows-874": "cp874", "windows-874": "cp874", "tis620": "tis-620", "x-tis620": "tis-620",
                    "iso-8859-11": "tis-620", "x-user-defined": "cp874"}
_CLASSIFIED = re.compile(r"^[\s\[\(\"'«]*(ลับที่สุด|ลับมาก|ลับ)(?=[\s\]\):\-–—/]|$)")


@dataclass(frozen=True)
class Problem:
    code: str
    th: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "th": self.th, "en": self.en}


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf" or self.name.lower().endswith(".pdf") or \
            self.data[:5] == b"%PDF-"


@dataclass
class Parsed:
    message_id: str = ""
    from_addr: str = ""
    from_name: str = ""
    reply_to: str = ""
    return_path: str = ""
    to: list[str] = field(default_factory=list)
    subject: str = ""
    date: dt.datetime | None = None
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    auth_results: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def classified(self) -> bool:
        return looks_classified(self.subject)


def looks_classified(subject: str) -> bool:
    """A subject marked ลับ / ลับมาก / ลับที่สุด (such mail is kept encrypted and never shown or logged)."""
    return bool(_CLASSIFIED.match(subject or ""))


def _header(msg: Message, name: str, problems: list[Problem]) -> str:
    try:
        value = msg.get(name)
        return " ".join(str(value).split()) if value is not None else ""
    except Exception:  # a header the parser cannot decode at all
        problems.append(Problem("bad_header", f"อ่านหัวข้อ {name} ไม่ได้", f"The {name} header cannot be read"))
        return ""


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _decode_text(part: Message, problems: list[Problem]) -> str:
    payload = _payload(part)
    charset = (part.get_content_charset() or "us-ascii").lower()
    charset = _CHARSET_ALIASES.get(charset, charset)
    try:
        text = payload.decode(charset)
    except LookupError:
        problems.append(Problem("unknown_charset", f"ชุดอักขระ {charset[:40]} ที่ไม่รู้จัก",
                                f"Unknown character set {charset[:40]}"))
        return payload.decode("utf-8", errors="replace")
    except UnicodeDecodeError:
        problems.append(Problem("bad_encoding", f"ข้อความไม่ตรงกับชุดอักขระ {charset[:40]} ที่แจ้งไว้",
                                f"The text does not match its declared character set {charset[:40]}"))
        return payload.decode(charset, errors="replace")
    return text


def _filename(part: Message, problems: list[Problem], index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
        problems.append(Problem("bad_filename", "อ่านชื่อไฟล์แนบไม่ได้", "An attachment's name cannot be read"))
    name = "".join(ch for ch in name if ch.isprintable()).replace("/", "_").replace("\\", "_").strip(" .")
    return name[:200] or f"attachment-{index}"


def _display_name(msg: Message, parsed: str) -> str:
    """The From display name with adjacent RFC 2047 encoded words joined as the RFC says (the standard
    library's address parser puts a space between them, splitting Thai words: ``กรมอุตุนิยมวิทย า``)."""
    from email.header import decode_header, make_header

    try:
        raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "from"), "")
        head = raw.rsplit("<", 1)[0] if "<" in raw else ""
        if "=?" not in head:
            return parsed
        return " ".join(str(make_header(decode_header(head))).split()).strip(' "') or parsed
    except Exception:  # an undecodable name: keep what the parser made of it
        return parsed


_HTML_TAG = re.compile(r"<[^>]+>")


def _walk(msg: Message, out: Parsed) -> None:
    text_plain, text_html = "", ""
    for i, part in enumerate(msg.walk()):
        out.problems.extend(Problem("malformed_mime", "โครงสร้าง MIME ผิดรูปแบบ: " + type(d).__name__,
                                    "Malformed MIME: " + type(d).__name__) for d in part.defects)
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if ctype == "message/rfc822" or (disposition != "attachment" and ctype in ("text/plain", "text/html")
                                         and not part.get_filename()):
            if ctype == "text/plain" and not text_plain:
                text_plain = _decode_text(part, out.problems)
            elif ctype == "text/html" and not text_html:
                text_html = _decode_text(part, out.problems)
            continue
        if part.get_payload(decode=True) is None:
            continue
        data = _payload(part)
        out.attachments.append(Attachment(_filename(part, out.problems, i), ctype, data))
    out.body = text_plain or " ".join(_HTML_TAG.sub(" ", text_html).split())


def parse(raw: bytes) -> Parsed:
    """Everything Saraban reads from a message; problems are listed, never raised."""
    out = Parsed()
    msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[assignment]
    problems = out.problems
    if not raw.strip() or not msg.keys():
        problems.append(Problem("not_a_mail", "ไม่ใช่ข้อความอีเมล", "This is not an e-mail message"))
    out.message_id = _header(msg, "Message-ID", problems)[:500]
    from_value = _header(msg, "From", problems)
    if not from_value:
        problems.append(Problem("no_from", "ไม่มีผู้ส่ง (From)", "The mail has no From"))
    else:
        pairs = getaddresses([from_value])
        if len(pairs) != 1 or "@" not in pairs[0][1]:
            problems.append(Problem("bad_from", "ที่อยู่ผู้ส่ง (From) ไม่ถูกต้อง", "The From address is not valid"))
        if pairs:
            out.from_name, out.from_addr = _display_name(msg, pairs[0][0])[:500], pairs[0][1].lower()[:320]
    out.reply_to = parseaddr(_header(msg, "Reply-To", problems))[1].lower()
    out.return_path = parseaddr(_header(msg, "Return-Path", problems))[1].lower()
    out.to = [a for _, a in getaddresses([_header(msg, "To", problems), _header(msg, "Cc", problems)]) if a]
    out.subject = _header(msg, "Subject", problems)[:1000]
    try:
        date_value = _header(msg, "Date", problems)
        out.date = parsedate_to_datetime(date_value) if date_value else None
        if out.date is not None and out.date.tzinfo is None:
            out.date = out.date.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        out.date = None
    try:
        out.auth_results = [str(v) for v in msg.get_all("Authentication-Results") or []]
    except Exception:
        out.auth_results = []
    if msg.get_content_maintype() == "multipart" and not msg.get_boundary():
        problems.append(Problem("malformed_mime", "ข้อความหลายส่วนแต่ไม่มีตัวคั่น (boundary)",
                                "Multipart message without a boundary"))
    _walk(msg, out)
    return out


def envelope_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower().strip(">") if "@" in address else ""


@dataclass(frozen=True)
class Head:
    message_id: str
    from_addr: str
    from_name: str
    subject: str


def parse_headers(raw: bytes) -> Head:
    """The few headers kept in the message's row, read without parsing the body."""
    from email.parser import BytesHeaderParser

    problems: list[Problem] = []
    msg = BytesHeaderParser(policy=policy.default).parsebytes(raw[:256 * 1024])
    pairs = getaddresses([_header(msg, "From", problems)])
    name, addr = pairs[0] if pairs else ("", "")
    return Head(_header(msg, "Message-ID", problems)[:500], addr.lower()[:320], _display_name(msg, name)[:500],
                _header(msg, "Subject", problems)[:1000])
