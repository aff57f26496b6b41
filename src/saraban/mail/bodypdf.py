"""A mail that carries its letter in the text (no PDF attached) becomes a one-document PDF to register:
the sender, date, subject and text as they arrived, in Sarabun."""

from __future__ import annotations

from html import escape

from saraban.kernel import clock
from saraban.kernel.thai import format_datetime
from saraban.letterpress.html_pdf import font_css, html_to_pdf

from .parse import Parsed

MAX_CHARS = 100_000


def body_pdf(p: Parsed) -> bytes:
    when = format_datetime(clock.to_bkk(p.date)) if p.date else "-"
    others = [a.name for a in p.attachments]
    rows = [("จาก", f"{p.from_name} <{p.from_addr}>" if p.from_name else p.from_addr), ("วันที่", when),
            ("เรื่อง", p.subject or "(ไม่มีเรื่อง)"), ("Message-ID", p.message_id)]
    if others:
        rows.append(("ไฟล์แนบ (เก็บไว้ในอีเมลต้นฉบับ)", ", ".join(others)))
    head = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    body = escape(p.body[:MAX_CHARS] or "(ไม่มีข้อความ)")
    html = f"""<html><head><meta charset="utf-8"><style>{font_css()}
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      body {{ font-family: 'Sarabun'; font-size: 14pt; }}
      h1 {{ font-size: 16pt; }} th {{ text-align: left; vertical-align: top; padding-right: 1em; white-space: nowrap; }}
      pre {{ font-family: 'Sarabun'; white-space: pre-wrap; word-wrap: break-word; }}
    </style></head><body><h1>ข้อความจากไปรษณีย์อิเล็กทรอนิกส์</h1><table>{head}</table><hr><pre>{body}</pre>
    </body></html>"""
    return html_to_pdf(html)
