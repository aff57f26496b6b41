from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "saraban.ops"
    label = "ops"
    verbose_name = "Saraban operations"
