"""What the exchange adds to the web UI: its panel on the letter page and its links in the top bar."""

from __future__ import annotations

from saraban.web import panels

from . import views


def register() -> None:
    panels.letter_panel("exchange/_panel.html", context=views.panel_context, column="main", order=40)
    panels.nav_link("awaiting", "หนังสือรอส่ง", "To send", "/exchange/awaiting/", order=25,
                    visible=views.has_awaiting, count=lambda r: views.awaiting_q(r).count())
    panels.nav_link("exchange-dashboard", "ภาพรวมการเชื่อมโยง", "Linking dashboard", "/exchange/dashboard/",
                    order=60, visible=views.can_see_dashboard)
    panels.nav_link("exchange-directory", "สมุดรายชื่อ SBX", "SBX directory", "/exchange/directory/", order=70,
                    visible=views.can_admin)
