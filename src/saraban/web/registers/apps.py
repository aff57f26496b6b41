from django.apps import AppConfig


class WebRegistersConfig(AppConfig):
    name = "saraban.web.registers"
    label = "web_registers"
    verbose_name = "หน้าเว็บ: ทะเบียน"

    def ready(self) -> None:
        from saraban.web import panels

        panels.nav_link("registers", "ทะเบียน", "Registers", "/registers/", order=30)
