from django.apps import AppConfig


class WebDeskConfig(AppConfig):
    name = "saraban.web.desk"
    label = "web_desk"
    verbose_name = "หน้าเว็บ: โต๊ะงานสารบรรณ"

    def register_panels(self) -> None:
        from saraban.web import panels

        from . import views

        panels.nav_link("desk", "โต๊ะงานสารบรรณ", "Registrar desk", "/desk/", order=10, visible=views.is_registrar,
                        count=views.queue_count)
        panels.nav_link("outgoing", "ออกเลขหนังสือส่ง", "Issue a number", "/outgoing/", order=20,
                        visible=views.is_registrar)
