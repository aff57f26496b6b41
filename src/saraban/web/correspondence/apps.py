from django.apps import AppConfig


class WebCorrespondenceConfig(AppConfig):
    name = "saraban.web.correspondence"
    label = "web_correspondence"
    verbose_name = "หน้าเว็บ: ตอบ ส่งต่อ และใบรับหนังสือ"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
