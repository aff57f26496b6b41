from django.apps import AppConfig


class WebDeskConfig(AppConfig):
    name = "saraban.web.desk"
    label = "web_desk"
    verbose_name = "หน้าเว็บ: โต๊ะงานสารบรรณ"

    def ready(self) -> None:
        from saraban.web import panels

        panels.nav_link("desk", "โต๊ะงานสารบรรณ", "Registrar desk", "/", order=10)
        panels.nav_link("outgoing", "ออกเลขหนังสือส่ง", "Issue a number", "/outgoing/", order=20)
