from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "saraban.kernel"
    label = "kernel"
    verbose_name = "Saraban kernel"
