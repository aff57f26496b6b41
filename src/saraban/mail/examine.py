"""Reading a stored message into a verdict: quarantine (with reasons) or the queue (with proposed fields).

Everything slow (parsing, PDF text, checks) happens here, outside any transaction; the action that
records the verdict (:func:`saraban.mail.actions.process`) only writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saraban.exchange.local import central_unit
from saraban.kernel import clock
from saraban.letters import enclosures
from saraban.letters.enclosures import Upload
from saraban.orgs.models import Agency
from saraban.registry.validation import IntakeMetadata
from saraban.storage import blobs

from . import checks, conf, extract, senders
from .models import MailMessage
from .parse import Parsed, Problem, parse


@dataclass
class Verdict:
    problems: list[Problem]
    message_id: str
    from_addr: str
    from_name: str
    subject: str
    classified: bool
    sender: senders.Match
    attachments: list[dict[str, Any]]
    letter: Upload | None = None
    extras: list[Upload] = field(default_factory=list)
    meta: IntakeMetadata | None = None
    dup_key: str = ""

    @property
    def quarantine(self) -> bool:
        return bool(self.problems)


def _parts(p: Parsed, *, readable_only: bool = False) -> tuple[Upload, list[Upload]]:
    """The letter (the first readable PDF; with none, the mail's own text as a PDF) and its enclosures: every
    other attachment, in the order they came (the officer may choose another file as the letter)."""
    usable = [a for a in p.attachments if not (readable_only and checks.attachment_problems(a))]
    first_pdf = next((i for i, a in enumerate(usable) if a.is_pdf), None)
    if first_pdf is None:
        from .bodypdf import body_pdf

        letter = Upload(body_pdf(p), "อีเมล.pdf")
    else:
        a = usable[first_pdf]
        letter = Upload(a.data, a.name if a.name.lower().endswith(".pdf") else a.name + ".pdf")
    extras = [Upload(a.data, a.name) for i, a in enumerate(usable) if i != first_pdf]
    return letter, extras


def _refused_parts(extras: list[Upload]) -> list[Problem]:
    """Enclosures the deployment does not accept (by type or size): the officer decides."""
    out = []
    for e in extras:
        try:
            enclosures.check_enclosure(e)
        except enclosures.EnclosureRejected as exc:
            out.append(Problem("attachment_refused", f"ไฟล์แนบ {e.name[:80]}: {exc.message_th}",
                               f"The attachment {e.name[:80]}: {exc.message_en}"))
    return out


def _attachments(p: Parsed) -> list[dict[str, Any]]:
    out, letter_seen = [], False
    for a in p.attachments:
        role = "enclosure"
        if a.is_pdf and not letter_seen:
            role, letter_seen = "letter", True
        out.append({"name": a.name, "type": a.content_type[:100], "size": len(a.data),
                    "sha256": blobs.sha256_hex(a.data), "role": role})
    return out


def metadata(p: Parsed, agency: Agency, match: senders.Match, main_pdf: bytes | None) -> IntakeMetadata:
    page = extract.pdf_first_page_text(main_pdf) if main_pdf else ""
    texts = (page, p.subject, p.body[:5000])
    date = extract.their_date(*texts)
    if date is None and p.date is not None:
        date = clock.to_bkk(p.date).date()
    return IntakeMetadata(
        their_ref=extract.their_ref(*texts), their_date=date, sender=match.name[:500], addressee=agency.name_th[:500],
        subject=extract.subject_of(p.subject, page) or p.subject[:1000] or "(ไม่มีเรื่อง)",
        unit=central_unit(agency).code, remark=f"รับทางไปรษณีย์อิเล็กทรอนิกส์จาก {p.from_addr}"[:1000],
    )


def examine(msg: MailMessage, *, raw: bytes | None = None) -> Verdict:
    raw = raw if raw is not None else blobs.read(msg.raw)
    p = parse(raw)
    limit = conf.max_bytes(msg.account.max_bytes if msg.account_id else 0)  # type: ignore[union-attr]
    problems = checks.mail_problems(p, envelope_from=msg.envelope_from, known_domains=senders.known_domains(),
                                    trusted_authserv=conf.trusted_authserv())
    if len(raw) > limit:
        problems.append(Problem("too_large", f"อีเมลมีขนาดเกินกำหนด ({len(raw) // 1048576} MB)",
                                f"The mail is larger than allowed ({len(raw) // 1048576} MB)"))
    match = senders.match(p.from_addr, p.from_name)
    v = Verdict(problems=problems, message_id=p.message_id, from_addr=p.from_addr, from_name=p.from_name,
                subject="" if p.classified else p.subject, classified=p.classified, sender=match,
                attachments=_attachments(p))
    if v.quarantine:
        return v
    v.letter, v.extras = _parts(p)
    refused = _refused_parts(v.extras)
    if refused:
        v.problems.extend(refused)
        v.letter, v.extras = None, []
        return v
    v.meta = metadata(p, msg.agency, match, v.letter.data)
    v.dup_key = extract.dup_key(v.meta.their_ref, v.meta.sender, v.meta.their_date)
    return v


def release_parts(msg: MailMessage) -> tuple[Upload, list[Upload], IntakeMetadata]:
    """What a quarantined mail puts in the queue once an officer releases it: the files that pass the checks
    (a program, a locked or refused file stays in the original only)."""
    p = parse(blobs.read(msg.raw))
    letter, extras = _parts(p, readable_only=True)
    refused = {prob.en for prob in _refused_parts(extras)}
    extras = [e for e in extras if not any(e.name[:80] in r for r in refused)]
    meta = metadata(p, msg.agency, senders.match(p.from_addr, p.from_name), letter.data)
    return letter, extras, meta
