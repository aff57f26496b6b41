from django.apps import AppConfig


class WebHomeConfig(AppConfig):
    name = "saraban.web.home"
    label = "web_home"
    verbose_name = "หน้าเว็บ: หน้าแรกของแต่ละบทบาท"

    def register_panels(self) -> None:
        from saraban.web import panels

        from . import views

        panels.nav_link("decide", "เพื่อพิจารณา", "For my decision", "/decide/", order=4, visible=views.is_executive,
                        count=views.decide_count)
