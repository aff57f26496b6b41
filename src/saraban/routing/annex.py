"""The endorsement annex: a page (or more) of เกษียน entries appended to a copy of the presentation file.

Each entry shows its text, the typed name in brackets, the position (and รักษาการแทน … when acting) and
the system's time — no handwritten signature and no typed date (Regulation No. 4; §13.10).  The original
file is never touched: the annexed copy is a new file derived from the latest receipt-stamped copy.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence

import pikepdf

from saraban.kernel.thai import format_date, format_time
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.letters.pdf import strip_active_content

from .models import Endorsement


def _e(value: str) -> str:
    return html.escape(value or "")


def render_annex(*, agency: str, receipt: str, subject: str, their_ref: str,
                 entries: Sequence[Endorsement]) -> bytes:
    rows = []
    for e in entries:
        when = f"{format_date(e.created_at, style='full')} เวลา {format_time(e.created_at)}"
        who = f"({_e(e.typed_name)})"
        pos = _e(e.position_title)
        acting = f"<div class='pos'>รักษาการแทน{_e(e.acting_for)}</div>" if e.acting_for else ""
        follows = (f"<div class='follows'>ต่อจากบันทึกของ {_e(e.follows.typed_name)}</div>"
                   if e.follows_id and e.follows else "")
        to = f"<div class='to'>ถึง: {_e(e.target_label)}</div>" if e.target_label else ""
        rows.append(f"""<div class="entry">{follows}<div class="text">{_e(e.text)}</div>{to}
<div class="sig"><div>{who}</div><div class='pos'>{pos}</div>{acting}
<div class="stamp">บันทึกในระบบเมื่อ {_e(when)}</div></div></div>""")
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
{font_css()}
@page {{ size: A4; margin: 20mm 20mm 20mm 30mm;
  @bottom-right {{ content: "บันทึกเกษียน หน้า " counter(page); font-family: 'Sarabun'; font-size: 10pt; color: #555; }} }}
body {{ font-family: 'Sarabun'; font-size: 15pt; line-height: 1.35; color: #111; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 4mm; }}
.meta {{ font-size: 12.5pt; border-bottom: 0.4mm solid #1d3c96; padding-bottom: 2mm; margin-bottom: 4mm; }}
.entry {{ border-left: 1mm solid #1d3c96; padding: 1mm 0 1mm 4mm; margin: 0 0 6mm; page-break-inside: avoid; }}
.text {{ white-space: pre-wrap; }}
.to {{ font-size: 13pt; color: #333; }}
.follows {{ font-size: 11pt; color: #555; }}
.sig {{ margin-left: 40%; text-align: center; margin-top: 2mm; }}
.pos {{ font-size: 14pt; }}
.stamp {{ font-size: 11pt; color: #1d3c96; margin-top: 1mm; white-space: nowrap; }}
</style></head><body>
<h1>บันทึกเกษียนหนังสือ</h1>
<div class="meta">{_e(agency)}<br>เลขรับ {_e(receipt)} · ที่ {_e(their_ref) or '-'}<br>เรื่อง {_e(subject)}</div>
{''.join(rows)}
</body></html>"""
    return html_to_pdf(doc)


def append_pages(base_pdf: bytes, annex_pdf: bytes) -> bytes:
    """A copy of ``base_pdf`` with the pages of ``annex_pdf`` added at the end, without active content."""
    with pikepdf.open(io.BytesIO(base_pdf)) as base, pikepdf.open(io.BytesIO(annex_pdf)) as annex:
        base.pages.extend(annex.pages)
        strip_active_content(base)
        out = io.BytesIO()
        base.save(out)
        return out.getvalue()
