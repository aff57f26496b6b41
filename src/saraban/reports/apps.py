from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "saraban.reports"
    label = "reports"
    verbose_name = "รายงาน"
