from django.apps import AppConfig


class WebVerifyConfig(AppConfig):
    name = "saraban.web.verify"
    label = "web_verify"
    verbose_name = "หน้าเว็บ: ตรวจสอบลายมือชื่อ"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
