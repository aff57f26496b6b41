from django.apps import AppConfig


class WebRecordsConfig(AppConfig):
    name = "saraban.web.records"
    label = "web_records"
    verbose_name = "หน้าเว็บ: งานเก็บรักษา ทำลายหนังสือ และรายงานผู้บริหาร"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
