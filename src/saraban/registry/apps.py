from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "saraban.registry"
    label = "registry"
    verbose_name = "ทะเบียนหนังสือ"
