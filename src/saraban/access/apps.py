from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "saraban.access"
    label = "access"
    verbose_name = "สิทธิ์การเข้าถึง"
