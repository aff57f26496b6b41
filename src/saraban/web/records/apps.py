from django.apps import AppConfig


class WebRecordsConfig(AppConfig):
    name = "saraban.web.records"
    label = "web_records"
    verbose_name = "หน้าเว็บ: งานเก็บรักษาและรายงานผู้บริหาร"

    def ready(self) -> None:
        from saraban.web import panels

        panels.nav_link("records-dashboard", "รายงานผู้บริหาร", "Executive dashboard", "/records/dashboard/",
                        order=70)
