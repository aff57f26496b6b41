from django.apps import AppConfig


class WebRecordsConfig(AppConfig):
    name = "saraban.web.records"
    label = "web_records"
    verbose_name = "หน้าเว็บ: งานเก็บรักษาและทำลายหนังสือ"

    def ready(self) -> None:
        from . import panels

        panels.register()
