"""Template helpers: bilingual text, B.E. dates, Bangkok times, urgency/secrecy badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import translation
from django.utils.html import format_html

from saraban.kernel import thai
from saraban.kernel.clock import to_bkk

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context: template.Context, th: str, en: str) -> str:
    """``{% t "ลงทะเบียน" "Register" %}``: Thai unless the UI is switched to English."""
    request = context.get("request")
    return en if getattr(request, "LANGUAGE_CODE", "th") == "en" else th


def _english() -> bool:
    return translation.get_language() == "en"


def _en_date(value: dt.date | dt.datetime) -> str:
    """A B.E. date for the English UI: ``27 Nov 2569`` (the year stays Buddhist Era, as on every Thai paper)."""
    return thai.format_date_en_abbr(value)


@register.filter
def be_date(value: dt.date | dt.datetime | None, style: str = "abbr") -> str:
    if not value:
        return ""
    if _english():
        return _en_date(value)
    return thai.format_date(value, style=style)  # type: ignore[arg-type]


@register.filter
def bkk_time(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return to_bkk(value).strftime("%H:%M") if _english() else thai.format_time(value)


@register.filter
def bkk_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return f"{_en_date(value)} {bkk_time(value)}" if _english() else thai.format_datetime(value)


@register.filter
def lang_attr(value: object) -> str:
    """`` lang="th"`` on an English page for a Thai word with no English (a salutation printed on the letter),
    so screen readers read it as Thai; nothing otherwise."""
    from django.utils.safestring import mark_safe

    from saraban.web.glossary import EN

    text = "" if value is None else str(value).strip()
    thai_only = _english() and text not in EN and any("\u0e00" <= ch <= "\u0e7f" for ch in text)
    return mark_safe(' lang="th"') if thai_only else ""


@register.filter
def tr(value: object) -> str:
    """A Thai system word (a kind, a state, a role) in the UI's language: ``{{ f.get_role_display|tr }}``."""
    from saraban.web.glossary import english

    text = "" if value is None else str(value)
    return english(text) if _english() else text


@register.filter
def iso_bkk(value: dt.datetime | None) -> str:
    return to_bkk(value).isoformat(timespec="seconds") if value else ""


URGENCY = {"urgent": ("ด่วน", "Urgent"), "very_urgent": ("ด่วนมาก", "Very urgent"),
           "most_urgent": ("ด่วนที่สุด", "Most urgent")}
SECRECY = {"confidential": ("ลับ", "Confidential"), "secret": ("ลับมาก", "Secret"),
           "top_secret": ("ลับที่สุด", "Top secret")}


@register.simple_tag(takes_context=True)
def urgency_badge(context: template.Context, value: str) -> str:
    if value not in URGENCY:
        return ""
    th, en = URGENCY[value]
    label = en if getattr(context.get("request"), "LANGUAGE_CODE", "th") == "en" else th
    return format_html('<span class="badge urgency {}">{}</span>', value, label)


@register.simple_tag(takes_context=True)
def secrecy_badge(context: template.Context, value: str) -> str:
    if value not in SECRECY:
        return ""
    th, en = SECRECY[value]
    label = en if getattr(context.get("request"), "LANGUAGE_CODE", "th") == "en" else th
    return format_html('<span class="badge secrecy {}">{}</span>', value, label)


@register.simple_tag(takes_context=True)
def msg(context: template.Context, text: object) -> str:
    """A ``"ไทย|English"`` message in the UI's language."""
    th, _, en = str(text).partition("|")
    return (en or th) if getattr(context.get("request"), "LANGUAGE_CODE", "th") == "en" else th


@register.simple_tag(takes_context=True)
def err(context: template.Context, exc: object) -> str:
    """A domain error's message in the UI's language."""
    en = getattr(context.get("request"), "LANGUAGE_CODE", "th") == "en"
    return str(getattr(exc, "message_en" if en else "message_th", exc))


@register.filter
def user_date(value: object) -> str:
    """A date (or ISO text) as a Thai form field shows it: ``5/1/2569``."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return thai.format_user_date(value)  # type: ignore[arg-type]


@register.simple_tag(takes_context=True)
def action_label(context: template.Context, action: str) -> str:
    from saraban.audit.labels import label

    return label(action, getattr(context.get("request"), "LANGUAGE_CODE", "th"))
