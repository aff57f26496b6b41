from django.apps import AppConfig


class WebRegistersConfig(AppConfig):
    name = "saraban.web.registers"
    label = "web_registers"
    verbose_name = "หน้าเว็บ: ทะเบียน"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
