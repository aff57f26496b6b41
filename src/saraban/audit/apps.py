from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saraban.audit"
    label = "audit"
    verbose_name = "บันทึกการตรวจสอบ"
