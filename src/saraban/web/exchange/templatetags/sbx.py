"""Template helpers of the exchange pages."""

from __future__ import annotations

from django import template

from saraban.exchange import codes

register = template.Library()


@register.simple_tag(takes_context=True)
def sbx_reason(context: template.Context, code: str) -> str:
    """``{% sbx_reason d.reason_code %}``: why a letter was refused or not delivered, in the UI's language."""
    request = context.get("request")
    return codes.failure_label(code or "OTHER", getattr(request, "LANGUAGE_CODE", "th"))


CHANNELS = {"upload": ("อัปโหลด", "upload"), "scan": ("สแกน", "scan"), "email": ("อีเมลกลาง", "central e-mail"),
            "ecms": ("e-CMS", "e-CMS"), "sbx": ("SBX", "SBX")}


@register.simple_tag(takes_context=True)
def channel_name(context: template.Context, code: str) -> str:
    """``{% channel_name "email" %}``: a short name of an intake channel, in the UI's language."""
    th, en = CHANNELS.get(code, (code, code))
    request = context.get("request")
    return en if getattr(request, "LANGUAGE_CODE", "th") == "en" else th
