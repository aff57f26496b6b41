from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "saraban.access"
    label = "access"
    verbose_name = "สิทธิ์การเข้าถึง"

    def ready(self) -> None:
        from saraban.orgs import cache

        from .principal import forget_unit_tree

        cache.forgotten.connect(forget_unit_tree)
