"""Small printed forms drawn with :mod:`.html_pdf`: the receipt slip (ใบรับหนังสือ, form 16) given to whoever
delivered a letter by hand, and the covering memo (บันทึกนำส่ง) that goes with a forwarded letter.

Callers give the text (Thai dates already written in B.E.); nothing here knows a database.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .html_pdf import font_css, html_to_pdf


@dataclass(frozen=True)
class ReceiptSlip:
    """What form 16 shows: the receiving agency and its number, date and time, the letter, who received it."""

    agency: str
    unit: str
    number: str
    date: str
    time: str
    their_ref: str
    letter_date: str
    sender: str
    subject: str
    received_by: str
    position: str = ""
    enclosures: tuple[str, ...] = ()
    verify: str = ""


@dataclass(frozen=True)
class CoverMemo:
    """บันทึกนำส่ง: who passes which letter on, to whom, and why."""

    agency: str
    date: str
    about: str
    to: tuple[str, ...]
    note: str
    by: str
    position: str = ""
    enclosures: tuple[str, ...] = field(default_factory=tuple)


def _e(text: str) -> str:
    return html.escape(text or "")


STYLE = """
@page { size: A5; margin: 12mm 13mm 10mm; }
body { font-family: 'Sarabun'; font-size: 12.5pt; line-height: 1.3; color: #000; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 2mm; }
.agency { text-align: center; font-weight: 700; margin-bottom: 3mm; }
table { width: 100%; border-collapse: collapse; }
td { padding: 0.5mm 0; vertical-align: top; }
td.k { width: 30mm; white-space: nowrap; }
td.v { font-weight: 700; border-bottom: 0.2mm dotted #555; }
.sign { margin-top: 6mm; margin-left: 40%; text-align: center; page-break-inside: avoid; }
.sign .line { border-bottom: 0.2mm dotted #000; height: 8mm; }
.small { font-size: 11pt; color: #333; }
ol { margin: 0; padding-left: 7mm; }
"""


def _row(label: str, value: str) -> str:
    return f'<tr><td class="k">{_e(label)}</td><td class="v">{_e(value) or "-"}</td></tr>'


def receipt_slip_pdf(slip: ReceiptSlip) -> bytes:
    """ใบรับหนังสือ on an A5 page."""
    rows = "".join([
        _row("เลขทะเบียนรับ", slip.number), _row("วันที่รับ", slip.date), _row("เวลา", slip.time),
        _row("ที่", slip.their_ref), _row("ลงวันที่", slip.letter_date), _row("จาก", slip.sender),
        _row("เรื่อง", slip.subject),
    ])
    extra = ""
    if slip.enclosures:
        items = "".join(f"<li>{_e(t)}</li>" for t in slip.enclosures)
        extra = f'<p style="margin:2mm 0 0">สิ่งที่ส่งมาด้วย</p><ol>{items}</ol>'
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}{STYLE}</style></head>
<body><h1>ใบรับหนังสือ</h1><div class="agency">{_e(slip.unit)}<br>{_e(slip.agency)}</div>
<table>{rows}</table>{extra}
<div class="sign"><div class="line"></div>({_e(slip.received_by)})<br>{_e(slip.position)}<br>ผู้รับหนังสือ<br>
<span class="small">วันที่ {_e(slip.date)} เวลา {_e(slip.time)}</span></div>
{f'<p class="small">{_e(slip.verify)}</p>' if slip.verify else ''}
</body></html>"""
    return html_to_pdf(doc)


def cover_memo_pdf(memo: CoverMemo) -> bytes:
    """บันทึกนำส่ง for a forwarded letter on an A4 page."""
    paras = "".join(f"<p style='text-indent:2.5cm;margin:0 0 3mm'>{_e(p)}</p>" for p in memo.note.splitlines()
                    if p.strip())
    to = "".join(f"<div>{_e(t)}</div>" for t in memo.to)
    encl = "".join(f"<li>{_e(t)}</li>" for t in memo.enclosures)
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}
@page {{ size: A4; margin: 25mm 20mm 20mm 30mm; }}
body {{ font-family: 'Sarabun'; font-size: 16pt; line-height: 1.5; }}
h1 {{ font-size: 24pt; text-align: center; margin: 0 0 6mm; }}
.k {{ font-weight: 700; }}
.sign {{ margin-top: 16mm; margin-left: 45%; text-align: center; }}
</style></head><body><h1>บันทึกนำส่ง</h1>
<div><span class="k">ส่วนราชการ</span> {_e(memo.agency)}</div>
<div><span class="k">วันที่</span> {_e(memo.date)}</div>
<div><span class="k">เรื่อง</span> ส่งต่อ{_e(memo.about)}</div>
<div style="margin-top:4mm"><span class="k">ถึง</span> {to}</div>
<div style="margin-top:4mm">{paras}</div>
{f'<div><span class="k">สิ่งที่ส่งมาด้วย</span><ol>{encl}</ol></div>' if encl else ''}
<div class="sign">{_e(memo.by)}<br>{_e(memo.position)}</div>
</body></html>"""
    return html_to_pdf(doc)
