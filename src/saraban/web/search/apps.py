from django.apps import AppConfig


class WebSearchConfig(AppConfig):
    name = "saraban.web.search"
    label = "web_search"
    verbose_name = "หน้าเว็บ: ค้นหาหนังสือ"

    def register_panels(self) -> None:
        from saraban.web import panels

        from .views import text_panel

        panels.nav_link("search", "ค้นหา", "Search", "/search/", order=25)
        panels.letter_panel("search/_text_panel.html", context=text_panel, column="side", order=80)
