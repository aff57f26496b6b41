from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "saraban.demo"
    label = "demo"
    verbose_name = "Saraban demo"
