"""What makes a mail suspicious: dangerous or unreadable attachments, archive bombs, spoofed senders.

Each check returns :class:`~.parse.Problem` values.  A mail with any problem is quarantined with its
reasons (the original is kept); an officer looks at it and releases it to the queue or sets it aside.
Nothing from a suspicious mail reaches the queue by itself.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterable

from .parse import Attachment, Parsed, Problem, envelope_domain

EXECUTABLE_EXT = {
    "exe", "com", "bat", "cmd", "scr", "pif", "cpl", "msi", "msp", "dll", "sys", "js", "jse", "vbs", "vbe", "wsf",
    "wsh", "hta", "ps1", "psm1", "jar", "lnk", "reg", "sh", "bin", "elf", "app", "apk", "iso", "img", "vhd",
    "xll", "docm", "xlsm", "pptm", "dotm", "xltm", "one", "chm", "appx", "msix",
}
ARCHIVE_EXT = {"zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab", "arj", "lzh", "z"}
_MAGIC_EXE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
MAX_EXPANDED = 200 * 1024 * 1024  # an archive that unpacks to more than this is treated as a bomb
MAX_RATIO = 100
MAX_ENTRIES = 2000
MAX_DEPTH = 2


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _p(code: str, th: str, en: str) -> Problem:
    return Problem(code, th, en)


def _executable(name: str, data: bytes) -> bool:
    exts = [e.lower() for e in name.split(".")[1:]]
    return any(e in EXECUTABLE_EXT for e in exts[-2:]) or data[:4].startswith(_MAGIC_EXE)


def _zip_problems(name: str, data: bytes, depth: int = 0) -> list[Problem]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return [_p("corrupt_archive", f"ไฟล์บีบอัด {name} เสียหาย", f"The archive {name} is corrupt")]
    if len(infos) > MAX_ENTRIES:
        return [_p("archive_bomb", f"ไฟล์บีบอัด {name} มีไฟล์ข้างในมากผิดปกติ", f"The archive {name} holds too many files")]
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_EXPANDED or (total > 1024 * 1024 and total / packed > MAX_RATIO):
        return [_p("archive_bomb", f"ไฟล์บีบอัด {name} ขยายได้ใหญ่ผิดปกติ (archive bomb)",
                   f"The archive {name} expands abnormally (an archive bomb)")]
    out: list[Problem] = []
    for info in infos:
        if info.flag_bits & 0x1:
            out.append(_p("password_protected", f"ไฟล์บีบอัด {name} มีรหัสผ่าน", f"The archive {name} is password-protected"))
            break
    for info in infos:
        inner = info.filename.rsplit("/", 1)[-1]
        if inner and any(e in EXECUTABLE_EXT for e in inner.lower().split(".")[1:]):
            out.append(_p("executable", f"ไฟล์บีบอัด {name} มีโปรแกรม ({inner[:80]})",
                          f"The archive {name} holds a program ({inner[:80]})"))
            break
    if not out:
        for info in infos:
            if _ext(info.filename) == "zip" and not info.flag_bits & 0x1:
                if depth + 1 >= MAX_DEPTH:
                    return [_p("archive_bomb", f"ไฟล์บีบอัด {name} ซ้อนกันหลายชั้น", f"The archive {name} is nested too deep")]
                out.extend(_zip_problems(name, zf.read(info), depth + 1))
    return out


def _gzip_problems(name: str, data: bytes) -> list[Problem]:
    if len(data) < 18:
        return [_p("corrupt_archive", f"ไฟล์บีบอัด {name} เสียหาย", f"The archive {name} is corrupt")]
    expanded = struct.unpack("<I", data[-4:])[0]  # ISIZE: the size modulo 2**32
    if expanded > MAX_EXPANDED or (expanded > 1024 * 1024 and expanded / len(data) > MAX_RATIO):
        return [_p("archive_bomb", f"ไฟล์บีบอัด {name} ขยายได้ใหญ่ผิดปกติ (archive bomb)",
                   f"The archive {name} expands abnormally (an archive bomb)")]
    return []


def attachment_problems(att: Attachment) -> list[Problem]:
    name, data, ext = att.name, att.data, _ext(att.name)
    if _executable(name, data):
        return [_p("executable", f"ไฟล์แนบ {name} เป็นโปรแกรมหรือสคริปต์", f"The attachment {name} is a program or script")]
    if att.is_pdf:
        from saraban.letters.pdf import FileRejected, inspect_pdf

        try:
            inspect_pdf(data, max_bytes=len(data) + 1)
        except FileRejected as exc:
            code = "password_protected" if exc.code == "pdf_encrypted" else "unreadable_pdf"
            return [_p(code, f"ไฟล์แนบ {name}: {exc.message_th}", f"The attachment {name}: {exc.message_en}")]
        return []
    if data[:4] == b"PK\x03\x04" or ext == "zip":
        return _zip_problems(name, data)
    if data[:2] == b"\x1f\x8b" or ext in ("gz", "tgz"):
        return _gzip_problems(name, data)
    if data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:
        return [_p("password_protected", f"ไฟล์แนบ {name} มีรหัสผ่าน", f"The attachment {name} is password-protected")]
    if ext in ARCHIVE_EXT:
        return [_p("archive_uninspected", f"ตรวจไฟล์บีบอัด {name} ไม่ได้ (รองรับเฉพาะ zip)",
                   f"The archive {name} cannot be inspected (only zip is)")]
    return []


# ---- the sender ------------------------------------------------------------------------------------

_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "3": "e", "4": "a", "_": "-", "7": "t"})


def _skeleton(domain: str) -> str:
    return domain.lower().replace("rn", "m").replace("vv", "w").translate(_CONFUSABLE)


def _distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _related(domain: str, other: str) -> bool:
    return domain == other or domain.endswith("." + other) or other.endswith("." + domain)


_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*(fail|softfail|permerror)\b", re.I)


def sender_problems(p: Parsed, envelope_from: str, known_domains: Iterable[str],
                    trusted_authserv: Iterable[str] = ()) -> list[Problem]:
    """Signs that the From is not who sent it (the mail is flagged and quarantined, never refused)."""
    out: list[Problem] = []
    domain = envelope_domain(p.from_addr)
    if not domain:
        return out
    known = {d.lower() for d in known_domains if d}
    trusted = {t.lower() for t in trusted_authserv if t}
    for header in p.auth_results[:1]:  # only the topmost one, added by our own relay
        authserv = header.split(";", 1)[0].strip().lower()
        if trusted and authserv in trusted:
            for method, result in _AUTH_RESULT.findall(header):
                out.append(_p("spoofed", f"ผลตรวจ {method.upper()} ของผู้ส่งไม่ผ่าน ({result.lower()})",
                              f"The sender failed {method.upper()} ({result.lower()})"))
    if domain.startswith("xn--") or ".xn--" in domain or not domain.isascii():
        out.append(_p("spoofed", f"โดเมนผู้ส่ง {domain[:80]} ใช้อักษรเลียนแบบ",
                      f"The sender domain {domain[:80]} uses look-alike letters"))
    elif domain not in known:
        for k in known:
            if _skeleton(domain) == _skeleton(k) or _distance_one(domain, k):
                out.append(_p("spoofed", f"โดเมนผู้ส่ง {domain} คล้ายโดเมนของหน่วยงาน {k} (อาจปลอม)",
                              f"The sender domain {domain} imitates {k}"))
                break
    env_domain = envelope_domain(envelope_from or p.return_path)
    if domain in known and env_domain and not _related(env_domain, domain):
        out.append(_p("spoofed", f"ผู้ส่งอ้างโดเมน {domain} แต่ส่งมาจาก {env_domain[:80]}",
                      f"The sender claims {domain} but the mail came from {env_domain[:80]}"))
    if "@" in p.from_name and envelope_domain(p.from_name.strip("<>\"' ")) not in ("", domain):
        out.append(_p("spoofed", "ชื่อผู้ส่งแสดงที่อยู่อีเมลอื่น", "The sender's display name shows another address"))
    return out


def mail_problems(p: Parsed, *, envelope_from: str, known_domains: Iterable[str],
                  trusted_authserv: Iterable[str] = ()) -> list[Problem]:
    """Every reason to quarantine this mail, each code once with its first wording."""
    found = list(p.problems)
    for att in p.attachments:
        found.extend(attachment_problems(att))
    found.extend(sender_problems(p, envelope_from, known_domains, trusted_authserv))
    if p.classified:
        found.append(_p("classified", "หนังสือชั้นความลับต้องไม่ส่งทางอีเมลธรรมดา",
                        "Classified letters must not travel by plain e-mail"))
    seen: dict[tuple[str, str], Problem] = {}
    for prob in found:
        seen.setdefault((prob.code, prob.en), prob)
    return list(seen.values())
